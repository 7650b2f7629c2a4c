import * as assert from "assert";
import { Problems } from "../../src/errors";
import { parseGoMod } from "../../src/resolve/gomod";
import { readGoModule } from "../../src/resolve/image";
import { MAIN_GO, tempModule } from "../helpers/module";

describe("go.mod reading", () => {
    it("reads module, go, toolchain and replaces, skipping comments and blocks", () => {
        const text = [
            "// a comment with module fake.example/x",
            'module "example.com/quoted" // trailing',
            "",
            "go 1.22.3",
            "toolchain go1.22.5",
            "require (",
            "\tgolang.org/x/text v0.14.0 // indirect",
            ")",
            "replace example.com/a => ../a",
            "replace (",
            "\texample.com/b v1.0.0 => example.com/c v1.2.0",
            ")",
            "retract [v1.0.0, v1.0.5] // broken",
            "godebug default=go1.21",
        ].join("\n");
        assert.deepStrictEqual(parseGoMod(text), {
            module: "example.com/quoted",
            go: "1.22.3",
            toolchain: "1.22.5",
            replaces: [
                { from: "example.com/a", fromVersion: undefined, to: "../a", toVersion: undefined, local: true },
                { from: "example.com/b", fromVersion: "v1.0.0", to: "example.com/c", toVersion: "v1.2.0", local: false },
            ],
            errors: [],
        });
    });

    it("handles CRLF line ends", () => {
        const m = parseGoMod("module m\r\n\r\ngo 1.21\r\n");
        assert.deepStrictEqual([m.module, m.go, m.errors], ["m", "1.21", []]);
    });

    const broken: Array<[string, string, RegExp]> = [
        ["an unknown directive", "module m\ngo 1.22\nrequires x v1\n", /go\.mod:3: unknown directive: requires/],
        ["an unclosed block", "module m\ngo 1.22\nrequire (\n\tx v1.0.0\n", /go\.mod:3: the require block is never closed/],
        ["a stray parenthesis", "module m\ngo 1.22\n)\n", /go\.mod:3: unknown directive: \)/],
        ["an unterminated string", 'module "m\ngo 1.22\n', /go\.mod:1: unterminated quoted string/],
        ["a bad go version", "module m\ngo one\n", /go\.mod:2: invalid go version 'one'/],
        ["a require without version", "module m\ngo 1.22\nrequire x\n", /go\.mod:3: usage: require module\/path v1\.2\.3/],
        ["a directory replace with a version", "module m\ngo 1.22\nreplace x => ../x v1.0.0\n", /cannot have version/],
        ["a module replace without a version", "module m\ngo 1.22\nreplace x => example.com/y\n", /must be directory path/],
        ["two module lines", "module m\nmodule n\ngo 1.22\n", /go\.mod:2: repeated module statement/],
        ["no module line", "go 1.22\n", /no module statement/],
    ];
    for (const [what, text, pattern] of broken) {
        it(`reports ${what} with its line`, () => {
            const { errors } = parseGoMod(text);
            assert.ok(errors.length >= 1, "no error");
            assert.match(errors.join("\n"), pattern);
        });
    }

    it("reports go.sum and vendor/modules.txt", () => {
        const dir = tempModule({ "go.mod": "module m\ngo 1.22\n", "go.sum": "", "vendor/modules.txt": "", "main.go": MAIN_GO });
        const { local: _local, ...mod } = readGoModule(dir, new Problems())!;
        assert.deepStrictEqual(mod, { path: "m", goVersion: "1.22", toolchain: undefined, hasGoSum: true, vendored: true });
    });

    it("a vendor directory without modules.txt is not vendoring", () => {
        const dir = tempModule({ "go.mod": "module m\ngo 1.22\n", "vendor/x/x.go": "package x\n" });
        assert.strictEqual(readGoModule(dir, new Problems())!.vendored, false);
    });
});
