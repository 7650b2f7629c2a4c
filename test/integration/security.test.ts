import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { HELLO, REPO_ROOT } from "../helpers/module";
import { buildLikeComponent, docker, DOCKER, hostGoEnv, imageFiles, REGISTRY, requireEnvironment } from "./engine";

const DEPS = path.join(REPO_ROOT, "examples", "deps-service");
const BIN = path.join(REPO_ROOT, "bin", "go-service-image.js");
const AUTH_REGISTRY = "127.0.0.1:5001";

/** Runs the CLI; returns exit code, stdout and stderr. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: fs.mkdtempSync(path.join(os.tmpdir(), "gsi-sec-")), env: { ...process.env, GO_SERVICE_IMAGE_DOCKER: DOCKER, ...env } });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every byte of an image's filesystem, as `docker export` streams it. */
function exportBytes(image: string): Buffer {
    const id = docker("create", "--network", "none", image);
    try {
        return spawnSync(DOCKER, ["export", id], { maxBuffer: 256 * 1024 * 1024 }).stdout;
    } finally {
        docker("rm", id);
    }
}

describe("integration: security of the built images", function () {
    before(requireEnvironment);

    for (const [name, context, args] of [["hello-service", HELLO, {}], ["deps-service", DEPS, { goEnv: hostGoEnv() }]] as const) {
        describe(`${name} (default runtime)`, () => {
            let image: string;
            before(async () => {
                image = (await buildLikeComponent(`${name}-sec`, { context, repository: `${REGISTRY}/${name}-sec`, network: "host", ...args })).imageName;
            });

            it("runs as a numeric non-root user", () => {
                assert.match(docker("image", "inspect", "--format", "{{.Config.User}}", image), /^[1-9]\d*:[1-9]\d*$/);
            });

            it("has no setuid or setgid file", () => {
                const special = imageFiles(image).filter((f) => /^.{3}[sS]|^.{6}[sS]/.test(f.mode));
                assert.deepStrictEqual(special.map((f) => `${f.mode} ${f.path}`), []);
            });

            it("has no shell and no package manager", () => {
                const tools = imageFiles(image).filter((f) => /\/(sh|bash|ash|dash|busybox|apk|apt|apt-get|dpkg|rpm|yum|dnf|microdnf)$/.test(f.path));
                assert.deepStrictEqual(tools.map((f) => f.path), []);
            });

            it("has nothing world-writable but a sticky /tmp", () => {
                const writable = imageFiles(image).filter((f) => f.type !== "l" && f.mode[8] === "w");
                assert.deepStrictEqual(writable.map((f) => `${f.mode} ${f.path}`), ["drwxrwxrwt /tmp"]);
            });

            it("has no secret-looking environment variable and carries the OCI labels", () => {
                const config = JSON.parse(docker("image", "inspect", "--format", "{{json .Config}}", image)) as { Env: string[] | null; Labels: Record<string, string> };
                assert.deepStrictEqual((config.Env ?? []).filter((e) => /PASS|TOKEN|SECRET|KEY|NETRC|AUTH/i.test(e.split("=")[0])), []);
                for (const label of ["org.opencontainers.image.title", "org.opencontainers.image.version", "org.opencontainers.image.revision"]) {
                    assert.ok(config.Labels[label], `label ${label}`);
                }
            });
        });
    }

    describe("secret hygiene", () => {
        it("a netrc given as a build secret reaches the module download and nowhere in the image", () => {
            const secret = "netrc-password-5f3c9a";
            const netrc = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-netrc-")), "netrc");
            fs.writeFileSync(netrc, `machine example.invalid login ci password ${secret}\n`);
            const goproxy = hostGoEnv()?.GOPROXY ?? "https://proxy.golang.org,direct";
            const r = cli(["build", DEPS, "--name", "deps-netrc", "--repository", `${REGISTRY}/deps-netrc`, "--network", "host", "--netrc", netrc, "--go-env", `GOPROXY=${goproxy}`]);
            assert.strictEqual(r.code, 0, r.err);
            const image = r.out.trim();
            assert.ok(!r.err.includes(secret), "the build log shows the secret");
            assert.ok(!docker("history", "--no-trunc", image).includes(secret), "docker history");
            assert.ok(!docker("image", "inspect", image).includes(secret), "image config, labels, env");
            assert.strictEqual(exportBytes(image).indexOf(secret), -1, "image filesystem");
            assert.match(r.err, /RUN --mount=type=cache,target=\/var\/cache\/gomod\s+--mount=type=secret,id=netrc,target=\/root\/.netrc\s+GOMODCACHE=\/var\/cache\/gomod go mod download/, "the download step ran with the secret mounted");
        });

        it("the registry password never reaches the generated files or the build", async () => {
            const { componentInputs } = await import("./engine");
            const password = "registry-password-77b1";
            const inputs = await componentInputs("hello-pw", { context: HELLO, repository: `${REGISTRY}/hello-pw`, network: "host", registry: { username: "u", password } });
            const built = await buildLikeComponent("hello-pw", { context: HELLO, repository: `${REGISTRY}/hello-pw`, network: "host", registry: { username: "u", password } });
            for (const text of [fs.readFileSync(inputs.build.dockerfile, "utf8"), fs.readFileSync(`${inputs.build.dockerfile}.dockerignore`, "utf8"), JSON.stringify(inputs.build), inputs.imageName]) {
                assert.ok(!text.includes(password));
            }
            assert.ok(!docker("history", "--no-trunc", built.imageName).includes(password));
            assert.ok(!docker("image", "inspect", built.imageName).includes(password));
        });
    });

    describe("faults", () => {
        it("a registry that does not answer: exit 1, a clear reason, no digest claimed", () => {
            const r = cli(["build", HELLO, "--name", "hello-fault", "--repository", "127.0.0.1:5999/hello", "--network", "host", "--push"]);
            assert.strictEqual(r.code, 1);
            assert.strictEqual(r.out, "", "nothing on stdout: no digest");
            assert.match(r.err, /^go-service-image: docker push of 127\.0\.0\.1:5999\/hello:content-[0-9a-f]{16} failed \(exit 1\): .*connection refused\. Check that the registry is reachable/m);
        });

        it("a registry that rejects the credentials: exit 1, a clear reason, no digest claimed", () => {
            const config = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-dockercfg-"));
            // A wrong login is refused by the registry itself...
            const login = spawnSync(DOCKER, ["--config", config, "login", AUTH_REGISTRY, "-u", "gsi-user", "--password-stdin"], { input: "wrong-password", encoding: "utf8" });
            assert.notStrictEqual(login.status, 0);
            assert.match(login.stderr, /unauthorized|401/i);
            // ...and a push without valid credentials is rejected, with no digest printed.
            const r = cli(["build", HELLO, "--name", "hello-auth", "--repository", `${AUTH_REGISTRY}/hello`, "--network", "host", "--push"], { DOCKER_CONFIG: config });
            assert.strictEqual(r.code, 1);
            assert.strictEqual(r.out, "");
            assert.match(r.err, /^go-service-image: docker push of 127\.0\.0\.1:5001\/hello:content-[0-9a-f]{16} failed \(exit 1\): .*(no basic auth credentials|unauthorized|authentication required)/im);
        });

        it("a Docker engine that is not running is reported as such", () => {
            const r = cli(["build", HELLO, "--repository", `${REGISTRY}/hello`], { DOCKER_HOST: "unix:///nonexistent/docker.sock" });
            assert.strictEqual(r.code, 1);
            assert.strictEqual(r.out, "");
            assert.match(r.err, /^go-service-image: the Docker engine is not running or not reachable \(.*\): start dockerd, or set DOCKER_HOST\.$/m);
        });
    });
});
