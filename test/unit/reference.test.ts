import * as assert from "assert";
import { checkImageReference, checkRegistryServer, checkRepository, parseReference, registryHost, sameRegistry } from "../../src/reference";

describe("Docker references (one parser, Docker's grammar)", () => {
    const parsed: Array<[string, { domain: string; path: string; tag?: string; digest?: string }]> = [
        ["alpine", { domain: "docker.io", path: "library/alpine" }],
        ["alpine:3.22", { domain: "docker.io", path: "library/alpine", tag: "3.22" }],
        ["acme/api", { domain: "docker.io", path: "acme/api" }],
        ["ghcr.io/acme/api", { domain: "ghcr.io", path: "acme/api" }],
        ["localhost:5000/api", { domain: "localhost:5000", path: "api" }],
        ["127.0.0.1:5000/base/static:1", { domain: "127.0.0.1:5000", path: "base/static", tag: "1" }],
        [`golang:1.22-alpine@sha256:${"b".repeat(64)}`, { domain: "docker.io", path: "library/golang", tag: "1.22-alpine", digest: `sha256:${"b".repeat(64)}` }],
    ];
    for (const [ref, want] of parsed) {
        it(`parses ${ref}`, () => assert.deepStrictEqual({ ...parseReference(ref) as object }, { tag: undefined, digest: undefined, ...want }));
    }

    it("the registry host of a repository, as Docker reads it", () => {
        assert.strictEqual(registryHost("ghcr.io/acme/api"), "ghcr.io");
        assert.strictEqual(registryHost("localhost:5000/api"), "localhost:5000");
        assert.strictEqual(registryHost("acme/api"), "docker.io");
        assert.strictEqual(registryHost("api"), "docker.io");
        assert.ok(sameRegistry("index.docker.io", "docker.io"));
        assert.ok(!sameRegistry("quay.io", "docker.io"));
    });

    const repositories: Array<[string, RegExp | undefined]> = [
        ["ghcr.io/acme/api", undefined],
        ["localhost:5000/a/b/c", undefined],
        ["acme/api", undefined],
        ["123.dkr.ecr.eu-west-1.amazonaws.com/api", undefined],
        ["ghcr.io/acme/api:latest", /must not have a tag, got "ghcr\.io\/acme\/api:latest": the tag is derived from the build; give "ghcr\.io\/acme\/api"\.$/],
        ["ghcr.io/Acme/API:latest", /must be lowercase, got "ghcr\.io\/Acme\/API:latest": use "ghcr\.io\/acme\/api"\.$/],
        ["ghcr.io/Acme/API", /must be lowercase, got "ghcr\.io\/Acme\/API": use "ghcr\.io\/acme\/api"\.$/],
        ["Acme/api", /must be lowercase, got "Acme\/api": use "acme\/api"\.$/],
        ["https://ghcr.io/acme/api:v1", /must not have a scheme, got "https:\/\/ghcr\.io\/acme\/api:v1": use "ghcr\.io\/acme\/api"\.$/],
        [`ghcr.io/acme/api@sha256:${"a".repeat(64)}`, /must not have a digest.*give "ghcr\.io\/acme\/api"\.$/],
        ["ghcr.io//api", /is not an image repository .*invalid reference format/],
        ["ghcr.io/acme/-api", /is not an image repository/],
        ["", /must be an image repository like/],
    ];
    for (const [value, want] of repositories) {
        it(`repository ${JSON.stringify(value)}: ${want ? "refused" : "accepted"}`, () => {
            const message = checkRepository("repository", value);
            if (!want) assert.strictEqual(message, undefined);
            else assert.match(message ?? "(accepted)", want);
        });
    }

    it("every fix a message proposes is itself a valid repository", () => {
        for (const [value, want] of repositories) {
            const fix = /(?:use|give) "([^"]+)"\.$/.exec(checkRepository("repository", value) ?? "")?.[1];
            if (want && fix) assert.strictEqual(checkRepository("repository", fix), undefined, `${value} → ${fix}`);
        }
    });

    it("image references with tags and digests; registry hosts", () => {
        assert.strictEqual(checkImageReference("runtime.image", "cgr.dev/chainguard/static:latest"), undefined);
        assert.strictEqual(checkImageReference("runtime.image", `alpine@sha256:${"c".repeat(64)}`), undefined);
        assert.match(checkImageReference("runtime.image", "Alpine:3")!, /must be an image reference like "alpine:3\.22"/);
        assert.match(checkImageReference("runtime.image", "alpine@sha256:abc")!, /must be an image reference/);
        assert.strictEqual(checkRegistryServer("registry.server", "ghcr.io"), undefined);
        assert.strictEqual(checkRegistryServer("registry.server", "localhost:5000"), undefined);
        assert.strictEqual(checkRegistryServer("registry.server", "index.docker.io"), undefined);
        assert.match(checkRegistryServer("registry.server", "https://ghcr.io/x")!, /without a scheme.*use "ghcr\.io"/);
        assert.match(checkRegistryServer("registry.server", "localhost:99999")!, /port 99999, out of range/);
        assert.match(checkRegistryServer("registry.server", "bad host")!, /must be a registry host/);
    });
});
