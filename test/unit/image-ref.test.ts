import * as assert from "assert";
import { imageRefFrom } from "../../src/image/image-ref";

const D = "sha256:" + "0123456789abcdef".repeat(4);

describe("imageRefFrom", () => {
    const good: Array<[string, string, string]> = [
        ["ghcr.io/acme/api", `ghcr.io/acme/api@${D}`, `ghcr.io/acme/api@${D}`],
        ["localhost:5000/hello", `localhost:5000/hello@${D}`, `localhost:5000/hello@${D}`],
        // The engine reported another repository first: the digest is rebased onto ours.
        ["ghcr.io/acme/api", `ghcr.io/acme/other@${D}`, `ghcr.io/acme/api@${D}`],
    ];
    for (const [repo, repoDigest, want] of good) {
        it(`${repoDigest} -> ${want}`, () => {
            assert.deepStrictEqual(imageRefFrom("api", repo, repoDigest), { imageRef: want, digest: D });
        });
    }

    const bad: Array<[string, string | undefined]> = [
        ["missing", undefined],
        ["empty", ""],
        ["<none>", "<none>@<none>"],
        ["local image id only", D],
        ["short digest", "ghcr.io/acme/api@sha256:abc"],
        ["uppercase hex", `ghcr.io/acme/api@sha256:${"A".repeat(64)}`],
        ["other algorithm", `ghcr.io/acme/api@sha512:${"a".repeat(128)}`],
        ["trailing text", `ghcr.io/acme/api@${D} `],
    ];
    for (const [name, repoDigest] of bad) {
        it(`fails loudly on ${name}`, () => {
            assert.throws(() => imageRefFrom("api", "ghcr.io/acme/api", repoDigest), /GoServiceImage "api": the registry did not report a usable digest for ghcr\.io\/acme\/api .*check the registry credentials/);
        });
    }
});
