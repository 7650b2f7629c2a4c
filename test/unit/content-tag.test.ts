import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { contentTag } from "../../src/image/content-tag";
import { generate, resolveOnly } from "../helpers/generate";
import { simpleModule } from "../helpers/module";

describe("content tag", () => {
    const tagOf = (dir: string, opts = {}) => generate(dir, opts).tag;

    it("has the form content-<16 hex> and is stable for an unchanged build", () => {
        const dir = simpleModule();
        assert.match(tagOf(dir), /^content-[0-9a-f]{16}$/);
        assert.strictEqual(tagOf(dir), tagOf(dir));
    });

    it("is the same for the same files in another directory (no absolute paths, no times)", () => {
        const a = simpleModule({ "x.go": "package main\n" });
        const b = simpleModule({ "x.go": "package main\n" });
        fs.utimesSync(path.join(b, "x.go"), new Date(0), new Date(0));
        assert.strictEqual(tagOf(a), tagOf(b));
    });

    it("changes with a source change, a new Go file and the executable bit", () => {
        const dir = simpleModule();
        const before = tagOf(dir);
        fs.writeFileSync(path.join(dir, "main.go"), "package main\n\nfunc main() { println(1) }\n");
        const edited = tagOf(dir);
        assert.notStrictEqual(edited, before);
        fs.writeFileSync(path.join(dir, "extra.go"), "package main\n");
        const added = tagOf(dir);
        assert.notStrictEqual(added, edited);
        fs.chmodSync(path.join(dir, "extra.go"), 0o755);
        assert.notStrictEqual(tagOf(dir), added);
    });

    it("covers only what the build reads: docs, tests, test data, VCS and secrets change no tag", () => {
        const dir = simpleModule();
        const before = tagOf(dir);
        fs.mkdirSync(path.join(dir, ".git"));
        fs.writeFileSync(path.join(dir, ".git", "HEAD"), "ref: x");
        fs.writeFileSync(path.join(dir, ".env"), "SECRET=1");
        fs.writeFileSync(path.join(dir, "README.md"), "# docs");
        fs.writeFileSync(path.join(dir, "main_test.go"), "package main\n");
        fs.mkdirSync(path.join(dir, "testdata"));
        fs.writeFileSync(path.join(dir, "testdata", "x.json"), "{}");
        assert.strictEqual(tagOf(dir), before);
    });

    it("changes with the Dockerfile, build args, platform and an explicit version", () => {
        const dir = simpleModule();
        const base = tagOf(dir);
        assert.notStrictEqual(tagOf(dir, { port: 9000 }), base);
        assert.notStrictEqual(tagOf(dir, { goEnv: { GOPROXY: "https://proxy.example" } }), base);
        assert.notStrictEqual(tagOf(dir, { platform: "linux/arm64" }), base);
        assert.notStrictEqual(tagOf(dir, { version: "1.0.0" }), base);
        assert.notStrictEqual(tagOf(dir, { revision: "abc" }), base);
        assert.notStrictEqual(tagOf(dir, { sourceDateEpoch: 1700000000 }), base);
    });

    it("a defaulted version is the tag itself; an explicit one is passed as given", () => {
        const dir = simpleModule();
        const d = generate(dir);
        assert.strictEqual(d.version, d.tag);
        assert.strictEqual(d.build.args.VERSION, d.tag);
        assert.strictEqual(generate(dir, { version: "1.2.3" }).build.args.VERSION, "1.2.3");
    });

    it("sorts files flatly in code-unit order, so a.go and a/b.go hash in one order everywhere", () => {
        const dir = simpleModule({ "main.go": 'package main\n\nimport "example.com/simple/a"\n\nfunc main() { a.F() }\n', "a.go": "package main\n", "a/b.go": "package a\n\nfunc F() {}\n", "B.go": "package main\n" });
        const files = resolveOnly("svc", { context: dir, repository: "localhost:5000/svc" }).contextFiles;
        // "." (0x2E) sorts before "/" (0x2F), and upper case before lower case: not a directory walk's order.
        assert.deepStrictEqual(files.map((f) => f.rel), ["B.go", "a.go", "a/b.go", "go.mod", "main.go"]);
        const inputs = { dockerfile: "x", dockerignore: "", buildArgs: [], platform: "linux/amd64" };
        assert.notStrictEqual(contentTag("svc", [...files].reverse(), inputs), contentTag("svc", files, inputs), "the order is part of the hash");
    });
});
