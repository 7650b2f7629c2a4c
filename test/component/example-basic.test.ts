import { registered, setMode, settle, valueOf } from "../helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { HELLO, REPO_ROOT } from "../helpers/module";

describe("examples/basic under mocks", () => {
    const cwd = process.cwd();
    before(() => process.chdir(REPO_ROOT));
    after(() => process.chdir(cwd));

    it("builds hello-service and exports imageRef by digest", async () => {
        setMode("update");
        const before = registered.length;
        const program = require(path.join(REPO_ROOT, "examples", "basic", "index.ts")) as { imageRef: pulumi.Output<string>; version: pulumi.Output<string> };
        const ref = await valueOf(program.imageRef);
        assert.match(ref!, /^localhost:5000\/hello-service@sha256:[0-9a-f]{64}$/);
        await settle();
        const image = registered.slice(before).find((r) => r.type === "docker:index/image:Image")!;
        assert.strictEqual(image.inputs.build.context, "examples/hello-service");
        assert.strictEqual(image.inputs.build.dockerfile, ".go-service-image/hello-service/Dockerfile");
        assert.strictEqual(image.inputs.build.args.VERSION, await valueOf(program.version));
    });

    it("stack config reaches buildx and buildOnPreview (pulumi config set buildx true, buildOnPreview true)", async () => {
        setMode("update");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-basic-"));
        process.chdir(dir); // a program run of its own: the generated files go elsewhere
        pulumi.runtime.setAllConfig({ "project:buildx": "true", "project:buildOnPreview": "true" });
        const file = require.resolve(path.join(REPO_ROOT, "examples", "basic", "index.ts"));
        const cached = require.cache[file];
        delete require.cache[file];
        try {
            const before = registered.length;
            const program = require(file) as { imageRef: pulumi.Output<string> };
            await valueOf(program.imageRef);
            await settle();
            const image = registered.slice(before).find((r) => r.type === "docker-build:index:Image");
            assert.ok(image, "buildx: true registers @pulumi/docker-build's Image");
            assert.strictEqual(image.inputs.buildOnPreview, true);
        } finally {
            pulumi.runtime.setAllConfig({});
            require.cache[file] = cached;
            process.chdir(REPO_ROOT);
        }
    });

    it("the root Pulumi.yaml runs the example program file, not the library package.json points at", () => {
        const project = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { main: string; runtime: { name: string } };
        assert.strictEqual(project.runtime.name, "nodejs");
        // A directory makes the Node.js runner use that directory's nearest package.json main: dist/index.js, the library.
        const main = path.join(REPO_ROOT, project.main);
        assert.ok(fs.statSync(main).isFile(), `${project.main} must be a file`);
        assert.strictEqual(main, path.join(REPO_ROOT, "examples", "basic", "index.ts"));
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { main: string };
        assert.notStrictEqual(path.resolve(REPO_ROOT, pkg.main), main);
    });

    it("exports no undefined value (Pulumi warns for each on every run)", async () => {
        const program = require(path.join(REPO_ROOT, "examples", "basic", "index.ts")) as Record<string, pulumi.Output<unknown>>;
        for (const [name, output] of Object.entries(program)) {
            assert.notStrictEqual(await valueOf(output), undefined, name);
        }
    });

    it("the example module carries no generated file: the allow-list sits beside the generated Dockerfile", () => {
        assert.deepStrictEqual(fs.readdirSync(HELLO).filter((f) => /dockerignore|Dockerfile/i.test(f)), []);
    });
});
