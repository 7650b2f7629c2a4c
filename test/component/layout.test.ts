import { registered, settle, setMode, valueOf } from "../helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { GoServiceImage, GoServiceImageError } from "../../src";
import { GoServiceImageArgs } from "../../src/args";
import { prepare, writeGenerated } from "../../src/pipeline";
import { Claims } from "../../src/resolve/claims";
import { MAIN_GO, simpleModule, tempModule } from "../helpers/module";

const IMAGE = "docker:index/image:Image";
let n = 0;
const fresh = (base = "lay") => `${base}-${++n}`;

/** A Go module with its Pulumi program inside it, in infra/, as many repositories have it. */
function moduleWithProgram(): { root: string; infra: string } {
    const root = tempModule({
        "go.mod": "module example.com/shop\n\ngo 1.22\n",
        "cmd/api/main.go": MAIN_GO,
        "infra/Pulumi.yaml": "name: shop\nruntime: nodejs\n",
        "infra/index.ts": "// the program\n",
        "infra/package.json": "{}\n",
    });
    return { root, infra: path.join(root, "infra") };
}

/** One `pulumi up` of the program in `cwd`: the component's own path (prepare, then write), as a new process would run it. */
function run(cwd: string, args: Partial<GoServiceImageArgs>, name = "api") {
    const prepared = prepare({ name, args: { repository: "localhost:5000/api", ...args } as GoServiceImageArgs, purpose: "component", cwd, claims: new Claims() });
    writeGenerated(prepared, cwd);
    return prepared;
}

describe("layouts: where the program and the generated files sit", () => {
    const cwd = process.cwd();
    afterEach(() => process.chdir(cwd));
    beforeEach(() => setMode("update"));

    it("a program inside the build context (infra/, context \"..\"): the tag is stable from the first run and the program's own files never change it", () => {
        const { root, infra } = moduleWithProgram();
        const first = run(infra, { context: ".." });
        assert.ok(fs.existsSync(path.join(infra, ".go-service-image", "api", "Dockerfile")), "the Dockerfile is written inside the context");
        assert.deepStrictEqual(first.plan.contextFiles.map((f) => f.rel), ["cmd/api/main.go", "go.mod"], "nothing of the program is sent");
        const second = run(infra, { context: ".." });
        assert.strictEqual(second.tag, first.tag, "run 2 of an unchanged program");
        fs.appendFileSync(path.join(infra, "index.ts"), "// a comment\n");
        assert.strictEqual(run(infra, { context: ".." }).tag, first.tag, "a comment in the program");
        fs.writeFileSync(path.join(root, "cmd", "api", "main.go"), "package main\n\nfunc main() { println(1) }\n");
        assert.notStrictEqual(run(infra, { context: ".." }).tag, first.tag, "a source change");
        assert.ok(!fs.existsSync(path.join(root, ".dockerignore")), "nothing written into the module");
    });

    it("a program at the module root: its own files stay out, the Go files stay in", () => {
        const root = tempModule({ "go.mod": "module m\n\ngo 1.22\n", "main.go": MAIN_GO, "Pulumi.yaml": "name: m\nruntime: nodejs\n", "index.ts": "// program\n", "package.json": "{}\n", "tsconfig.json": "{}\n" });
        const first = run(root, { context: "." });
        assert.deepStrictEqual(first.plan.contextFiles.map((f) => f.rel), ["go.mod", "main.go"]);
        fs.appendFileSync(path.join(root, "index.ts"), "// edit\n");
        assert.strictEqual(run(root, { context: "." }).tag, first.tag);
    });

    it("a generatedDir inside the context is never part of it", () => {
        const mod = simpleModule();
        const program = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-prog-"));
        const generatedDir = path.join(mod, "build", "gen");
        const first = run(program, { context: mod, generatedDir });
        assert.deepStrictEqual(first.plan.contextFiles.map((f) => f.rel), ["go.mod", "main.go"]);
        assert.strictEqual(run(program, { context: mod, generatedDir }).tag, first.tag);
    });

    it("a .dockerignore of the user's own in the module changes nothing: the allow-list beside the Dockerfile decides", () => {
        const { root, infra } = moduleWithProgram();
        const before = run(infra, { context: ".." });
        fs.writeFileSync(path.join(root, ".dockerignore"), "cmd\n");
        const after = run(infra, { context: ".." });
        assert.deepStrictEqual(after.plan.contextFiles.map((f) => f.rel), before.plan.contextFiles.map((f) => f.rel));
        assert.strictEqual(after.tag, before.tag);
    });

    describe("generated paths", () => {
        let program: string;
        beforeEach(() => {
            program = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-program-"));
            process.chdir(program);
        });

        it("two components with one name under different parents: the second is refused, the first's Dockerfile is untouched", async () => {
            const name = fresh("same");
            const a = new pulumi.ComponentResource("test:index:Group", fresh("group"));
            const b = new pulumi.ComponentResource("test:index:Group", fresh("group"));
            const first = new GoServiceImage(name, { context: simpleModule(), repository: "localhost:5000/a" }, { parent: a });
            const written = fs.readFileSync(path.join(program, (await valueOf(first.dockerfilePath))!), "utf8");
            await settle();
            const before = registered.length;
            assert.throws(
                () => new GoServiceImage(name, { context: simpleModule(), repository: "localhost:5000/b", port: 9000 }, { parent: b }),
                (e: unknown) => e instanceof GoServiceImageError && /is also written by another GoServiceImage named "same-\d+" in this program \(under another parent\): give one of them another name or its own 'generatedDir'/.test(e.message),
            );
            await settle();
            assert.strictEqual(registered.length, before, "nothing registered");
            assert.strictEqual(fs.readFileSync(path.join(program, (await valueOf(first.dockerfilePath))!), "utf8"), written);
        });

        for (const name of ["..", "../x", "a/../../b", ".", "/etc/passwd", "x\\..\\y"]) {
            it(`the name ${JSON.stringify(name)} writes inside the generated directory only`, async () => {
                fs.writeFileSync(path.join(program, "Dockerfile"), "FROM mine\n");
                const svc = new GoServiceImage(name + fresh("-"), { context: simpleModule(), repository: "localhost:5000/x" });
                const file = path.resolve(program, (await valueOf(svc.dockerfilePath))!);
                assert.ok(file.startsWith(path.join(program, ".go-service-image") + path.sep), file);
                assert.strictEqual(path.basename(file), "Dockerfile");
                assert.strictEqual(fs.readFileSync(path.join(program, "Dockerfile"), "utf8"), "FROM mine\n");
            });
        }

        it("a file in the generated directory that the library did not write is never overwritten", () => {
            const name = fresh();
            fs.mkdirSync(path.join(program, "gen", name), { recursive: true });
            fs.writeFileSync(path.join(program, "gen", name, "Dockerfile"), "FROM mine\n");
            assert.throws(() => new GoServiceImage(name, { context: simpleModule(), repository: "localhost:5000/x", generatedDir: "gen" }), /"gen\/[^"]+\/Dockerfile" exists and was not generated by this library: move it away or choose another 'generatedDir'/);
            assert.strictEqual(fs.readFileSync(path.join(program, "gen", name, "Dockerfile"), "utf8"), "FROM mine\n");
        });

        it("the platform is chosen on purpose (linux/amd64) and passed explicitly, so the provider never guesses", async () => {
            const before = registered.length;
            const svc = new GoServiceImage(fresh(), { context: simpleModule(), repository: "localhost:5000/x" });
            await settle();
            const image = registered.slice(before).find((r) => r.type === IMAGE)!;
            assert.strictEqual(image.inputs.build.platform, "linux/amd64");
            assert.strictEqual(await valueOf(svc.platform), "linux/amd64");
        });
    });
});
