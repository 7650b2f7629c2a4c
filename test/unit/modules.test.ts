import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Problems } from "../../src/errors";
import { parseGoMod } from "../../src/resolve/gomod";
import { localModule, moduleGraph } from "../../src/resolve/modules";
import { tempModule } from "../helpers/module";

const mod = (p: string, extra = "") => `module ${p}\n\ngo 1.22\n${extra}`;

/** A repository (with .git) laid out from a file map; returns its root. */
function repo(files: Record<string, string>): string {
    return tempModule({ ".git/HEAD": "ref: refs/heads/main\n", ...files });
}

function graphOf(root: string, service: string, options: { root?: string; workspace?: boolean } = {}) {
    const dir = path.join(root, service);
    const problems = new Problems();
    const g = moduleGraph(localModule(dir, parseGoMod(fs.readFileSync(path.join(dir, "go.mod"), "utf8"))), options, problems);
    const rel = (d: string) => path.relative(root, d) || ".";
    let message = "";
    try {
        problems.throwIfAny("svc");
    } catch (e) {
        message = (e as Error).message;
    }
    return { g, message, dirs: g?.modules.map((m) => rel(m.dir)), context: g && rel(g.contextDir) };
}

describe("the module graph, read from go.mod and go.work", () => {
    it("a module alone: itself, its own directory as the context", () => {
        const root = repo({ "api/go.mod": mod("example.com/api", "\nrequire golang.org/x/text v0.14.0\n") });
        const r = graphOf(root, "api");
        assert.deepStrictEqual([r.g?.mode, r.dirs, r.context], ["module", ["api"], "api"]);
    });

    it("local replaces: the targets join, the context holds them all; versioned replaces pass through", () => {
        const root = repo({
            "services/api/go.mod": mod("example.com/api", "\nrequire (\n\texample.com/shared v0.0.0\n\texample.com/log v0.0.0\n)\n\nreplace example.com/shared => ../../libs/shared\n\nreplace example.com/log => ../../libs/log\n\nreplace golang.org/x/text => golang.org/x/text v0.14.0\n"),
            "libs/shared/go.mod": mod("example.com/shared"),
            "libs/log/go.mod": mod("example.com/log"),
        });
        const r = graphOf(root, "services/api");
        assert.strictEqual(r.message, "");
        assert.deepStrictEqual([r.g?.mode, r.dirs, r.context], ["module", ["services/api", "libs/log", "libs/shared"], "."]);
    });

    it("a nested replace Go would ignore is an error naming the line to add to the main module", () => {
        const root = repo({
            "services/api/go.mod": mod("example.com/api", "\nreplace example.com/shared => ../../libs/shared\n"),
            "libs/shared/go.mod": mod("example.com/shared", "\nreplace example.com/util => ../util\n"),
            "libs/util/go.mod": mod("example.com/util"),
        });
        assert.match(graphOf(root, "services/api").message, /go\.mod in "[^"]+libs\/shared" replaces example\.com\/util with "\.\.\/util", but Go applies only the main module's replace directives.*add `replace example\.com\/util => \.\.\/\.\.\/libs\/util` to "[^"]+services\/api\/go\.mod"/);
    });

    it("a nested replace the main module mirrors is fine", () => {
        const root = repo({
            "services/api/go.mod": mod("example.com/api", "\nreplace example.com/shared => ../../libs/shared\n\nreplace example.com/util => ../../libs/util\n"),
            "libs/shared/go.mod": mod("example.com/shared", "\nreplace example.com/util => ../util\n"),
            "libs/util/go.mod": mod("example.com/util"),
        });
        const r = graphOf(root, "services/api");
        assert.deepStrictEqual([r.message, r.dirs], ["", ["services/api", "libs/shared", "libs/util"]]);
    });

    it("a replace cycle (a dependency replacing the main module) settles", () => {
        const root = repo({
            "a/go.mod": mod("example.com/a", "\nreplace example.com/b => ../b\n"),
            "b/go.mod": mod("example.com/b", "\nreplace example.com/a => ../a\n"),
        });
        const r = graphOf(root, "a");
        assert.deepStrictEqual([r.message, r.dirs, r.context], ["", ["a", "b"], "."]);
    });

    const bad: Array<[string, Record<string, string>, string, RegExp]> = [
        ["a missing target", { "api/go.mod": mod("example.com/api", "\nreplace example.com/shared => ../shared\n") }, "api", /replaces example\.com\/shared with "\.\.\/shared" points at "[^"]+shared", which does not exist/],
        ["a target without go.mod", { "api/go.mod": mod("example.com/api", "\nreplace example.com/shared => ../shared\n"), "shared/x.go": "package x\n" }, "api", /points at "[^"]+shared", which has no go\.mod/],
        ["a target declaring another path", { "api/go.mod": mod("example.com/api", "\nreplace example.com/shared => ../shared\n"), "shared/go.mod": mod("example.com/other") }, "api", /declares "example\.com\/other": Go refuses the mismatch/],
        ["a target with a broken go.mod", { "api/go.mod": mod("example.com/api", "\nreplace example.com/shared => ../shared\n"), "shared/go.mod": "module example.com/shared\nfrobnicate\n" }, "api", /shared\/go\.mod" is not valid \(go\.mod:2: unknown directive: frobnicate\)/],
        ["a go.work that does not list the module", { "go.work": "go 1.22\n\nuse ./libs/shared\n", "libs/shared/go.mod": mod("example.com/shared"), "services/api/go.mod": mod("example.com/api") }, "services/api", /go\.work" does not list the module "[^"]+services\/api".*add `use \.\/services\/api` to it, or set workspace: false/],
        ["a go.work using a missing directory", { "go.work": "go 1.22\n\nuse (\n\t./services/api\n\t./libs/gone\n)\n", "services/api/go.mod": mod("example.com/api") }, "services/api", /go\.work" \(use\) points at "[^"]+libs\/gone", which does not exist/],
        ["a go.work with a syntax error", { "go.work": "go 1.22\n\nuse (\n\t./services/api\n", "services/api/go.mod": mod("example.com/api") }, "services/api", /go\.work" is not valid \(go\.work:3: the use block is never closed/],
    ];
    for (const [what, files, service, pattern] of bad) {
        it(`${what}: one error naming both paths`, () => {
            const r = graphOf(repo(files), service);
            assert.strictEqual(r.g, undefined);
            assert.match(r.message, pattern);
        });
    }

    it("a target outside the repository root (the nearest .git) is refused; 'root' widens it", () => {
        const outer = tempModule({ "shared/go.mod": mod("example.com/shared"), "repo/.git/HEAD": "x", "repo/api/go.mod": mod("example.com/api", "\nreplace example.com/shared => ../../shared\n") });
        assert.match(graphOf(path.join(outer, "repo"), "api").message, /replaces example\.com\/shared with "\.\.\/\.\.\/shared" \("[^"]+"\), outside the repository root \(the nearest directory holding \.git\) "[^"]+repo": the build context cannot reach it.*or set 'root' to a directory holding both/);
        const widened = graphOf(path.join(outer, "repo"), "api", { root: outer });
        assert.deepStrictEqual([widened.message, widened.dirs, widened.context], ["", ["api", "../shared"], ".."]);
    });

    it("go.work with use and replace: the workspace mode, every used module and the go.work replace targets", () => {
        const root = repo({
            "go.work": "go 1.22\n\nuse (\n\t./services/api\n\t./services/worker\n\t./libs/shared\n)\n\nreplace example.com/tools => ./tools\n",
            "go.work.sum": "",
            "services/api/go.mod": mod("example.com/api"),
            "services/worker/go.mod": mod("example.com/worker"),
            "libs/shared/go.mod": mod("example.com/shared"),
            "tools/go.mod": mod("example.com/tools"),
        });
        const r = graphOf(root, "services/api");
        assert.strictEqual(r.message, "");
        assert.deepStrictEqual([r.g?.mode, r.dirs, r.context, r.g?.goWork?.hasSum], ["workspace", ["services/api", "libs/shared", "services/worker", "tools"], ".", true]);
    });

    it("workspace: false builds the module on its own; so does a vendored module", () => {
        const files = { "go.work": "go 1.22\n\nuse ./services/api\n", "services/api/go.mod": mod("example.com/api") };
        assert.deepStrictEqual(graphOf(repo(files), "services/api", { workspace: false }).g?.mode, "module");
        assert.deepStrictEqual(graphOf(repo({ ...files, "services/api/vendor/modules.txt": "" }), "services/api").g?.mode, "module");
    });
});

describe("'root' is relative to the working directory, as 'context' is", () => {
    const { resolve } = require("../../src/resolve") as typeof import("../../src/resolve");
    const { Claims } = require("../../src/resolve/claims") as typeof import("../../src/resolve/claims");
    const { GoServiceImageError } = require("../../src/errors") as typeof import("../../src/errors");
    const outer = tempModule({
        "shared/go.mod": mod("example.com/shared"),
        "shared/shared.go": "package shared\n\nfunc Hi() string { return \"hi\" }\n",
        "repo/.git/HEAD": "x",
        "repo/api/go.mod": mod("example.com/api", "\nrequire example.com/shared v0.0.0\n\nreplace example.com/shared => ../../shared\n"),
        "repo/api/main.go": "package main\n\nimport \"example.com/shared\"\n\nfunc main() { println(shared.Hi()) }\n",
    });
    const program = path.join(outer, "program");
    fs.mkdirSync(program);
    const run = (root: string) => resolve({ name: "api", args: { context: "../repo/api", repository: "registry.example.com/api", root }, purpose: "component", cwd: program, claims: new Claims() });

    it("a relative root holding the module and its replace target works (it was always refused)", () => {
        const plan = run("..");
        assert.strictEqual(plan.image.contextDir, outer);
        assert.deepStrictEqual(plan.image.goModules.map((m) => m.dir).sort(), ["repo/api", "shared"]);
    });

    it("a relative root that does not hold the module names the resolved path", () => {
        assert.throws(() => run("../shared"), (e: unknown) => e instanceof GoServiceImageError && e.message.includes(`'root' "${path.join(outer, "shared")}" does not contain the module`));
    });
});
