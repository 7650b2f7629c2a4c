import { freshProgramPerTest, registered, settle, valueOf, SECRET, SECRET_SIG } from "../helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import { spawnSync } from "child_process";
import { parse } from "yaml";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { serializeProperties } from "@pulumi/pulumi/runtime/rpc";
import { INPUT_PATHS } from "../../src/args";
import { REPO_ROOT, simpleModule } from "../helpers/module";

/** What the package's provider does with the engine's ConstructRequest inputs (provider/server.js; internal, so untyped). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deserializeInputs } = require("@pulumi/pulumi/provider/server") as { deserializeInputs(s: unknown, deps: Map<string, unknown>): Promise<Record<string, any>> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gstruct = require("google-protobuf/google/protobuf/struct_pb.js") as { Struct: { fromJavaScript(o: unknown): unknown } };

const TOKEN = "pulumi-go-service-image:index:GoServiceImage";

/** Inputs serialised as a consumer's SDK sends them: values, and per property the resources it depends on. */
async function serializeWithDeps(props: Record<string, unknown>): Promise<{ serialized: unknown; dependencies: Map<string, { getUrnsList(): string[] }> }> {
    const { serializePropertiesReturnDeps } = require("@pulumi/pulumi/runtime/rpc") as { serializePropertiesReturnDeps(l: string, p: unknown, o: unknown): Promise<[Record<string, unknown>, Map<string, Set<pulumi.Resource>>]> };
    const [serialized, deps] = await serializePropertiesReturnDeps("test", props, { keepOutputValues: false });
    const dependencies = new Map<string, { getUrnsList(): string[] }>();
    for (const [key, resources] of deps) {
        const urns = await Promise.all([...resources].map((r) => (r.urn as unknown as { promise(): Promise<string> }).promise()));
        dependencies.set(key, { getUrnsList: () => urns });
    }
    return { serialized, dependencies };
}
const IMAGE = "docker:index/image:Image";

type Schema = {
    name: string;
    resources: Record<string, { isComponent: boolean; inputProperties: Record<string, any>; requiredInputs?: string[]; properties: Record<string, any>; required?: string[] }>;
    types: Record<string, { type: string; properties?: Record<string, any>; enum?: Array<{ value: string }>; required?: string[] }>;
};

/** The provider `pulumi package add` runs for this repository: the package's exported components, named after package.json. */
function packageProvider(): ComponentProvider {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const components = getPulumiComponents(require(path.join(REPO_ROOT, "src")));
    return new ComponentProvider({ components, dirname: REPO_ROOT, name: "pulumi-go-service-image" });
}

describe("the component package (Python, Go, YAML, C#): the schema Pulumi infers, and construct", function () {
    this.timeout(120000);
    let schema: Schema;
    const run = freshProgramPerTest();

    before(async () => {
        schema = JSON.parse(await packageProvider().getSchema()) as Schema;
    });

    const ref = (name: string) => ({ $ref: `#/types/pulumi-go-service-image:index:${name}` });
    const type = (name: string) => schema.types[`pulumi-go-service-image:index:${name}`];

    it("exports the two components, GoServiceImage and PreviewWorkflow, under the package name of package.json", () => {
        assert.strictEqual(schema.name, "pulumi-go-service-image");
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), [TOKEN, "pulumi-go-service-image:index:PreviewWorkflow"]);
        assert.ok(Object.values(schema.resources).every((r) => r.isComponent));
        const preview = schema.resources["pulumi-go-service-image:index:PreviewWorkflow"];
        assert.deepStrictEqual(preview.requiredInputs, ["stack"]);
        assert.strictEqual(preview.inputProperties.language.$ref, ref("InfraLanguage").$ref);
        assert.deepStrictEqual(type("InfraLanguage").enum!.map((e) => e.value), ["nodejs", "python", "go", "yaml"]);
        assert.deepStrictEqual(Object.keys(preview.properties).sort(), ["environment", "statusChecks", "workflow", "workflowPath"]);
    });

    it("infers every input with its type, plainness and description from the TypeScript args", () => {
        const inputs = schema.resources[TOKEN].inputProperties;
        assert.deepStrictEqual([...(schema.resources[TOKEN].requiredInputs ?? [])].sort(), ["context", "repository"]);
        // Build-shaping settings are plain: they decide the generated files when the program runs.
        for (const name of ["context", "main", "runtime", "goVersion", "platform", "version", "generatedDir"]) {
            assert.strictEqual(inputs[name].type, "string", name);
            assert.strictEqual(inputs[name].plain, true, `${name} is plain`);
        }
        for (const name of ["port", "user", "sourceDateEpoch"]) assert.strictEqual(inputs[name].type, "number", name);
        for (const name of ["cgo", "embedTzdata", "workspace", "buildOnPreview"]) assert.strictEqual(inputs[name].type, "boolean", name);
        assert.deepStrictEqual({ ...inputs.mains, description: undefined }, { type: "array", items: { type: "string", plain: true }, optional: true, plain: true, description: undefined });
        assert.deepStrictEqual(inputs.env.additionalProperties, { type: "string", plain: true });
        assert.deepStrictEqual(inputs.goEnv.additionalProperties, { type: "string", plain: true });
        // Deployment values accept outputs of other resources.
        assert.strictEqual(inputs.repository.type, "string");
        assert.ok(!inputs.repository.plain, "repository takes an Output");
        assert.match(inputs.port.description, /`0` writes none/);
        assert.match(inputs.runtime.description, /any other image reference/);
        for (const [name, t] of [["registry", "RegistryArgs"], ["buildx", "BuildxArgs"], ["github", "GitHubArgs"], ["digests", "BaseDigests"], ["network", "NetworkMode"]] as const) {
            assert.strictEqual(inputs[name].$ref, ref(t).$ref, name);
        }
    });

    it("turns the nested args into types, and NetworkMode into an enum", () => {
        assert.deepStrictEqual(type("NetworkMode").enum!.map((e) => e.value), ["default", "host", "none"]);
        const registry = type("RegistryArgs").properties!;
        for (const name of ["server", "username", "password"]) assert.ok(!registry[name].plain, `registry.${name} takes an Output`);
        const buildx = type("BuildxArgs").properties!;
        assert.deepStrictEqual(buildx.platforms.items, { type: "string", plain: true });
        assert.deepStrictEqual(buildx.cacheFrom.items, { type: "string" }, "cache entries take Outputs");
        assert.strictEqual(buildx.netrc.type, "string");
        assert.ok(!buildx.netrc.plain);
        const github = type("GitHubArgs").properties!;
        assert.strictEqual(github.branchProtection.$ref, ref("BranchProtectionArgs").$ref);
        assert.strictEqual(github.repository.type, "string");
        assert.deepStrictEqual(type("GitHubArgs").required, ["repository"]);
        assert.deepStrictEqual(type("BranchProtectionArgs").required, ["repositoryId"]);
    });

    it("outputs the plain results, not the child resources (those stay TypeScript getters)", () => {
        const outputs = schema.resources[TOKEN].properties;
        assert.deepStrictEqual(Object.keys(outputs).sort(), ["digest", "dockerfile", "dockerfilePath", "dockerignore", "imageName", "imageRef", "platform", "platforms", "statusChecks", "tag", "version", "workflow", "workflowPath"]);
        assert.deepStrictEqual(outputs.platforms, { type: "array", items: { type: "string" }, description: outputs.platforms.description });
        assert.match(outputs.imageRef.description, /repository@sha256/);
    });

    it("construct: inputs as the engine sends them (a secret password, a plain context relative to the consumer's project) build the same docker.Image", async () => {
        // The consumer's project directory is the plugin's working directory (the engine runs plugins there);
        // the package itself lives elsewhere (REPO_ROOT).
        const project = run.dir;
        const module = simpleModule();
        const context = path.relative(project, module);
        const sent = { context, repository: "ghcr.io/acme/api", registry: { username: "bot", password: pulumi.secret("hunter2") }, port: 9000, buildx: undefined };
        const struct = gstruct.Struct.fromJavaScript(await serializeProperties("test", sent, { keepOutputValues: false }));
        const inputs = await deserializeInputs(struct, new Map());
        assert.strictEqual(inputs.context, context, "a plain input arrives as a plain value");
        const before = registered.length;
        const result = await packageProvider().construct("api-pkg", TOKEN, inputs, {});
        await settle();
        const image = registered.slice(before).find((r) => r.type === IMAGE);
        assert.ok(image, "no docker.Image");
        assert.strictEqual(image.inputs.build.context, context, "the context is the consumer's, as given");
        assert.ok(fs.existsSync(path.join(project, ".go-service-image", "api-pkg", "Dockerfile")), "the Dockerfile is written in the consumer's project");
        assert.ok(!fs.existsSync(path.join(REPO_ROOT, ".go-service-image", "api-pkg")), "nothing is written in the package's directory");
        assert.match(image.inputs.build.args.VERSION, /^content-/);
        const state = result.state as Record<string, pulumi.Output<unknown>>;
        assert.match(String(await valueOf(state.imageRef)), /^ghcr\.io\/acme\/api@sha256:[0-9a-f]{64}$/);
        assert.match(String(await valueOf(state.dockerfile)), /EXPOSE 9000/);
        assert.ok(!("image" in state), "no resource output");
    });

    it("construct: bad input fails before anything is registered, with the same one-line message", async () => {
        const before = registered.length;
        await assert.rejects(packageProvider().construct("bad-pkg", TOKEN, { context: simpleModule(), repository: "ghcr.io/Acme/api", runtime: "distroles" }, {}), (e: Error) => {
            assert.strictEqual(e.message.split("\n").length, 2, e.message);
            assert.match(e.message, /'repository' must be lowercase/);
            assert.match(e.message, /'runtime' "distroles" is not "scratch", "distroless" or "alpine": did you mean "distroless"\?/);
            return true;
        });
        await settle();
        assert.strictEqual(registered.length, before);
    });

    it("construct: a nested object holding a secret or another resource's output arrives as one Output; its plain parts still shape the build, its Input leaves keep secrecy and dependencies", async () => {
        const project = run.dir;
        const repo = new (class extends pulumi.CustomResource {})("test:index:Repository", "infra-repo", {});
        const sent = {
            context: simpleModule(),
            repository: "ghcr.io/acme/api",
            buildx: { platforms: ["linux/amd64", "linux/arm64"], netrc: pulumi.secret("machine git.example.com login bot password s3cret") },
            github: { repository: "api", manageSecrets: false, branchProtection: { repositoryId: repo.id } },
        };
        const { dependencies, serialized } = await serializeWithDeps(sent);
        const inputs = await deserializeInputs(gstruct.Struct.fromJavaScript(serialized), dependencies);
        assert.ok(pulumi.Output.isInstance(inputs.buildx), "buildx arrives as one Output (its netrc is secret)");
        assert.ok(pulumi.Output.isInstance(inputs.github), "github arrives as one Output (its repositoryId comes from a resource)");
        const before = registered.length;
        const result = await packageProvider().construct("late-pkg", TOKEN, inputs, {});
        const state = result.state as Record<string, pulumi.Output<unknown>>;
        assert.deepStrictEqual(await valueOf(state.platforms), ["linux/amd64", "linux/arm64"]);
        await valueOf(state.imageRef);
        await settle();
        const mine = registered.slice(before);
        const image = mine.find((r) => r.type === "docker-build:index:Image");
        assert.ok(image, "the buildx engine was chosen from the late buildx object");
        assert.deepStrictEqual(image.inputs.platforms, ["linux/amd64", "linux/arm64"]);
        assert.strictEqual(image.inputs.secrets[SECRET_SIG], SECRET, "the netrc is still a secret");
        const protection = mine.find((r) => r.type === "github:index/branchProtection:BranchProtection");
        assert.ok(protection, "the branch protection was registered");
        assert.strictEqual(protection.inputs.repositoryId, "infra-repo-id");
        assert.ok(mine.some((r) => r.type === "github:index/repositoryFile:RepositoryFile"), "the workflow files were committed");
        assert.ok(fs.existsSync(path.join(project, ".go-service-image", "late-pkg", "Dockerfile")));
    });

    it("INPUT_PATHS names exactly the nested Input-typed leaves of the inferred schema", () => {
        const leaves: string[] = [];
        const walk = (props: Record<string, any>, at: string) => {
            for (const [name, p] of Object.entries(props)) {
                const here = `${at}.${name}`;
                const target = p.$ref ? type(p.$ref.split(":").pop()) : undefined;
                if (target?.properties) walk(target.properties, here);
                else if (p.type === "array" ? !p.items.plain : !p.plain) leaves.push(p.type === "array" ? `${here}[]` : here);
            }
        };
        const inputs = schema.resources[TOKEN].inputProperties;
        for (const key of ["registry", "buildx", "github", "digests"]) walk(type(inputs[key].$ref.split(":").pop())!.properties!, key);
        assert.deepStrictEqual(leaves.sort(), [...INPUT_PATHS].sort());
    });

    describe("the examples in other languages", () => {
        const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

        it("examples/yaml: its resource is the package's component, its properties the schema's; constructed from its project directory it builds examples/hello-service", async () => {
            const program = parse(fs.readFileSync(path.join(REPO_ROOT, "examples", "yaml", "Pulumi.yaml"), "utf8")) as {
                packages: Record<string, string>;
                config: Record<string, { default: string }>;
                resources: Record<string, { type: string; properties: Record<string, unknown> }>;
            };
            assert.strictEqual(path.resolve(REPO_ROOT, "examples", "yaml", program.packages["pulumi-go-service-image"]), REPO_ROOT);
            const { type: token, properties } = program.resources.hello;
            assert.strictEqual(token, TOKEN);
            const inputs = schema.resources[TOKEN].inputProperties;
            for (const key of Object.keys(properties)) assert.ok(key in inputs, `${key} is not an input of the schema`);
            for (const key of Object.keys(properties.buildx as object)) assert.ok(key in type("BuildxArgs").properties!, `buildx.${key}`);
            // Run it as the engine would: config defaults in, the plugin in the project's directory (a copy, beside hello-service).
            const root = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-yaml-"));
            fs.cpSync(path.join(REPO_ROOT, "examples", "yaml"), path.join(root, "yaml"), { recursive: true });
            fs.cpSync(path.join(REPO_ROOT, "examples", "hello-service"), path.join(root, "hello-service"), { recursive: true });
            process.chdir(path.join(root, "yaml"));
            const filled = JSON.parse(JSON.stringify(properties).replace(/\$\{(\w+)\}/g, (_, k: string) => program.config[k].default));
            const result = await packageProvider().construct("hello", TOKEN, filled, {});
            const state = result.state as Record<string, pulumi.Output<unknown>>;
            assert.deepStrictEqual(await valueOf(state.platforms), ["linux/amd64", "linux/arm64"]);
            assert.ok(fs.existsSync(path.join(root, "yaml", ".go-service-image", "hello", "Dockerfile")));
            assert.match(String(await valueOf(state.dockerfile)), /hello-service/);
        });

        it("examples/python: it compiles, and every keyword it passes (snake_case) is an input of the schema", () => {
            const script = [
                "import ast, json, sys",
                "tree = ast.parse(open(sys.argv[1]).read())",
                "calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, 'attr', '') == 'GoServiceImage']",
                "out = {k.arg: (sorted(k.value.keys[i].value for i in range(len(k.value.keys))) if isinstance(k.value, ast.Dict) else None) for k in calls[0].keywords}",
                "print(json.dumps(out))",
            ].join("\n");
            const r = spawnSync("python3", ["-c", script, path.join(REPO_ROOT, "examples", "python", "__main__.py")], { encoding: "utf8" });
            assert.strictEqual(r.status, 0, r.stderr);
            const kwargs = JSON.parse(r.stdout) as Record<string, string[] | null>;
            const inputs = schema.resources[TOKEN].inputProperties;
            assert.ok(Object.keys(kwargs).length >= 5);
            for (const [snake, keys] of Object.entries(kwargs)) {
                const name = camel(snake);
                assert.ok(name in inputs, `${snake} (${name}) is not an input of the schema`);
                for (const key of keys ?? []) assert.ok(key in type(inputs[name].$ref.split(":").pop())!.properties!, `${name}.${key}`);
            }
            for (const required of schema.resources[TOKEN].requiredInputs ?? []) assert.ok(Object.keys(kwargs).map(camel).includes(required), `${required} is required`);
            const compiled = spawnSync("python3", ["-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())", path.join(REPO_ROOT, "examples", "python", "__main__.py")]);
            assert.strictEqual(compiled.status, 0);
        });
    });

    it("PulumiPlugin.yaml declares the nodejs runtime, and package.json builds dist on install so the plugin can load", () => {
        const plugin = fs.readFileSync(path.join(REPO_ROOT, "PulumiPlugin.yaml"), "utf8");
        assert.match(plugin, /^runtime: nodejs$/m);
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { main: string; scripts: Record<string, string> };
        assert.strictEqual(pkg.main, "dist/index.js");
        assert.match(pkg.scripts.prepare, /npm run build/);
    });
});
