import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { compiled, compiledPackages, fetched, freshBuilder, ran, stepLog, STEPS } from "../../bench/buildkit";
import { copyModule, HELLO, REPO_ROOT } from "../helpers/module";
import { binaryMachine, cliBuild, docker, DOCKER, hostGoEnv, measure, REGISTRY, requireEnvironment, start } from "./engine";


describe("integration: go-service-image build on BuildKit v0.34.2 through buildx (remote builders)", function () {
    before(requireEnvironment);

    it("--platforms builds one image index, pushed by digest, the same on two fresh builders; amd64 runs and the arm64 binary is aarch64", async () => {
        const repository = `${REGISTRY}/hello-index`;
        const digests: string[] = [];
        let arm64 = "";
        for (const label of ["index-a", "index-b"]) {
            const b = await freshBuilder(label);
            try {
                const r = cliBuild([HELLO, "--name", "hello-service", "--repository", repository, "--builder", b.addr, "--platforms", "linux/amd64,linux/arm64", "--push"]);
                assert.strictEqual(r.status, 0, r.log.slice(-3000));
                assert.match(r.out, /^127\.0\.0\.1:5000\/hello-index@sha256:[0-9a-f]{64}$/);
                digests.push(r.out);
                const tag = /hello-index:(content-[0-9a-f]{16})/.exec(r.log)?.[1];
                const index = await fetch(`http://${REGISTRY}/v2/hello-index/manifests/${tag}`, { headers: { Accept: "application/vnd.oci.image.index.v1+json" } });
                assert.strictEqual(`${repository}@${index.headers.get("docker-content-digest")}`, r.out, "imageRef is the index the registry holds for the tag");
                const manifests = ((await index.json()) as { manifests: Array<{ digest: string; platform: { os: string; architecture: string } }> }).manifests;
                assert.deepStrictEqual(manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`), ["linux/amd64", "linux/arm64"]);
                arm64 = `${repository}@${manifests[1].digest}`;
            } finally {
                b.stop();
            }
        }
        assert.strictEqual(digests[0], digests[1], "two fresh builders, no shared cache: the same index digest");
        measure(`image index of hello-service on two fresh BuildKit v0.34.2 builders: ${digests[0].split("@")[1]} both times`);

        docker("pull", "-q", digests[0]);
        const run = await start(digests[0]);
        run.stop();
        assert.strictEqual(binaryMachine(arm64, "/usr/local/bin/hello-service"), 183, "aarch64");
    });

    it("--cache-to/--cache-from a registry: a fresh builder reuses the last build (all of it unchanged; after a source change the module and dependency layers, so only the service's packages compile)", async () => {
        const context = copyModule(path.join(REPO_ROOT, "examples", "deps-service"));
        const goProxy = (hostGoEnv() ?? {}).GOPROXY ?? "https://proxy.golang.org,direct";
        // A cache of its own per run: a registry cache outlives the run.
        const ref = `${REGISTRY}/deps-cache:run-${process.hrtime.bigint()}`;
        const common = [context, "--name", "deps-service", "--repository", `${REGISTRY}/deps-bx`, "--go-env", `GOPROXY=${goProxy}`, "--go-env", "GOFLAGS=-x", "--platforms", "linux/amd64"];
        const onFresh = async (label: string, extra: string[]) => {
            const b = await freshBuilder(label);
            try {
                const r = cliBuild([...common, "--builder", b.addr, ...extra]);
                assert.strictEqual(r.status, 0, r.log.slice(-3000));
                return r.log;
            } finally {
                b.stop();
            }
        };
        await onFresh("cache-a", ["--cache-to", `type=registry,ref=${ref},mode=max`]);
        const unchanged = await onFresh("cache-b", ["--cache-from", `type=registry,ref=${ref}`]);
        for (const step of [STEPS.download, STEPS.dependencies, STEPS.build]) assert.ok(stepLog(unchanged, step).some((l) => / CACHED$/.test(l)), `${step} not from the cache`);
        const api = path.join(context, "internal", "api", "api.go");
        // A string literal (a comment would leave the compile cached), unique per run: BuildKit caches by content.
        fs.writeFileSync(api, fs.readFileSync(api, "utf8").replace('"ok\\n"', `"ok ${process.hrtime.bigint()}\\n"`));
        const changed = await onFresh("cache-c", ["--cache-from", `type=registry,ref=${ref}`]);
        // The modules and the compiled dependencies are layers, which the registry cache carries.
        // With GOFLAGS=-x a step that runs prints its commands; one loaded from the cache prints nothing.
        for (const step of [STEPS.download, STEPS.dependencies]) assert.ok(!ran(stepLog(changed, step)), `${step} ran again after a source change`);
        assert.strictEqual(fetched(changed), 0, "no module fetched");
        const built = compiled(stepLog(changed, STEPS.build));
        assert.ok(built > 0 && built <= 5, `only the service's own packages are compiled, got ${built}`);
        measure(`registry cache on a fresh builder after a one-line change (CLI): download and dependency layers reused, 0 module fetches, ${built} packages compiled`);
    });

    it("services on one builder share its build cache: a second service compiles no standard package the first one compiled, only its own modules' packages", async () => {
        const goProxy = (hostGoEnv() ?? {}).GOPROXY ?? "https://proxy.golang.org,direct";
        const b = await freshBuilder("shared");
        try {
            const build = (dir: string, name: string) => {
                const r = cliBuild([copyModule(dir), "--name", name, "--repository", `${REGISTRY}/${name}-shared`, "--go-env", `GOPROXY=${goProxy}`, "--go-env", "GOFLAGS=-x", "--builder", b.addr, "--platforms", "linux/amd64"]);
                assert.strictEqual(r.status, 0, r.log.slice(-3000));
                return r.log;
            };
            const first = compiledPackages(build(HELLO, "hello-service"));
            const second = build(path.join(REPO_ROOT, "examples", "deps-service"), "deps-service");
            const deps = compiledPackages(stepLog(second, STEPS.dependencies));
            // A standard package's path has no dot in its first element; a module's has one (github.com/…).
            const standard = deps.filter((p) => !p.split("/")[0].includes("."));
            assert.ok(first.includes("net/http") && first.includes("runtime"), `the first service compiled the standard library: ${first.length} packages`);
            assert.deepStrictEqual(standard.filter((p) => first.includes(p)), [], "standard packages the first service compiled, compiled again");
            assert.ok(deps.some((p) => p.startsWith("github.com/google/uuid")), `the second compiles its own modules' packages: ${deps.join(" ")}`);
            measure(`one builder, two services: the first compiled ${first.length} packages; the second's dependency step ${deps.length} (${standard.length} standard: ${standard.join(" ") || "none"})`);
        } finally {
            b.stop();
        }
    });

    it("a netrc given with --netrc reaches the build on buildx and nowhere in the pushed image or its history", async () => {
        const secret = "netrc-buildx-8d21e4";
        const netrc = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-netrc-")), "netrc");
        fs.writeFileSync(netrc, `machine example.invalid login ci password ${secret}\n`);
        const goProxy = (hostGoEnv() ?? {}).GOPROXY ?? "https://proxy.golang.org,direct";
        const b = await freshBuilder("netrc");
        try {
            const r = cliBuild([copyModule(path.join(REPO_ROOT, "examples", "deps-service")), "--name", "deps-netrc", "--repository", `${REGISTRY}/deps-netrc-bx`, "--go-env", `GOPROXY=${goProxy}`, "--netrc", netrc, "--builder", b.addr, "--platforms", "linux/amd64", "--push"]);
            assert.strictEqual(r.status, 0, r.log.slice(-3000));
            assert.ok(!r.log.includes(secret), "the build log shows the secret");
            assert.match(r.log, /--mount=type=secret,id=netrc,target=\/root\/.netrc\s+GOMODCACHE=\/var\/cache\/gomod go mod download/, "the download step ran with the secret mounted");
            docker("pull", "-q", r.out);
            assert.ok(!docker("history", "--no-trunc", r.out).includes(secret), "docker history");
            assert.ok(!docker("image", "inspect", r.out).includes(secret), "image config");
            const id = docker("create", "--network", "none", r.out);
            try {
                const bytes = spawnSync(DOCKER, ["export", id], { maxBuffer: 256 * 1024 * 1024 }).stdout;
                assert.strictEqual(bytes.indexOf(secret), -1, "image filesystem");
            } finally {
                docker("rm", id);
            }
        } finally {
            b.stop();
        }
    });
});
