import * as assert from "assert";
import * as fs from "fs";
import { GoServiceImageError } from "../../src/errors";
import { Options as ResolveInput, resolveOnly } from "../helpers/generate";
import { MAIN_GO, simpleModule, tempModule } from "../helpers/module";
import { BAD_INPUTS as CASES, BASE, ODD_INPUTS } from "../helpers/bad-inputs";

/** The secrets the bad-input table puts into URLs and specs. */
const SECRETS = ["s3cret", "tok3n", "pw0rd", "ghs_abc", "wJalr"];

describe("resolve: bad input", () => {
    for (const [what, input, field, pattern, where] of CASES) {
        if (where?.cliOnly) continue; // resolved for the component here; the CLI suite runs those
        it(`${what}: one clear error on '${field}'`, () => {
            const name = where?.name ?? "api";
            assert.throws(
                () => resolveOnly(name, { ...BASE, ...input } as ResolveInput),
                (e: unknown) => {
                    assert.ok(e instanceof GoServiceImageError, `not a GoServiceImageError: ${e}`);
                    assert.deepStrictEqual(e.problems.map((p) => p.field), [field], e.message);
                    assert.ok(e.message.startsWith(`GoServiceImage "${name}": `), e.message);
                    assert.match(e.message, pattern);
                    // The table's credentials (passwords and tokens) are never echoed.
                    for (const secret of SECRETS) assert.ok(!e.message.includes(secret), `the message shows ${secret}: ${e.message}`);
                    return true;
                },
            );
        });
    }

    for (const [what, input, where] of ODD_INPUTS) {
        it(`accepted: ${what}`, () => {
            assert.ok(resolveOnly(where?.name ?? "api", { ...BASE, ...input }).image);
        });
    }

    it("the table holds at least 120 bad or odd inputs", () => {
        assert.ok(CASES.length + ODD_INPUTS.length >= 120, `${CASES.length} + ${ODD_INPUTS.length}`);
    });

    it("collects every problem and throws once", () => {
        assert.throws(
            () => resolveOnly("api", { ...BASE, port: -1, user: 0, version: "a b", platform: "x" }),
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
            assert.throws(() => resolveOnly("api", { ...BASE, context: dir }), /go\.mod" cannot be read \(EISDIR\): fix its permissions/);
        } else {
            const dir = simpleModule();
            fs.chmodSync(`${dir}/go.mod`, 0);
            assert.throws(() => resolveOnly("api", { ...BASE, context: dir }), /go\.mod" cannot be read \(EACCES\)/);
        }
    });

    it("accepts every documented good value", () => {
        const plan = resolveOnly("api", {
            ...BASE, main: ".", goVersion: "1.23rc1", runtime: "localhost:5000/base/static:1@sha256:" + "c".repeat(64),
            port: 0, user: 1000, binaryName: "api.v2", versionVariable: "example.com/other/build.Version",
            ldflags: ["-X", "main.commit=abc"], buildTags: ["netgo"], env: { A: "x y 'z' $HOME" }, labels: { "com.acme/team": "p" },
            sourceUrl: "https://github.com/acme/x", version: "1.2.3+meta", revision: "0123abcd", platform: "linux/arm64",
            goEnv: { GOPROXY: "https://proxy.example,direct", GOPRIVATE: "example.com/*" }, buildArgs: { EXTRA: "1" },
        });
        assert.strictEqual(plan.image.runtime.kind, "custom");
        assert.deepStrictEqual(plan.image.buildArgs.map(([k]) => k), ["EXTRA", "GOPRIVATE", "GOPROXY"]);
    });
});
