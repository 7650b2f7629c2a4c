import * as assert from "assert";
import { Problems } from "../../src/errors";
import { findMainPackages, packageName, parseGoMod, readGoModule } from "../../src/resolve/gomod";
import { MAIN_GO, tempModule } from "../helpers/module";

describe("go.mod reading", () => {
    it("reads module, go and toolchain lines, skipping comments and blocks", () => {
        const text = [
            "// a comment with module fake.example/x",
            'module "example.com/quoted" // trailing',
            "",
            "go 1.22.3",
            "toolchain go1.22.5",
            "require (",
            "\tgo 1.0 // not a go line: inside a block",
            "\tgolang.org/x/text v0.14.0",
            ")",
            "replace example.com/a => ../a",
        ].join("\n");
        assert.deepStrictEqual(parseGoMod(text), { module: "example.com/quoted", go: "1.22.3", toolchain: "1.22.5" });
    });

    it("handles CRLF line ends", () => {
        assert.deepStrictEqual(parseGoMod("module m\r\n\r\ngo 1.21\r\n"), { module: "m", go: "1.21" });
    });

    it("reports go.sum and vendor/modules.txt", () => {
        const dir = tempModule({ "go.mod": "module m\ngo 1.22\n", "go.sum": "", "vendor/modules.txt": "" });
        const mod = readGoModule(dir, new Problems());
        assert.deepStrictEqual(mod, { path: "m", goVersion: "1.22", toolchain: undefined, hasGoSum: true, vendored: true });
    });

    it("a vendor directory without modules.txt is not vendoring", () => {
        const dir = tempModule({ "go.mod": "module m\ngo 1.22\n", "vendor/x/x.go": "package x\n" });
        assert.strictEqual(readGoModule(dir, new Problems())!.vendored, false);
    });

    it("the package clause is found after comments and build constraints", () => {
        assert.strictEqual(packageName("//go:build linux\n\n/* package nope */\n// package nope\npackage main\n"), "main");
        assert.strictEqual(packageName("// only comments\n"), undefined);
    });

    describe("main package detection", () => {
        it("the root when it is package main", () => {
            assert.deepStrictEqual(findMainPackages(tempModule({ "go.mod": "module m\n", "main.go": MAIN_GO, "cmd/x/main.go": MAIN_GO })), ["."]);
        });
        it("every cmd/<name> that is package main, sorted", () => {
            const dir = tempModule({ "go.mod": "module m\n", "lib.go": "package m\n", "cmd/b/main.go": MAIN_GO, "cmd/a/main.go": MAIN_GO, "cmd/lib/x.go": "package lib\n" });
            assert.deepStrictEqual(findMainPackages(dir), ["./cmd/a", "./cmd/b"]);
        });
        it("test files do not make a package main", () => {
            assert.deepStrictEqual(findMainPackages(tempModule({ "go.mod": "module m\n", "lib.go": "package m\n", "x_test.go": "package main\n" })), []);
        });
    });
});
