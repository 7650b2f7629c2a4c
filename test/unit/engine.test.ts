import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EngineError, engineBuild, enginePush } from "../../src/image/engine";
import { ImageBuildInputs } from "../../src/image/build-inputs";

/** A stand-in docker client: a shell script that answers `version` and runs `body` for anything else. */
function fakeDocker(body: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-fake-docker-")), "docker");
    fs.writeFileSync(file, `#!/bin/sh\nif [ "$1" = version ]; then echo 20.10.24; exit 0; fi\n${body}\n`, { mode: 0o755 });
    return file;
}

const inputs: ImageBuildInputs = { context: ".", dockerfile: "Dockerfile", args: { VERSION: "1" }, platform: "linux/amd64", builderVersion: "BuilderBuildKit" };

describe("the local engine", () => {
    it("streams build output as it comes, not at the end", async () => {
        const docker = fakeDocker('echo "#1 step one" >&2; sleep 1; echo "#2 step two" >&2; exit 1');
        const seen: Array<[number, string]> = [];
        const start = Date.now();
        await assert.rejects(engineBuild(inputs, "x:1", { docker, progress: (s) => seen.push([Date.now() - start, s]) }), EngineError);
        const end = Date.now() - start;
        const first = seen.find(([, s]) => s.includes("step one"));
        assert.ok(first, "the first line reached progress");
        assert.ok(first[0] < end - 500, `the first line arrived at ${first[0]} ms, the build ended at ${end} ms`);
    });

    it("says which setting fixes an engine without a default bridge", async () => {
        const docker = fakeDocker('echo "ERROR: failed to solve: network bridge not found" >&2; exit 1');
        await assert.rejects(engineBuild(inputs, "x:1", { docker }), /The engine has no default bridge network \(dockerd --bridge=none\): build with --network host \(in GoServiceImage: network: "host"\)/);
    });

    it("says which setting fixes a client with BuildKit but no buildx", async () => {
        const docker = fakeDocker('echo "ERROR: BuildKit is enabled but the buildx component is missing or broken." >&2; exit 1');
        await assert.rejects(engineBuild(inputs, "x:1", { docker }), /has BuildKit on but no buildx plugin: install the buildx plugin \(docker-buildx\), or point --docker \(GO_SERVICE_IMAGE_DOCKER\) at a client with BuildKit built in/);
    });

    it("a push that fails says why, with nothing on the way to stdout", async () => {
        const docker = fakeDocker('echo "The push refers to repository [127.0.0.1:1/x]"; echo "dial tcp 127.0.0.1:1: connect: connection refused" >&2; exit 1');
        await assert.rejects(enginePush("svc", "127.0.0.1:1/x", "t", { docker }), /docker push of 127\.0\.0\.1:1\/x:t failed \(exit 1\): dial tcp 127\.0\.0\.1:1: connect: connection refused\. Check that the registry is reachable/);
    });

    it("a missing client is named, with the setting that points at another", async () => {
        await assert.rejects(engineBuild(inputs, "x:1", { docker: "/nonexistent/docker" }), /cannot run the docker client "\/nonexistent\/docker" \(ENOENT\): install it or set GO_SERVICE_IMAGE_DOCKER/);
    });
});
