import * as assert from "assert";
import { buildxArgv } from "../../src/image/buildx";
import { ImageBuildInputs } from "../../src/image/build-inputs";

describe("the buildx command line", () => {
    const inputs: ImageBuildInputs = { context: "svc", dockerfile: ".go-service-image/api/Dockerfile", args: { VERSION: "1", GOPROXY: "https://p" }, platform: "linux/amd64", network: "host", builderVersion: "BuilderBuildKit" };

    it("pushes one index for several platforms, reproducibly: no attestations, the digest read from the metadata file", () => {
        assert.deepStrictEqual(buildxArgv(inputs, "r/api:t", { platforms: ["linux/amd64", "linux/arm64"], cacheFrom: ["type=registry,ref=r/api:cache"], cacheTo: ["type=registry,ref=r/api:cache,mode=max"] }, true, "/m.json", { netrc: "/n" }), [
            "buildx", "build", "--progress", "plain",
            "--secret", "id=netrc,src=/n",
            "--network", "host",
            "--platform", "linux/amd64,linux/arm64",
            "--build-arg", "GOPROXY=https://p", "--build-arg", "VERSION=1",
            "--cache-from", "type=registry,ref=r/api:cache",
            "--cache-to", "type=registry,ref=r/api:cache,mode=max",
            "--provenance=false", "--sbom=false", "--metadata-file", "/m.json",
            "--output", "type=image,name=r/api:t,push=true",
            "-f", ".go-service-image/api/Dockerfile", "svc",
        ]);
    });

    it("without --push loads the one platform's image into the engine", () => {
        const argv = buildxArgv(inputs, "r/api:t", {}, false, "/m.json");
        assert.deepStrictEqual(argv.slice(argv.indexOf("--output"), argv.indexOf("-f")), ["--output", "type=docker", "--tag", "r/api:t"]);
        assert.deepStrictEqual(argv.slice(argv.indexOf("--platform"), argv.indexOf("--platform") + 2), ["--platform", "linux/amd64"]);
    });
});
