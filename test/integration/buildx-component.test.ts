import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { compiled, compiledPackages, fetched, freshBuilder, ran, stepLog, STEPS } from "../../bench/buildkit";
import { replay, REPRODUCIBLE } from "../../bench/replay";
import { copyModule, HELLO, REPO_ROOT } from "../helpers/module";
import { binaryMachine, buildxComponentInputs, docker, DOCKER, hostGoEnv, measure, REGISTRY, requireEnvironment, start } from "./engine";


/** The manifests of the index a registry holds for a tag, and its digest. */
async function indexOf(repository: string, tag: string): Promise<{ digest: string; platforms: string[]; manifests: Array<{ digest: string }> }> {
    const name = repository.slice(REGISTRY.length + 1);
    const res = await fetch(`http://${REGISTRY}/v2/${name}/manifests/${tag}`, { headers: { Accept: "application/vnd.oci.image.index.v1+json" } });
    assert.ok(res.ok, `no index for ${repository}:${tag}`);
    const manifests = ((await res.json()) as { manifests: Array<{ digest: string; platform: { os: string; architecture: string } }> }).manifests;
    return { digest: String(res.headers.get("docker-content-digest")), platforms: manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`), manifests };
}

describe("integration: GoServiceImage with buildx, its docker-build inputs replayed on BuildKit v0.34.2 (remote builders over TCP)", function () {
    before(requireEnvironment);

    it("two platforms: one index, the same digest on two fresh remote builders, equal to the CLI's; amd64 runs, arm64 is aarch64, the netrc is nowhere in the image", async () => {
        const secret = "netrc-component-51c0aa";
        const repository = `${REGISTRY}/hello-bx-component`;
        const digests: string[] = [];
        let tag = "";
        for (const label of ["comp-a", "comp-b"]) {
            const b = await freshBuilder(label);
            try {
                const captured = await buildxComponentInputs("hello-service", {
                    context: HELLO,
                    repository,
                    buildx: { platforms: ["linux/amd64", "linux/arm64"], builder: b.name, netrc: `machine example.invalid login ci password ${secret}\n` },
                });
                assert.strictEqual(captured.inputs.secrets?.netrc.includes(secret), true, "the component hands the provider the netrc as a build secret");
                const r = replay(captured.inputs, captured.cwd, REPRODUCIBLE);
                assert.ok(!r.log.includes(secret), "the build log shows the secret");
                assert.match(r.log, /--mount=type=secret,id=netrc,target=\/root\/.netrc/, "the netrc is mounted as a secret");
                digests.push(r.digest);
                tag = captured.tag;
            } finally {
                b.stop();
            }
        }
        assert.match(digests[0], /^sha256:[0-9a-f]{64}$/);
        assert.strictEqual(digests[0], digests[1], "two fresh builders, no shared cache: the same index digest");
        const index = await indexOf(repository, tag);
        assert.strictEqual(index.digest, digests[0], "the digest the provider reports is the index the registry holds under the content tag");
        assert.deepStrictEqual(index.platforms, ["linux/amd64", "linux/arm64"]);
        measure(`component (docker-build inputs) index of hello-service on two fresh builders: ${digests[0]} both times`);

        // The CLI's build of the same service, same platforms: the same index.
        const cli = await freshBuilder("comp-cli");
        try {
            const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin", "go-service-image.js"), "build", HELLO, "--name", "hello-service", "--repository", repository, "--builder", cli.name, "--platforms", "linux/amd64,linux/arm64", "--push"], { encoding: "utf8", cwd: fs.mkdtempSync(path.join(os.tmpdir(), "gsi-cli-")), env: { ...process.env, GO_SERVICE_IMAGE_DOCKER: DOCKER } });
            assert.strictEqual(r.status, 0, r.stderr.slice(-3000));
            assert.strictEqual(r.stdout.trim(), `${repository}@${digests[0]}`, "the CLI and the component push the same index");
        } finally {
            cli.stop();
        }

        const ref = `${repository}@${digests[0]}`;
        docker("pull", "-q", ref);
        const run = await start(ref);
        run.stop();
        assert.ok(!docker("history", "--no-trunc", ref).includes(secret), "docker history");
        assert.ok(!docker("image", "inspect", ref).includes(secret), "image config");
        const id = docker("create", "--network", "none", ref);
        try {
            assert.strictEqual(spawnSync(DOCKER, ["export", id], { maxBuffer: 256 * 1024 * 1024 }).stdout.indexOf(secret), -1, "image filesystem");
        } finally {
            docker("rm", id);
        }
        assert.strictEqual(binaryMachine(`${repository}@${index.manifests[1].digest}`, "/usr/local/bin/hello-service"), 183, "aarch64");
    });

    it("cacheTo/cacheFrom a registry: a fresh builder (a fresh runner's pulumi up) reuses an unchanged build whole, and after a one-line change the extracted modules and the compiled dependencies: nothing fetched, only the service's packages compiled", async () => {
        const context = copyModule(path.join(REPO_ROOT, "examples", "deps-service"));
        const goProxy = (hostGoEnv() ?? {}).GOPROXY ?? "https://proxy.golang.org,direct";
        const cache = `${REGISTRY}/deps-bx-cache:run-${process.hrtime.bigint()}`;
        const onFresh = async (label: string) => {
            const b = await freshBuilder(label);
            try {
                const captured = await buildxComponentInputs("deps-service", {
                    context,
                    repository: `${REGISTRY}/deps-bx-component`,
                    goEnv: { GOPROXY: goProxy, GOFLAGS: "-x" },
                    buildx: { builder: b.name, cacheFrom: [`type=registry,ref=${cache}`], cacheTo: [`type=registry,ref=${cache},mode=max`] },
                });
                return replay(captured.inputs, captured.cwd, REPRODUCIBLE);
            } finally {
                b.stop();
            }
        };
        const first = await onFresh("cache-1");
        const unchanged = await onFresh("cache-2");
        assert.strictEqual(unchanged.digest, first.digest, "the same image");
        for (const step of [STEPS.download, STEPS.dependencies, STEPS.build]) assert.ok(stepLog(unchanged.log, step).some((l) => / CACHED$/.test(l)), `${step} not from the cache`);
        const api = path.join(context, "internal", "api", "api.go");
        fs.writeFileSync(api, fs.readFileSync(api, "utf8").replace('"ok\\n"', `"ok ${process.hrtime.bigint()}\\n"`));
        const changed = await onFresh("cache-3");
        assert.notStrictEqual(changed.digest, first.digest);
        // With GOFLAGS=-x a step that runs prints its commands; one loaded from the cache prints nothing.
        for (const step of [STEPS.download, STEPS.dependencies]) assert.ok(!ran(stepLog(changed.log, step)), `${step} ran again after a source change`);
        assert.strictEqual(fetched(changed.log), 0, "no module fetched: they came in the download layer");
        const packages = compiledPackages(changed.log);
        assert.ok(packages.length > 0 && packages.length <= 5, `only the service's own packages are compiled, got ${packages.length}: ${packages.join(" ")}`);
        assert.ok(packages.every((p) => p === "main" || p?.startsWith("example.com/deps-service")), `no dependency or standard package recompiled: ${packages.join(" ")}`);
        measure(`component buildx, registry cache, fresh builders: cold ${first.seconds.toFixed(1)} s (${fetched(first.log)} module files fetched, ${compiled(first.log)} packages compiled); unchanged ${unchanged.seconds.toFixed(1)} s (all cached); one-line change ${changed.seconds.toFixed(1)} s (download and dependency layers from the cache, 0 module fetches, ${packages.length} packages compiled: ${packages.join(" ")})`);
    });
});
