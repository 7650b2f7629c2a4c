import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Problems } from "../../src/errors";
import { contextFiles } from "../../src/resolve/context";
import { docker, requireEnvironment } from "./engine";

/** A context with the shapes ignore patterns meet: nested dirs, dot files, re-includes, symlinks, case. */
function fixture(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-ctx-"));
    const files = [
        "go.mod", "main.go", "README.md", "README.MD", "important.log", "a.log", "sub/b.log", "sub/x.go", "sub/deep/y.go",
        "bin/tool", "bin/keep.txt", "bin/nested/keep.txt", "docs/guide.md", "sub/docs/inner.md", "build/out", "sub/build/x",
        ".env", ".keep", ".hidden/secret", "sub/.dot", "node_modules/pkg/index.js", "node_modules/keep/x.js", "web/node_modules/y/z.js",
        "testdata/large.bin", "a b/space.txt",
    ];
    for (const f of files) {
        fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), f);
    }
    fs.symlinkSync("main.go", path.join(dir, "link-to-file"));
    fs.symlinkSync("sub", path.join(dir, "link-to-dir"));
    fs.symlinkSync("../README.md", path.join(dir, "docs", "link-up"));
    return dir;
}

/** What a real build receives: `COPY . /ctx/` of the context, exported by BuildKit to a local directory. */
function sentByDocker(dir: string, patterns: readonly string[]): string[] {
    fs.writeFileSync(path.join(dir, ".dockerignore"), patterns.join("\n") + "\n");
    const dockerfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-ctx-df-")), "Dockerfile");
    fs.writeFileSync(dockerfile, "FROM scratch\nCOPY . /ctx/\n");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-ctx-out-"));
    docker("build", "--network", "none", "-f", dockerfile, "-o", `type=local,dest=${out}`, dir);
    const found: string[] = [];
    const walk = (rel: string) => {
        for (const e of fs.readdirSync(path.join(out, "ctx", rel), { withFileTypes: true })) {
            const r = rel === "" ? e.name : `${rel}/${e.name}`;
            if (e.isDirectory()) walk(r);
            else found.push(r);
        }
    };
    walk("");
    // The .dockerignore itself: the tag hashes its text instead of the file.
    return found.filter((f) => f !== ".dockerignore").sort();
}

const TABLE: Array<[string, string[]]> = [
    ["a re-include under an ignored directory", ["bin", "!bin/keep.txt"]],
    ["a deeper re-include", ["bin", "!bin/nested/keep.txt"]],
    ["** with a re-include", ["**/*.log", "!important.log"]],
    ["a leading slash", ["/docs"]],
    ["a trailing slash", ["build/"]],
    ["dot files with an exception", [".*", "!.keep"]],
    ["an allow-list of top-level Go files", ["*", "!*.go", "!go.mod"]],
    ["an allow-list with a directory", ["*", "!go.mod", "!main.go", "!sub"]],
    ["** in the middle", ["sub/**/y.go"]],
    ["a re-include written with **", ["**/node_modules", "!**/node_modules/keep"]],
    ["case matters", ["*.md"]],
    ["a pattern naming a symlink", ["link-to-dir", "docs/link-up"]],
    ["a space in a path", ["a b"]],
    ["the generated defaults", [".git", "**/.env", "**/.env.*", "bin", "**/node_modules", "**/.go-service-image", "testdata"]],
];

describe("integration: the files the tag covers are exactly the files Docker sends", function () {
    before(requireEnvironment);

    for (const [what, patterns] of TABLE) {
        it(`${what}: ${patterns.join(" ")}`, () => {
            const dir = fixture();
            const problems = new Problems();
            const hashed = contextFiles(dir, patterns, problems).map((f) => f.rel);
            assert.ok(problems.empty);
            assert.deepStrictEqual(hashed, sentByDocker(dir, patterns));
        });
    }
});
