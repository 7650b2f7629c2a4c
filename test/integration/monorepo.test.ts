import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { GoServiceImageArgs } from "../../src/args";
import { prepare } from "../../src/pipeline";
import { Claims } from "../../src/resolve/claims";
import { REPO_ROOT } from "../helpers/module";
import { buildLikeComponent, docker, hostGoEnv, measure, REGISTRY, requireEnvironment, start, steps } from "./engine";

const MONOREPO = path.join(REPO_ROOT, "examples", "monorepo");
const MULTI = path.join(REPO_ROOT, "examples", "multi-binary");

/** A copy of a fixture as a repository of its own (a .git marks its root). */
function repoCopy(dir: string): string {
    const to = fs.mkdtempSync(path.join(os.tmpdir(), `gsi-${path.basename(dir)}-`));
    fs.cpSync(dir, to, { recursive: true });
    fs.mkdirSync(path.join(to, ".git"));
    return to;
}

/** The monorepo as a go.work workspace: the services use libs/shared through the workspace, not replaces. */
function workspaceCopy(): string {
    const root = repoCopy(MONOREPO);
    fs.writeFileSync(path.join(root, "go.work"), "go 1.26\n\nuse (\n\t./libs/shared\n\t./services/api\n\t./services/worker\n)\n");
    for (const s of ["api", "worker"]) {
        execFileSync("go", ["mod", "edit", "-droprequire=example.com/monorepo/libs/shared", "-dropreplace=example.com/monorepo/libs/shared"], { cwd: path.join(root, "services", s) });
    }
    return root;
}

const args = (context: string, extra: Partial<GoServiceImageArgs> = {}): GoServiceImageArgs => ({ context, repository: `${REGISTRY}/mono`, network: "host", goEnv: hostGoEnv(), ...extra });
const tagOf = (name: string, context: string) => prepare({ name, args: args(context), purpose: "build", cwd: fs.mkdtempSync(path.join(os.tmpdir(), "gsi-tag-")), claims: new Claims() });

function dirSize(dir: string): number {
    return fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? dirSize(path.join(dir, e.name)) : fs.lstatSync(path.join(dir, e.name)).size), 0);
}

describe("integration: monorepos on the real engine", function () {
    const cwd = process.cwd();
    before(requireEnvironment);
    after(() => process.chdir(cwd));

    for (const [layout, make] of [["shared module through replace", () => repoCopy(MONOREPO)], ["go.work workspace", workspaceCopy]] as const) {
        describe(layout, () => {
            let root: string;
            before(() => (root = make()));

            for (const [service, route, answer] of [["api", "/hello", /^hello from api$/], ["worker", "/job", /^[0-9a-f-]{36}$/]] as const) {
                it(`${service} builds, runs and answers ${route}`, async () => {
                    const built = await buildLikeComponent(`mono-${service}`, args(path.join(root, "services", service)));
                    const run = await start(built.imageName);
                    try {
                        assert.match((await (await fetch(run.url + route)).text()).trim(), answer);
                        assert.strictEqual((await (await fetch(run.url + "/version")).text()).trim(), built.version);
                    } finally {
                        run.stop();
                    }
                });
            }

            it("tags follow the graph: libs/shared changes both, a worker edit only the worker's, a README or _test.go neither", () => {
                const api = path.join(root, "services", "api");
                const worker = path.join(root, "services", "worker");
                const tags = () => [tagOf("api", api).tag, tagOf("worker", worker).tag];
                const [a0, w0] = tags();
                fs.appendFileSync(path.join(root, "services", "api", "README.md"), "more docs\n");
                fs.appendFileSync(path.join(root, "libs", "shared", "shared_test.go"), "\n// a test edit\n");
                assert.deepStrictEqual(tags(), [a0, w0], "README and _test.go");
                fs.appendFileSync(path.join(worker, "main.go"), "\n// a worker edit\n");
                const [a1, w1] = tags();
                assert.strictEqual(a1, a0, "the api is untouched by a worker edit");
                assert.notStrictEqual(w1, w0);
                fs.appendFileSync(path.join(root, "libs", "shared", "shared.go"), "\n// a shared edit\n");
                const [a2, w2] = tags();
                assert.notStrictEqual(a2, a1);
                assert.notStrictEqual(w2, w1);
            });

            it("the context carries what the build reads, far less than the repository", () => {
                const p = tagOf("api", path.join(root, "services", "api"));
                const sent = p.plan.contextFiles.reduce((n, f) => n + f.size, 0);
                const repo = dirSize(root);
                measure(`monorepo (${layout}) api: context ${sent} B in ${p.plan.contextFiles.length} files, repository ${repo} B`);
                assert.ok(p.plan.contextFiles.every((f) => !f.rel.endsWith("_test.go") && !f.rel.endsWith(".md") && !f.rel.startsWith("services/worker/main")), p.plan.contextFiles.map((f) => f.rel).join(" "));
                assert.ok(sent < repo);
            });

            it("the module set matches Go's own view (go mod edit -json, go list -m -json)", () => {
                const api = path.join(root, "services", "api");
                const p = tagOf("api", api);
                const env = { ...process.env, GOFLAGS: "", GOWORK: p.plan.image.workspace ? path.join(root, "go.work") : "off" };
                const listed = execFileSync("go", ["list", "-m", "-json", "all"], { cwd: api, env, encoding: "utf8" });
                const localDirs = [...new Set([...listed.matchAll(/"Dir": "([^"]+)"/g)].map((m) => m[1]).filter((d) => d.startsWith(root)))].map((d) => path.relative(p.plan.image.contextDir, d)).sort();
                assert.deepStrictEqual(p.plan.image.goModules.map((m) => m.dir).sort(), localDirs);
                if (!p.plan.image.workspace) {
                    const edit = JSON.parse(execFileSync("go", ["mod", "edit", "-json"], { cwd: api, encoding: "utf8" })) as { Replace?: Array<{ Old: { Path: string }; New: { Path: string } }> };
                    assert.deepStrictEqual((edit.Replace ?? []).map((r) => [r.Old.Path, r.New.Path]), [["example.com/monorepo/libs/shared", "../../libs/shared"]]);
                }
            });
        });
    }

    it("the dependency layer stays cached across a source-only edit of the shared module", async () => {
        const root = repoCopy(MONOREPO);
        const api = path.join(root, "services", "api");
        await buildLikeComponent("mono-cache", args(api));
        // A unique edit: BuildKit caches by content, so an edit made in an earlier run would hit the cache.
        fs.appendFileSync(path.join(root, "libs", "shared", "shared.go"), `\nconst edited = "${process.hrtime.bigint()}"\n`);
        const edited = await buildLikeComponent("mono-cache", args(api));
        const download = steps(edited.log).find((s) => /go mod download/.test(s.step));
        assert.ok(download, edited.log);
        assert.strictEqual(download.cached, true, "go mod download was not cached");
        assert.strictEqual(steps(edited.log).find((s) => s.step.includes("-export -deps"))?.cached, true, "the dependency compile was not cached");
        assert.ok(steps(edited.log).some((s) => /go build .*-ldflags/.test(s.step) && !s.cached), "the build step ran");
    });

    it("several binaries in one image: both installed, the first runs by default, the other on request", async () => {
        const context = repoCopy(MULTI);
        const built = await buildLikeComponent("multi", args(context, { mains: ["./cmd/*"], goEnv: {} }));
        const entrypoint = JSON.parse(docker("image", "inspect", "--format", "{{json .Config.Entrypoint}}", built.imageName)) as string[];
        assert.deepStrictEqual(entrypoint, ["/usr/local/bin/api"]);
        const run = await start(built.imageName);
        try {
            assert.strictEqual((await (await fetch(run.url + "/whoami")).text()).trim(), "api");
        } finally {
            run.stop();
        }
        const worker = await buildLikeComponent("multi-worker", args(context, { mains: ["./cmd/*"], entrypoint: "worker", goEnv: {} }));
        const wrun = await start(worker.imageName);
        try {
            assert.strictEqual((await (await fetch(wrun.url + "/whoami")).text()).trim(), "worker");
        } finally {
            wrun.stop();
        }
    });
});
