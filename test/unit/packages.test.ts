import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { BuildContext, evalGoBuild, fileIncluded, matchesFileName } from "../../src/resolve/constraints";
import { embeddedFiles, findMainPackages, packageGraph, parseGoFile, readPackage } from "../../src/resolve/packages";
import { MAIN_GO, tempModule } from "../helpers/module";

const linuxAmd64: BuildContext = { goos: "linux", goarch: "amd64", cgo: false, tags: ["timetzdata"], goMinor: 22 };

describe("Go packages as go build sees them", () => {
    describe("build constraints", () => {
        const cases: Array<[string, boolean]> = [
            ["linux", true], ["!linux", false], ["darwin", false], ["linux && amd64", true], ["linux && arm64", false],
            ["darwin || amd64", true], ["!(darwin || windows)", true], ["unix", true], ["cgo", false], ["!cgo", true],
            ["ignore", false], ["go1.21", true], ["go1.23", false], ["timetzdata", true], ["gc && !gccgo", true],
            ["(linux || darwin) && !arm64", true], ["linux && (arm64 || 386)", false],
        ];
        for (const [expr, want] of cases) {
            it(`//go:build ${expr} is ${want} for linux/amd64 without cgo`, () => {
                assert.strictEqual(evalGoBuild(expr, (t) => ["linux", "amd64", "unix", "gc", "timetzdata", "go1.21", "go1.22"].includes(t)), want);
            });
        }
        it("a malformed expression throws", () => {
            assert.throws(() => evalGoBuild("linux &&", () => true), /unexpected end/);
            assert.throws(() => evalGoBuild("(linux", () => true), /missing \)/);
        });
        it("file name suffixes", () => {
            assert.strictEqual(matchesFileName(linuxAmd64, "x_linux.go"), true);
            assert.strictEqual(matchesFileName(linuxAmd64, "x_windows.go"), false);
            assert.strictEqual(matchesFileName(linuxAmd64, "x_arm64.go"), false);
            assert.strictEqual(matchesFileName(linuxAmd64, "x_linux_amd64.go"), true);
            assert.strictEqual(matchesFileName(linuxAmd64, "x_darwin_amd64.go"), false);
            assert.strictEqual(matchesFileName(linuxAmd64, "linux.go"), true, "a bare GOOS name is no suffix");
            assert.strictEqual(matchesFileName(linuxAmd64, "my_handler.go"), true);
        });
        it("the older // +build lines, and //go:build winning over them", () => {
            assert.strictEqual(fileIncluded(linuxAmd64, "a.go", "// +build darwin windows\n\npackage a\n"), false);
            assert.strictEqual(fileIncluded(linuxAmd64, "a.go", "// +build linux,amd64 darwin\n\npackage a\n"), true);
            assert.strictEqual(fileIncluded(linuxAmd64, "a.go", "//go:build linux\n// +build darwin\n\npackage a\n"), true);
            assert.strictEqual(fileIncluded(linuxAmd64, "a.go", "package a\n\n//go:build ignore\n"), true, "after the package clause it is no constraint");
        });
    });

    it("reads imports, the package clause and embed patterns, skipping comments and strings", () => {
        const src = [
            "// Package main says package nope in a comment",
            "/* package nope */",
            "package main",
            "",
            'import "fmt"',
            "import (",
            '\tb "example.com/m/internal/b"',
            "\t_ `embed`",
            '\t. "strings" // dot import',
            ")",
            "",
            "//go:embed static/* \"with space.txt\"",
            "var files embed.FS",
            'var s = "import \\"nope\\""',
        ].join("\n");
        assert.deepStrictEqual(parseGoFile("main.go", src), { name: "main.go", packageName: "main", imports: ["fmt", "example.com/m/internal/b", "embed", "strings"], embeds: ["static/*", "with space.txt"] });
    });

    it("a //go:embed inside a string literal is no directive: a code generator's template embeds nothing", () => {
        const src = [
            "package main",
            "",
            'import "embed"',
            "",
            "var tmpl = `package gen",
            "//go:embed data.txt",
            "var data string",
            "`",
            "",
            'var s = "//go:embed other.txt"',
            "",
            "\t//go:embed real.txt",
            "var real embed.FS",
            "",
            "x := 1 //go:embed trailing.txt",
        ].join("\n");
        assert.deepStrictEqual(parseGoFile("gen.go", src).embeds, ["real.txt"], "only a line comment that starts its line");
        const dir = tempModule({
            "go.mod": "module example.com/gen\ngo 1.22\n",
            "main.go": "package main\n\nvar tmpl = `\n//go:embed data.txt\nvar data string\n`\n\nfunc main() { println(tmpl) }\n",
            "data.txt": "not read by the build\n",
        });
        const { resolveOnly } = require("../helpers/generate") as typeof import("../helpers/generate");
        const plan = resolveOnly("gen", { context: dir, repository: "registry.example.com/gen" });
        assert.ok(!plan.contextFiles.some((f) => f.rel === "data.txt"), "the template's file is neither sent nor hashed");
        fs.rmSync(path.join(dir, "data.txt"));
        assert.ok(resolveOnly("gen", { context: dir, repository: "registry.example.com/gen" }).image, "go build accepts the module without data.txt, and so does resolve");
    });

    describe("main package detection", () => {
        it("honours build constraints: a //go:build ignore generator at the root is not the main package", () => {
            const dir = tempModule({
                "go.mod": "module example.com/m\ngo 1.22\n",
                "gen.go": "//go:build ignore\n\npackage main\n\nfunc main() {}\n",
                "lib.go": "package m\n",
                "cmd/api/main.go": MAIN_GO,
            });
            assert.deepStrictEqual(findMainPackages(dir, linuxAmd64), ["./cmd/api"]);
            assert.strictEqual(readPackage(dir, linuxAmd64)?.name, "m");
        });
        it("the root when it is package main; every cmd/<name> otherwise, sorted", () => {
            assert.deepStrictEqual(findMainPackages(tempModule({ "go.mod": "module m\n", "main.go": MAIN_GO, "cmd/x/main.go": MAIN_GO }), linuxAmd64), ["."]);
            const dir = tempModule({ "go.mod": "module m\n", "lib.go": "package m\n", "cmd/b/main.go": MAIN_GO, "cmd/a/main.go": MAIN_GO, "cmd/lib/x.go": "package lib\n" });
            assert.deepStrictEqual(findMainPackages(dir, linuxAmd64), ["./cmd/a", "./cmd/b"]);
        });
        it("test files and files for other systems do not make a package main", () => {
            assert.deepStrictEqual(findMainPackages(tempModule({ "go.mod": "module m\n", "lib.go": "package m\n", "x_test.go": "package main\n" }), linuxAmd64), []);
            assert.deepStrictEqual(findMainPackages(tempModule({ "go.mod": "module m\n", "main_windows.go": MAIN_GO }), linuxAmd64), []);
        });
    });

    it("follows the module's own imports, not other modules' and not nested modules", () => {
        const dir = tempModule({
            "go.mod": "module example.com/m\ngo 1.22\n",
            "cmd/api/main.go": 'package main\n\nimport (\n\t"fmt"\n\t"example.com/m/internal/a"\n\t"example.com/m/tools/x"\n)\n\nfunc main() { fmt.Println(a.A) }\n',
            "internal/a/a.go": 'package a\n\nimport "example.com/m/internal/b"\n\nvar A = b.B\n',
            "internal/b/b.go": "package b\n\nvar B = 1\n",
            "internal/unused/u.go": "package unused\n",
            "tools/go.mod": "module example.com/m/tools\n",
            "tools/x/x.go": "package x\n",
        });
        const rel = (p: { dir: string }) => path.relative(dir, p.dir);
        assert.deepStrictEqual(packageGraph([{ path: "example.com/m", dir }], [path.join(dir, "cmd/api")], linuxAmd64).map(rel), ["cmd/api", "internal/a", "internal/b"]);
    });

    it("follows imports into local modules (the longest module path wins) and, for every platform, through any file", () => {
        const root = tempModule({
            "api/go.mod": "module example.com/api\ngo 1.22\n",
            "api/main.go": 'package main\n\nimport "example.com/shared/greet"\n\nfunc main() { greet.Hi() }\n',
            "api/arm.go": '//go:build arm64\n\npackage main\n\nimport _ "example.com/shared/armonly"\n',
            "shared/go.mod": "module example.com/shared\ngo 1.22\n",
            "shared/greet/greet.go": "package greet\n\nfunc Hi() {}\n",
            "shared/greet/greet_test.go": "package greet\n",
            "shared/armonly/a.go": "package armonly\n",
            "shared/armonly/a_amd64.s": "// asm\n",
            "shared/unused/u.go": "package unused\n",
        });
        const modules = [{ path: "example.com/api", dir: path.join(root, "api") }, { path: "example.com/shared", dir: path.join(root, "shared") }];
        const rel = (p: { dir: string }) => path.relative(root, p.dir);
        assert.deepStrictEqual(packageGraph(modules, [path.join(root, "api")], linuxAmd64).map(rel), ["api", "shared/greet"]);
        const every = packageGraph(modules, [path.join(root, "api")], undefined);
        assert.deepStrictEqual(every.map(rel), ["api", "shared/armonly", "shared/greet"]);
        assert.deepStrictEqual(every[1].others, ["a_amd64.s"]);
        assert.deepStrictEqual(every[2].files.map((f) => f.name), ["greet.go"], "no test files");
    });

    it("lists embedded files: globs, directories (without . and _ files unless all:)", () => {
        const dir = tempModule({
            "go.mod": "module m\ngo 1.22\n",
            "main.go": 'package main\n\nimport "embed"\n\n//go:embed static templates/*.html\nvar a embed.FS\n\n//go:embed all:assets\nvar b embed.FS\n\n//go:embed missing/*.txt\nvar c embed.FS\n\nfunc main() {}\n',
            "static/app.js": "x", "static/.hidden": "x", "static/_skip": "x", "static/sub/deep.css": "x",
            "templates/a.html": "x", "templates/b.txt": "x",
            "assets/.keep": "x",
        });
        const pkg = readPackage(dir, linuxAmd64)!;
        assert.deepStrictEqual(embeddedFiles(pkg), {
            files: ["assets/.keep", "static/app.js", "static/sub/deep.css", "templates/a.html"],
            unmatched: ["missing/*.txt"],
            unreadable: [],
        });
    });

    it("records files that import \"C\", and leaves them out with cgo off as go build does", () => {
        const dir = tempModule({ "go.mod": "module m\ngo 1.22\n", "main.go": MAIN_GO, "c.go": 'package main\n\nimport "C"\n' });
        const off = readPackage(dir, linuxAmd64)!;
        assert.deepStrictEqual([off.files.map((f) => f.name), off.cgoFiles], [["main.go"], ["c.go"]]);
        const on = readPackage(dir, { ...linuxAmd64, cgo: true })!;
        assert.deepStrictEqual(on.files.map((f) => f.name), ["c.go", "main.go"]);
    });
});

describe("versionVariable must name a package-level string variable (the linker ignores -X for one that does not exist)", () => {
    const { resolveOnly } = require("../helpers/generate") as typeof import("../helpers/generate");
    const { GoServiceImageError } = require("../../src/errors") as typeof import("../../src/errors");
    const dir = tempModule({
        "go.mod": "module example.com/app\ngo 1.22\n",
        "main.go": 'package main\n\nimport "example.com/app/internal/version"\n\nvar commit string\n\nfunc main() { println(version.Version, commit) }\n',
        "internal/version/version.go": 'package version\n\n// Version is stamped at build time.\nvar (\n\tVersion = "dev"\n\tcount   = 1\n)\n',
    });
    const plan = (versionVariable?: string) => resolveOnly("app", { context: dir, repository: "registry.example.com/app", versionVariable });

    it("one that exists, in main or in a local package, is taken", () => {
        assert.ok(plan("main.commit").image);
        assert.strictEqual(plan("example.com/app/internal/version.Version").image.versionVariable, "example.com/app/internal/version.Version");
    });

    it("the default main.version is not required: a service without one builds as before", () => {
        assert.strictEqual(plan().image.versionVariable, "main.version");
    });

    for (const [given, pattern] of [
        ["main.version", /'versionVariable' "main\.version" names no package-level string variable version in the main package "\.", so the linker would silently stamp nothing: declare it as a package-level string/],
        ["example.com/app/internal/version.count", /names no package-level string variable count in package "example\.com\/app\/internal\/version" \("internal\/version"\)/],
        ["example.com/app/internal/version.version", /no package-level string variable version in package/],
    ] as const) {
        it(`one that does not exist is refused, with the fix: ${given}`, () => {
            assert.throws(() => plan(given), (e: unknown) => e instanceof GoServiceImageError && e.problems.length === 1 && e.problems[0].field === "versionVariable" && pattern.test(e.message));
        });
    }
});
