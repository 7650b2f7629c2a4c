import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync, spawnSync } from "child_process";
import { GoServiceImageArgs } from "../../src";
import { HELLO, REPO_ROOT } from "../helpers/module";
import { Built, buildLikeComponent, copyModule, copyOut, docker, DOCKER, elf, hostGoEnv, imageFiles, measure, REGISTRY, requireEnvironment, start, steps } from "./engine";

const DEPS = path.join(REPO_ROOT, "examples", "deps-service");
const MiB = 1024 * 1024;

interface Example {
    readonly name: string;
    readonly binary: string;
    context(): string;
    readonly args: Partial<GoServiceImageArgs>;
}

/** The vendored variant: deps-service with `go mod vendor`, built with no network at all. */
function vendoredCopy(): string {
    const dir = copyModule(DEPS);
    execFileSync("go", ["mod", "vendor"], { cwd: dir, env: { ...process.env, GOFLAGS: "-mod=mod" } });
    return dir;
}

const EXAMPLES: Example[] = [
    { name: "hello-service", binary: "hello-service", context: () => HELLO, args: { network: "host" } },
    { name: "deps-service", binary: "deps-service", context: () => DEPS, args: { network: "host", goEnv: hostGoEnv() } },
    { name: "deps-service-vendored", binary: "deps-service", context: vendoredCopy, args: { network: "none" } },
];

describe("integration: generated images on a real Docker engine and registry", function () {
    const cwd = process.cwd();
    before(async () => {
        await requireEnvironment();
        // A program directory of its own, as `pulumi up` would have: .go-service-image/ goes here.
        process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-int-")));
        measure(`engine ${docker("version", "--format", "{{.Server.Version}}")}, ${execFileSync("go", ["env", "GOVERSION"], { encoding: "utf8" }).trim()}`);
    });
    after(() => process.chdir(cwd));

    for (const example of EXAMPLES) {
        describe(example.name, () => {
            let built: Built;
            let context: string;
            before(async () => {
                context = example.context();
                // Cold: no build cache and no module cache mounts.
                docker("builder", "prune", "-af");
                built = await buildLikeComponent(example.name, { context, repository: `${REGISTRY}/${example.name}`, ...example.args });
                const warm = await buildLikeComponent(example.name, { context, repository: `${REGISTRY}/${example.name}`, ...example.args });
                measure(`${example.name}: cold build ${built.seconds.toFixed(1)} s, unchanged rebuild ${warm.seconds.toFixed(1)} s`);
            });

            it("builds with BuildKit; the runtime image has no Go toolchain and no shell", () => {
                const files = imageFiles(built.imageName).map((f) => f.path);
                assert.ok(files.includes(`/usr/local/bin/${example.binary}`), `binary missing: ${files.join(" ")}`);
                assert.deepStrictEqual(files.filter((f) => /(^|\/)(sh|bash|ash|busybox)$/.test(f)), [], "a shell");
                assert.deepStrictEqual(files.filter((f) => f.startsWith("/usr/local/go") || /\/go\/bin\/go$/.test(f) || f.startsWith("/src")), [], "toolchain or sources");
            });

            it("starts, answers /healthz over loopback and reports the version stamped at build time", async () => {
                const svc = await start(built.imageName);
                try {
                    measure(`${example.name}: /healthz answered ${svc.readyMs} ms after docker run`);
                    const version = (await (await fetch(`${svc.url}/version`)).json()) as { version: string };
                    assert.strictEqual(version.version, built.version);
                    assert.match(built.version, /^content-[0-9a-f]{16}$/);
                } finally {
                    svc.stop();
                }
            });

            it("runs as uid 65532 with a static binary, CA roots, time zones and a writable sticky /tmp", async () => {
                assert.strictEqual(docker("image", "inspect", "--format", "{{.Config.User}}", built.imageName), "65532:65532");
                const files = imageFiles(built.imageName);
                const byPath = new Map(files.map((f) => [f.path, f]));
                assert.ok((byPath.get("/etc/ssl/certs/ca-certificates.crt")?.size ?? 0) > 10_000, "CA bundle");
                assert.strictEqual(byPath.get("/tmp")?.mode, "drwxrwxrwt");
                assert.match(fs.readFileSync(copyOut(built.imageName, "/etc/passwd"), "utf8"), /^nonroot:x:65532:65532:/m);
                const binary = copyOut(built.imageName, `/usr/local/bin/${example.binary}`);
                assert.deepStrictEqual(elf(binary), { machine: 62, dynamic: false });
                const info = execFileSync("go", ["version", "-m", binary], { encoding: "utf8" });
                assert.match(info, /build\s+-tags=timetzdata/);
                assert.match(info, /build\s+CGO_ENABLED=0/);
                assert.match(info, /build\s+-trimpath=true/);
                const svc = await start(built.imageName);
                try {
                    const uid = docker("top", svc.container, "-o", "pid,uid").split("\n").slice(1).map((l) => l.trim().split(/\s+/)[1]);
                    assert.deepStrictEqual(uid, ["65532"]);
                    if (example.binary === "deps-service") {
                        // The service checks from the inside what the image gives it.
                        const diag = await (await fetch(`${svc.url}/diag`)).json();
                        assert.deepStrictEqual(diag, { caRoots: true, tmpWritable: true, tzdata: "Europe/Berlin", uid: 65532 });
                    }
                } finally {
                    svc.stop();
                }
            });

            it("the image is at most the binary plus 1 MiB", () => {
                const image = Number(docker("image", "inspect", "--format", "{{.Size}}", built.imageName));
                const binary = fs.statSync(copyOut(built.imageName, `/usr/local/bin/${example.binary}`)).size;
                measure(`${example.name}: image ${image} B, binary ${binary} B, overhead ${image - binary} B, ratio ${(image / binary).toFixed(3)}`);
                assert.ok(image <= binary + MiB, `image ${image} > binary ${binary} + 1 MiB`);
            });
        });
    }

    describe("push by digest (go-service-image build --push)", () => {
        it("the digest the registry reports for the tag is the one in imageRef, and pulling it gives the same image", async () => {
            const bin = path.join(REPO_ROOT, "bin", "go-service-image.js");
            const repository = `${REGISTRY}/hello-service`;
            const r = spawnSync(process.execPath, [bin, "build", HELLO, "--name", "hello-service", "--repository", repository, "--network", "host", "--push", "--docker", DOCKER], { encoding: "utf8" });
            assert.strictEqual(r.status, 0, r.stderr);
            const imageRef = r.stdout.trim();
            assert.match(imageRef, /^127\.0\.0\.1:5000\/hello-service@sha256:[0-9a-f]{64}$/);
            assert.strictEqual(r.stdout.split("\n").filter(Boolean).length, 1, "stdout has the result only");
            const tag = /hello-service:(content-[0-9a-f]{16})/.exec(r.stderr)?.[1];
            assert.ok(tag, "tag in the build log");
            const head = await fetch(`http://${REGISTRY}/v2/hello-service/manifests/${tag}`, {
                method: "HEAD",
                headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json" },
            });
            assert.strictEqual(head.status, 200);
            assert.strictEqual(`${repository}@${head.headers.get("docker-content-digest")}`, imageRef);

            const id = docker("image", "inspect", "--format", "{{.Id}}", `${repository}:${tag}`);
            docker("rmi", "-f", `${repository}:${tag}`);
            spawnSync(DOCKER, ["rmi", "-f", imageRef]);
            docker("pull", "-q", imageRef);
            assert.strictEqual(docker("image", "inspect", "--format", "{{.Id}}", imageRef), id);
        });

        // The tag hashes the Dockerfile, .dockerignore, build args and platform: equal names mean equal inputs.
        it("the CLI builds what the component gives the provider: same Dockerfile, tag and build args", async () => {
            const { componentInputs } = await import("./engine");
            const fromComponent = await componentInputs("hello-service", { context: HELLO, repository: `${REGISTRY}/hello-service`, network: "host" });
            const bin = path.join(REPO_ROOT, "bin", "go-service-image.js");
            const out = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-cli-"));
            const r = spawnSync(process.execPath, [bin, "build", HELLO, "--name", "hello-service", "--repository", `${REGISTRY}/hello-service`, "--network", "host", "--docker", DOCKER], { encoding: "utf8", cwd: out });
            assert.strictEqual(r.status, 0, r.stderr);
            assert.strictEqual(r.stdout.trim(), fromComponent.imageName);
            assert.strictEqual(fs.readFileSync(path.join(out, ".go-service-image/hello-service/Dockerfile"), "utf8"), fs.readFileSync(fromComponent.build.dockerfile, "utf8"));
        });
    });

    describe("caching", () => {
        it("a source-only change reuses the module download; an unchanged context is fully cached", async () => {
            const context = copyModule(DEPS);
            const args = { context, repository: `${REGISTRY}/deps-cache`, network: "host" as const, goEnv: hostGoEnv() };
            await buildLikeComponent("deps-cache", args);
            const unchanged = await buildLikeComponent("deps-cache", args);
            assert.ok(steps(unchanged.log).length >= 5, unchanged.log);
            // FROM lines resolve the base image; every step that runs something must come from the cache.
            assert.deepStrictEqual(steps(unchanged.log).filter((s) => !s.cached && !/\] FROM /.test(s.step)), [], "every step cached");

            fs.appendFileSync(path.join(context, "internal", "api", "api.go"), "\n// a source-only change\n");
            const edited = await buildLikeComponent("deps-cache", args);
            const download = steps(edited.log).find((s) => s.step.includes("go mod download"));
            assert.ok(download?.cached, `the module download ran again:\n${edited.log}`);
            assert.ok(!/go: downloading/.test(edited.log), "modules downloaded again");
            const dependencies = steps(edited.log).find((s) => s.step.includes("-export -deps"));
            assert.ok(dependencies?.cached, "the dependency compile ran again");
            const compile = steps(edited.log).find((s) => s.step.includes("go build") && s.step.includes("-ldflags"));
            assert.strictEqual(compile?.cached, false, "the changed source was compiled");
            measure(`deps-service: unchanged rebuild ${unchanged.seconds.toFixed(1)} s, one-line source change ${edited.seconds.toFixed(1)} s`);
        });
    });

    describe("reproducibility", () => {
        it("two builds of the same source with no cache give the same binary and the same runtime layer", async () => {
            const args = { context: HELLO, repository: `${REGISTRY}/hello-repro`, network: "host" as const, version: "1.0.0" };
            const layers: string[] = [];
            const binaries: Buffer[] = [];
            for (let i = 0; i < 2; i++) {
                docker("builder", "prune", "-af");
                const built = await buildLikeComponent("hello-repro", args);
                layers.push(docker("image", "inspect", "--format", "{{json .RootFS.Layers}}", built.id));
                binaries.push(fs.readFileSync(copyOut(built.id, "/usr/local/bin/hello-service")));
                docker("rmi", "-f", built.imageName);
            }
            assert.ok(binaries[0].equals(binaries[1]), "binaries differ");
            assert.strictEqual(layers[0], layers[1], "runtime layer diffIDs differ");
        });
    });

    describe("cross-compilation", () => {
        it("--platform linux/arm64 gives an aarch64 binary, compiled in the build stage without an emulator", async () => {
            const built = await buildLikeComponent("hello-arm64", { context: HELLO, repository: `${REGISTRY}/hello-arm64`, network: "host", platform: "linux/arm64" });
            assert.strictEqual(docker("image", "inspect", "--format", "{{.Architecture}}", built.imageName), "arm64");
            assert.deepStrictEqual(elf(copyOut(built.imageName, "/usr/local/bin/hello-service")), { machine: 183, dynamic: false });
            assert.match(built.log, /GOARCH="arm64" go build/);
        });
    });

    describe("runtime choices", () => {
        const choices: Array<[string, GoServiceImageArgs["runtime"], (files: string[]) => void]> = [
            ["distroless (stand-in: CA certificates, passwd, /tmp)", "distroless", (f) => assert.ok(!f.includes("/bin/sh"))],
            ["alpine (stand-in: busybox shell, CA certificates)", "alpine", (f) => assert.ok(f.includes("/bin/sh"), "alpine keeps its shell")],
            ["custom image", `${REGISTRY}/base/static:1`, (f) => assert.ok(f.includes("/etc/ssl/certs/ca-certificates.crt"))],
        ];
        for (const [what, runtime, check] of choices) {
            it(`${what} builds, runs as 65532 and answers`, async () => {
                const name = `deps-${what === "custom image" ? "custom" : runtime}`;
                const built = await buildLikeComponent(name, { context: DEPS, repository: `${REGISTRY}/${name}`, network: "host", goEnv: hostGoEnv(), runtime });
                check(imageFiles(built.imageName).map((f) => f.path));
                const svc = await start(built.imageName);
                try {
                    const diag = (await (await fetch(`${svc.url}/diag`)).json()) as Record<string, unknown>;
                    assert.deepStrictEqual(diag, { caRoots: true, tmpWritable: true, tzdata: "Europe/Berlin", uid: 65532 });
                } finally {
                    svc.stop();
                }
                const image = Number(docker("image", "inspect", "--format", "{{.Size}}", built.imageName));
                measure(`deps-service on ${name.replace("deps-", "")}: image ${image} B`);
            });
        }
    });
});
