import * as assert from "assert";
import * as fs from "fs";
import { GoServiceImageError } from "../../src/errors";
import { resolve, ResolveInput } from "../../src/resolve";
import { MAIN_GO, simpleModule, tempModule } from "../helpers/module";

const ok = simpleModule();

/** [case, input, field, message pattern]: each bad input gives one problem naming field, value and fix. */
const CASES: Array<[string, Partial<ResolveInput>, string, RegExp]> = [
    ["missing context", { context: "" }, "context", /'context' is required: give the Go module directory/],
    ["context that does not exist", { context: "/nonexistent/gsi" }, "context", /"\/nonexistent\/gsi" does not exist/],
    ["context that is a file", { context: `${ok}/main.go` }, "context", /is not a directory/],
    ["context without go.mod", { context: tempModule({ "main.go": MAIN_GO }) }, "context", /has no go\.mod: point 'context' at the module root, or run `go mod init/],
    ["go.mod without module line", { context: tempModule({ "go.mod": "go 1.22\n", "main.go": MAIN_GO }) }, "context", /has no module line: add `module <path>`/],
    ["go.mod without go line", { context: tempModule({ "go.mod": "module m\n", "main.go": MAIN_GO }) }, "goVersion", /has no go line: add `go 1\.xx` to it or set 'goVersion'/],
    ["malformed go line", { context: tempModule({ "go.mod": "module m\ngo banana\n", "main.go": MAIN_GO }) }, "goVersion", /"banana" .* is not a Go release version: set 'goVersion'/],
    ["goVersion with go prefix", { goVersion: "go1.22" }, "goVersion", /'goVersion' must be a Go version like "1\.22".*got "go1\.22"/],
    ["no main package", { context: tempModule({ "go.mod": "module m\ngo 1.22\n", "lib.go": "package m\n" }) }, "main", /no main package found .*set 'main'/],
    ["ambiguous main package", { context: tempModule({ "go.mod": "module m\ngo 1.22\n", "cmd/a/main.go": MAIN_GO, "cmd/b/main.go": MAIN_GO }) }, "main", /several main packages .*\.\/cmd\/a, \.\/cmd\/b; set 'main'/],
    ["main outside the module", { main: "../other" }, "main", /'main' must be a package path inside the module .*got "\.\.\/other"/],
    ["main that is not package main", { context: tempModule({ "go.mod": "module m\ngo 1.22\n", "main.go": MAIN_GO, "lib/l.go": "package lib\n" }), main: "./lib" }, "main", /'main' "\.\/lib" is not a package main/],
    ["unknown runtime", { runtime: "ubuntu" as never }, "runtime", /'runtime' must be "scratch", "distroless", "alpine" or \{ image: "<reference>" \}, got "ubuntu"/],
    ["custom runtime with uppercase", { runtime: { image: "Alpine:3" } }, "runtime.image", /'runtime.image' must be an image reference/],
    ["cgo with scratch", { cgo: true }, "cgo", /'cgo' is true but runtime "scratch" has no C library.*set cgo: false/],
    ["cgo with distroless", { cgo: true, runtime: "distroless" }, "cgo", /runtime "distroless" has no C library/],
    ["cgo not a boolean", { cgo: "yes" as never }, "cgo", /'cgo' must be true or false, got "yes"/],
    ["malformed builder digest", { digests: { builder: "sha256:abc" } }, "digests.builder", /'digests.builder' must be an image digest "sha256:" followed by 64/],
    ["runtime digest with scratch", { digests: { runtime: "sha256:" + "a".repeat(64) } }, "digests.runtime", /runtime "scratch" is not an image .*remove the pin/],
    ["empty version variable", { versionVariable: "" }, "versionVariable", /'versionVariable' must be a Go variable as "importpath\.name"/],
    ["version variable without package", { versionVariable: "version" }, "versionVariable", /got "version"/],
    ["ldflags word with a space", { ldflags: ["-X main.a=b"] }, "ldflags[0]", /'ldflags\[0\]' must be one -ldflags word .*split words into separate array items/],
    ["ldflags word with a quote", { ldflags: ['-X=main.a="b"'] }, "ldflags[0]", /no spaces, quotes or \$/],
    ["build tag with a space", { buildTags: ["a b"] }, "buildTags[0]", /'buildTags\[0\]' must be a Go build tag/],
    ["port 0", { port: 0 }, "port", /'port' must be a whole number from 1 to 65535 \(or false for no EXPOSE\), got 0/],
    ["port 70000", { port: 70000 }, "port", /got 70000/],
    ["port not whole", { port: 80.5 }, "port", /got 80\.5/],
    ["root user", { user: 0 }, "user", /'user' must not be 0 \(root\): use a numeric non-root id such as 65532/],
    ["negative user", { user: -1 }, "user", /'user' must be a numeric user id from 1/],
    ["user as a name", { user: "app" as never }, "user", /names cannot be resolved in a scratch image/],
    ["binary name with slash", { binaryName: "a/b" }, "binaryName", /'binaryName' must be a file name/],
    ["env name with dash", { env: { "MY-VAR": "x" } }, "env.MY-VAR", /'env key' must be a variable name/],
    ["env value with newline", { env: { A: "x\nRUN evil" } }, "env.A", /'env\.A' must be one line without control characters.*remove the line breaks/],
    ["label value with newline", { labels: { a: "x\ny" } }, "labels.a", /'labels\.a' must be one line/],
    ["label key with space", { labels: { "a b": "x" } }, "labels.a b", /'labels key' must be a label key/],
    ["command with newline", { command: ["serve\n"] }, "command[0]", /'command\[0\]' must be one line/],
    ["empty command item", { command: [""] }, "command[0]", /'command\[0\]' is empty: remove it/],
    ["source url without scheme", { sourceUrl: "github.com/acme/x" }, "sourceUrl", /'sourceUrl' must be an http\(s\) URL/],
    ["version with space", { version: "1.0 beta" }, "version", /'version' must be a version of letters, digits and \. _ \+ -/],
    ["version with $()", { version: "$(id)" }, "version", /got "\$\(id\)"/],
    ["revision with quote", { revision: "abc'" }, "revision", /'revision' must be a revision/],
    ["unsupported platform", { platform: "linux/arm/v7" }, "platform", /'platform' must be one of linux\/amd64, linux\/arm64/],
    ["platform for windows", { platform: "windows/amd64" }, "platform", /got "windows\/amd64"/],
    ["unknown goEnv", { goEnv: { GOPATH: "/x" } as never }, "goEnv.GOPATH", /must be one of GOFLAGS/],
    ["goEnv with newline", { goEnv: { GOPROXY: "a\nb" } }, "goEnv.GOPROXY", /must be one line/],
    ["build arg owned by the library", { buildArgs: { VERSION: "1" } }, "buildArgs.VERSION", /'buildArgs\.VERSION' is owned by the generated Dockerfile: set 'version'/],
    ["Go env through buildArgs", { buildArgs: { GOPROXY: "x" } }, "buildArgs.GOPROXY", /set it in 'goEnv'/],
    ["negative source date epoch", { sourceDateEpoch: -1 }, "sourceDateEpoch", /'sourceDateEpoch' must be whole seconds since 1970 .*git log -1 --format=%ct/],
    ["SOURCE_DATE_EPOCH through buildArgs", { buildArgs: { SOURCE_DATE_EPOCH: "1" } }, "buildArgs.SOURCE_DATE_EPOCH", /set 'sourceDateEpoch'/],
    ["build arg name with dash", { buildArgs: { "A-B": "x" } }, "buildArgs.A-B", /'buildArgs key' must be a variable name/],
    ["dockerignore that drops go.mod", { dockerignore: ["*.mod"] }, "dockerignore", /'dockerignore' patterns exclude "go\.mod", which the build needs/],
    ["dockerignore pattern with newline", { dockerignore: ["a\nb"] }, "dockerignore[0]", /must be one line/],
    ["dockerignore pattern with a regex group", { dockerignore: ["($HOME"] }, "dockerignore[0]", /got "\(\$HOME"/],
    ["builder image with tag", { builderImage: "golang:1.22" }, "builderImage", /'builderImage' must not have a tag/],
    ["builder tag suffix with space", { builderTagSuffix: "-alpine 3" }, "builderTagSuffix", /'builderTagSuffix' must be a tag suffix/],
];

describe("resolve: bad input", () => {
    for (const [name, input, field, pattern] of CASES) {
        it(`${name}: one clear error on '${field}'`, () => {
            assert.throws(
                () => resolve("api", { context: ok, ...input } as ResolveInput),
                (e: unknown) => {
                    assert.ok(e instanceof GoServiceImageError, `not a GoServiceImageError: ${e}`);
                    assert.deepStrictEqual(e.problems.map((p) => p.field), [field], e.message);
                    assert.match(e.message, /^GoServiceImage "api": /);
                    assert.match(e.message, pattern);
                    return true;
                },
            );
        });
    }

    it("collects every problem and throws once", () => {
        assert.throws(
            () => resolve("api", { context: ok, port: 0, user: 0, version: "a b", platform: "x" }),
            (e: GoServiceImageError) => {
                assert.deepStrictEqual(e.problems.map((p) => p.field).sort(), ["platform", "port", "user", "version"]);
                assert.strictEqual(e.message.split("\n").length, 4);
                return true;
            },
        );
    });

    it("an unreadable go.mod is reported as such", function () {
        if (process.getuid?.() === 0) {
            // Root reads any file; simulate an unreadable go.mod with a directory in its place.
            const dir = tempModule({ "main.go": MAIN_GO });
            fs.mkdirSync(`${dir}/go.mod`);
            assert.throws(() => resolve("api", { context: dir }), /go\.mod" cannot be read \(EISDIR\): fix its permissions/);
        } else {
            const dir = simpleModule();
            fs.chmodSync(`${dir}/go.mod`, 0);
            assert.throws(() => resolve("api", { context: dir }), /go\.mod" cannot be read \(EACCES\)/);
        }
    });

    it("accepts every documented good value", () => {
        const plan = resolve("api", {
            context: ok, main: ".", goVersion: "1.23rc1", runtime: { image: "localhost:5000/base/static:1@sha256:" + "c".repeat(64) },
            port: false, user: 1000, binaryName: "api.v2", versionVariable: "example.com/x/internal/build.Version",
            ldflags: ["-X", "main.commit=abc"], buildTags: ["netgo"], env: { A: "x y 'z' $HOME" }, labels: { "com.acme/team": "p" },
            sourceUrl: "https://github.com/acme/x", version: "1.2.3+meta", revision: "0123abcd", platform: "linux/arm64",
            goEnv: { GOPROXY: "https://proxy.example,direct", GOPRIVATE: "example.com/*" }, buildArgs: { EXTRA: "1" },
        });
        assert.strictEqual(plan.runtime.kind, "custom");
        assert.deepStrictEqual(plan.buildArgs.map(([k]) => k), ["EXTRA", "GOPRIVATE", "GOPROXY"]);
    });
});
