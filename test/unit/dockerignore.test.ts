import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import ignore from "@balena/dockerignore";
import { dockerignorePatterns } from "../../src/render/dockerignore";
import { generate } from "../helpers/generate";
import { tempModule } from "../helpers/module";

describe("the generated allow-list (Dockerfile.dockerignore)", () => {
    const dir = tempModule({
        "go.mod": "module example.com/svc\n\ngo 1.22\n\nrequire golang.org/x/text v0.14.0\n",
        "go.sum": "golang.org/x/text v0.14.0 h1:x=\n",
        "cmd/api/main.go": 'package main\n\nimport (\n\t"embed"\n\t"example.com/svc/internal/secrets"\n)\n\n//go:embed static\nvar static embed.FS\n\nfunc main() { _ = static; secrets.Load() }\n',
        "cmd/api/static/index.html": "<p>",
        "cmd/api/main_test.go": "package main\n",
        "internal/secrets/secrets.go": "package secrets\n\nfunc Load() {}\n",
        "internal/secrets/asm_amd64.s": "// asm\n",
        "internal/secrets/testdata/fixture.json": "{}",
        "internal/unused/unused.go": "package unused\n",
        "README.md": "# svc",
        ".env": "SECRET=1",
        ".git/HEAD": "ref: x",
        "Pulumi.dev.yaml": "config: {}",
        "node_modules/x/index.js": "",
        "bin/api": "binary",
    });
    const { dockerignore, plan } = generate(dir, { dockerignore: ["**/*.html.bak"] });
    // Read the rendered text back the way Docker does: one pattern a line, # comments.
    const patterns = dockerignore.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    const matcher = ignore({ ignorecase: false }).add(patterns);

    it("renders exactly the planned patterns: everything out, each file the build reads back in, then the extras", () => {
        assert.deepStrictEqual(patterns, dockerignorePatterns(plan.image));
        assert.strictEqual(patterns[0], "*");
        assert.strictEqual(patterns[patterns.length - 1], "**/*.html.bak");
    });

    it("lists exactly what the build reads", () => {
        assert.deepStrictEqual(plan.image.contextAllowList, ["cmd/api/main.go", "cmd/api/static/index.html", "go.mod", "go.sum", "internal/secrets/asm_amd64.s", "internal/secrets/secrets.go"]);
    });

    for (const kept of ["go.mod", "go.sum", "cmd/api/main.go", "cmd/api/static/index.html", "internal/secrets/secrets.go", "internal/secrets/asm_amd64.s"]) {
        it(`keeps ${kept}`, () => assert.strictEqual(matcher.ignores(kept), false));
    }
    for (const dropped of ["README.md", ".env", ".git/HEAD", "Pulumi.dev.yaml", "node_modules/x/index.js", "bin/api", "cmd/api/main_test.go", "internal/secrets/testdata/fixture.json", "internal/unused/unused.go", "Dockerfile", ".dockerignore"]) {
        it(`drops ${dropped}`, () => assert.strictEqual(matcher.ignores(dropped), true));
    }

    it("the context the tag covers is the list", () => {
        assert.deepStrictEqual(plan.contextFiles.map((f) => f.rel), plan.image.contextAllowList);
    });

    describe("cgo off: the build constraints apply before a file is sent (a cgo-only package's C sources, another OS's files, an unset tag's)", () => {
        // As go-ethereum: crypto/sig uses secp (cgo, with C sources reached through //go:build dummy packages) only with cgo on.
        const files: Record<string, string> = {
            "go.mod": "module example.com/m\n\ngo 1.22\n",
            "main.go": 'package main\n\nimport _ "example.com/m/sig"\n\nfunc main() {}\n',
            "main_windows.go": 'package main\n\nimport _ "example.com/m/winonly"\n',
            "winonly/w.go": "package winonly\n",
            "sig/sig_cgo.go": '//go:build cgo\n\npackage sig\n\nimport _ "example.com/m/secp"\n',
            "sig/sig_nocgo.go": "//go:build !cgo\n\npackage sig\n",
            "secp/secp.go": '//go:build cgo\n\npackage secp\n\n// #include "lib/src/big.c"\nimport "C"\n',
            "secp/dummy.go": '//go:build dummy\n\npackage secp\n\nimport _ "example.com/m/secp/lib/src"\n',
            "secp/lib/src/dummy.go": "//go:build dummy\n\npackage src\n",
            "secp/lib/src/big.c": "int x;\n",
            "asm/a.go": "package asm\n",
            "asm/a_arm64.s": "#include \"textflag.h\"\n",
        };
        files["main.go"] = 'package main\n\nimport (\n\t_ "example.com/m/asm"\n\t_ "example.com/m/sig"\n)\n\nfunc main() {}\n';

        it("with cgo off only what some Linux platform's build compiles is sent (another platform's assembly too)", () => {
            assert.deepStrictEqual(generate(tempModule(files)).plan.image.contextAllowList, ["asm/a.go", "asm/a_arm64.s", "go.mod", "main.go", "sig/sig_nocgo.go"]);
        });

        it("with cgo on every file whatever its constraints, as before: a cgo package may #include sources only a tagged file reaches", () => {
            const list = generate(tempModule(files), { cgo: true, runtime: "alpine" }).plan.image.contextAllowList;
            for (const f of ["secp/secp.go", "secp/lib/src/big.c", "sig/sig_cgo.go", "main_windows.go", "winonly/w.go"]) assert.ok(list.includes(f), `${f} in ${list.join(" ")}`);
        });
    });

    it("a vendored module carries vendor/modules.txt and the vendored packages the build reaches, as -mod=vendor finds them, no more", () => {
        const v = tempModule({
            "go.mod": "module m\n\ngo 1.22\n",
            "main.go": 'package main\n\nimport _ "example.com/x"\n\nfunc main() {}\n',
            "vendor/modules.txt": "# example.com/x v1.0.0\n## explicit\nexample.com/x\n",
            "vendor/example.com/x/x.go": 'package x\n\nimport (\n\t"embed"\n\t_ "example.com/y/sub"\n\t_ "fmt"\n)\n\n//go:embed table.txt\nvar f embed.FS\n',
            "vendor/example.com/x/table.txt": "t\n",
            "vendor/example.com/x/asm_amd64.s": "TEXT ·f(SB),0,$0\n",
            "vendor/example.com/x/x_windows.go": 'package x\n\nimport _ "example.com/y/windows"\n',
            "vendor/example.com/x/LICENSE": "MIT\n",
            "vendor/example.com/y/sub/sub.go": "package sub\n",
            "vendor/example.com/y/windows/w.go": "package windows\n",
            "vendor/example.com/unused/u.go": "package unused\n",
        });
        assert.deepStrictEqual(generate(v).plan.image.contextAllowList, ["go.mod", "main.go", "vendor/example.com/x/asm_amd64.s", "vendor/example.com/x/table.txt", "vendor/example.com/x/x.go", "vendor/example.com/y/sub/sub.go", "vendor/modules.txt"]);
    });

    it("starts with the marker and ends with one newline", () => {
        assert.match(dockerignore, /^# Generated by pulumi-go-service-image\./);
        assert.ok(dockerignore.endsWith("\n") && !dockerignore.endsWith("\n\n"));
        assert.ok(fs.existsSync(path.join(dir, "go.mod")));
    });
});
