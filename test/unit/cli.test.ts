import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { main } from "../../src/cli";
import { generate } from "../helpers/generate";
import { workflowFor } from "../helpers/workflow";
import { BAD_INPUTS, BASE, ODD_INPUTS } from "../helpers/bad-inputs";
import { depsModule, REPO_ROOT, simpleModule } from "../helpers/module";

/** Runs the CLI in-process; returns exit code and output. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(argv, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "gsi-out-"));

describe("go-service-image CLI", () => {
    it("render writes the same Dockerfile and allow-list the component would", async () => {
        const dir = depsModule();
        const out = tmp();
        const r = await run("render", dir, "--out", out, "--name", "api", "--runtime", "distroless", "--port", "9000", "--env", "A=b c", "--ldflags=-X", "--ldflags=main.commit=abc");
        assert.strictEqual(r.code, 0, r.err);
        const spec = generate(dir, { runtime: "distroless", port: 9000, env: { A: "b c" }, ldflags: ["-X", "main.commit=abc"] }, "api");
        assert.strictEqual(fs.readFileSync(path.join(out, "Dockerfile"), "utf8"), spec.dockerfile);
        assert.strictEqual(fs.readFileSync(path.join(out, "Dockerfile.dockerignore"), "utf8"), spec.dockerignore);
        const workflowPath = path.join(out, ".github", "workflows", "api.yml");
        assert.strictEqual(fs.readFileSync(workflowPath, "utf8"), workflowFor(dir, {}, { runtime: "distroless", port: 9000, env: { A: "b c" }, ldflags: ["-X", "main.commit=abc"] }, "api").text);
        const scanPath = path.join(out, ".github", "workflows", "api-scan.yml");
        assert.strictEqual(fs.readFileSync(scanPath, "utf8"), workflowFor(dir, {}, { runtime: "distroless", port: 9000, env: { A: "b c" }, ldflags: ["-X", "main.commit=abc"] }, "api").scan!.text);
        assert.deepStrictEqual(r.out.trim().split("\n"), [path.join(out, "Dockerfile"), path.join(out, "Dockerfile.dockerignore"), workflowPath, scanPath].map((f) => `wrote ${path.relative(process.cwd(), f)}`));
    });

    it("--repo-root places the workflow at the repository root and the service dir relative to it", async () => {
        const root = tmp();
        const dir = path.join(root, "services", "api");
        fs.cpSync(depsModule(), dir, { recursive: true });
        const r = await run("render", dir, "--repo-root", root, "--name", "api", "--platforms", "linux/amd64,linux/arm64", "--sign");
        assert.strictEqual(r.code, 0, r.err);
        const text = fs.readFileSync(path.join(root, ".github", "workflows", "api.yml"), "utf8");
        assert.strictEqual(text, workflowFor(dir, { serviceDir: "services/api", platforms: ["linux/amd64", "linux/arm64"], sign: true }, {}, "api").text);
    });

    it("defaults --out to the module dir and --name to the module's binary name (example.com/simple → simple)", async () => {
        const dir = simpleModule();
        assert.strictEqual((await run("render", dir)).code, 0);
        assert.strictEqual(fs.readFileSync(path.join(dir, "Dockerfile"), "utf8"), generate(dir, {}, "simple").dockerfile);
    });

    it("is idempotent: a second render leaves identical bytes", async () => {
        const dir = simpleModule();
        await run("render", dir);
        const first = fs.readFileSync(path.join(dir, "Dockerfile"));
        assert.strictEqual((await run("render", dir)).code, 0);
        assert.deepStrictEqual(fs.readFileSync(path.join(dir, "Dockerfile")), first);
    });

    const bad: Array<[string, string[], RegExp]> = [
        ["no go.mod", ["render", os.tmpdir() + "/gsi-nonexistent"], /'context' .* does not exist/],
        ["bad port", ["render", "DIR", "--port", "99999"], /'port' must be a whole number from 1 to 65535/],
        ["non-numeric port", ["render", "DIR", "--port", "http"], /--port must be a whole number, got "http"/],
        ["non-numeric user", ["render", "DIR", "--user", "root"], /--user must be a whole number, got "root"/],
        ["negative user", ["render", "DIR", "--user", "-1"], /'user' must be a numeric user id from 1 to 2147483647, got -1/],
        ["cgo with scratch", ["render", "DIR", "--cgo"], /'cgo' is true but runtime "scratch"/],
        ["unknown flag", ["render", "DIR", "--colour"], /unknown option '--colour'/],
        ["a build flag on render", ["render", "DIR", "--push"], /unknown option '--push'/],
        ["render flags of build", ["render", "DIR", "--network", "bogus", "--netrc", "/nope"], /unknown option '--network'/],
        ["a render flag on build", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--out", "x"], /unknown option '--out'/],
        ["buildx: an unknown platform", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--platforms", "linux/mips"], /'buildx\.platforms' \(--platforms\) has "linux\/mips": each must be one of linux\/amd64/],
        ["buildx: an index without --push", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--platforms", "linux/amd64,linux/arm64"], /builds an image index, which cannot be loaded into the local engine: add --push/],
        ["buildx: a builder that is neither a name nor an endpoint", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--builder", "http://x:1"], /'buildx\.builder' \(--builder\) must be a buildx builder name or a BuildKit endpoint like "tcp:\/\/buildkit\.internal:1234"/],
        ["buildx: a cache without a ref", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--cache-from", "type=registry"], /'buildx\.cacheFrom' \(--cache-from\) must be a buildx cache like "type=registry,ref=ghcr\.io\/acme\/api:cache"/],
        ["buildx: a cache with an uppercase ref", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--cache-to", "type=registry,ref=ghcr.io/Acme/api:cache"], /'buildx\.cacheTo' must be an image reference/],
        ["a flag that no longer exists", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--keep-dockerignore"], /unknown option '--keep-dockerignore'/],
        ["the root's --version after build (a script meaning --image-version)", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--version", "1.2.3"], /unknown option '--version' for a command: .*--image-version <v>/],
        ["the root's --version after render", ["render", "DIR", "--version"], /unknown option '--version' for a command/],
        ["the root's --version after render-preview", ["render-preview", "--stack", "prod", "--version"], /unknown option '--version' for a command/],
        ["a typo keeps commander's hint", ["render", "DIR", "--oot", "x"], /unknown option '--oot' \(Did you mean one of --out, --root\?\) \(see --help\)\n$/],
        ["unknown command", ["publish", "DIR"], /unknown command 'publish'/],
        ["env without =", ["render", "DIR", "--env", "A"], /--env must be KEY=VALUE, got "A"/],
        ["two problems on one line", ["render", "DIR", "--port", "70000", "--user", "0"], /'port' must be .* 'user' must not be 0/],
        ["a typo in --args", ["render", "DIR", "--args", '{"potr":9000}'], /"potr" is not an option of GoServiceImage: did you mean 'port'\?/],
        ["build without a repository", ["build", "DIR"], /'repository' is required: give the image repository without tag/],
        ["build with an uppercase repository", ["build", "DIR", "--repository", "ghcr.io/Acme/api"], /'repository' must be lowercase, got "ghcr\.io\/Acme\/api": use "ghcr\.io\/acme\/api"/],
        ["build with a tagged repository", ["build", "DIR", "--repository", "ghcr.io/acme/api:v1"], /'repository' must not have a tag/],
        ["build with an unknown network", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--network", "bridge"], /option '--network <mode>' argument 'bridge' is invalid\. Allowed choices are default, host, none/],
        ["build with a missing netrc", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--netrc", "/nonexistent/netrc"], /--netrc "\/nonexistent\/netrc" does not exist/],
    ];
    for (const [what, argv, pattern] of bad) {
        it(`${what}: exit 2 and a one-line reason`, async () => {
            const dir = simpleModule();
            const r = await run(...argv.map((a) => (a === "DIR" ? dir : a)));
            assert.strictEqual(r.code, 2);
            assert.match(r.err, /^go-service-image: /);
            assert.strictEqual(r.err.trimEnd().split("\n").length, 1, r.err);
            assert.match(r.err, pattern);
            assert.ok(!fs.existsSync(path.join(dir, "Dockerfile")), "nothing written");
        });
    }

    describe("the input table through `build --args`: bad input exits 2 with the same one-line message, before anything is written", () => {
        const cwd = process.cwd();
        let work: string;
        beforeEach(() => {
            work = tmp();
            process.chdir(work);
        });
        afterEach(() => process.chdir(cwd));
        for (const [what, input, , pattern, where] of BAD_INPUTS) {
            if (where?.componentOnly) continue;
            it(what, async () => {
                const { context, ...rest } = { ...BASE, ...input };
                const ignoreBefore = typeof context === "string" && fs.existsSync(path.join(context, ".dockerignore"));
                const name = where?.name !== undefined ? ["--name", where.name] : [];
                const r = await run("build", String(context), ...name, "--docker", "/nonexistent/docker", "--args", JSON.stringify(rest));
                assert.strictEqual(r.code, 2, r.err);
                assert.strictEqual(r.err.trimEnd().split("\n").length, 1, r.err);
                assert.match(r.err, /^go-service-image: /);
                assert.doesNotMatch(r.err, /\n\s+at /, "no stack trace");
                assert.match(r.err, pattern);
                assert.deepStrictEqual(fs.readdirSync(work), [], "nothing written");
                if (typeof context === "string" && !ignoreBefore) assert.ok(!fs.existsSync(path.join(context, ".dockerignore")), "no .dockerignore written");
            });
        }
        for (const [what, input, where] of ODD_INPUTS) {
            it(`accepted: ${what} (resolve passes; the build then needs an engine)`, async () => {
                const { context, ...rest } = { ...BASE, ...input };
                const name = where?.name !== undefined ? ["--name", where.name] : [];
                const r = await run("build", String(context), ...name, "--docker", "/nonexistent/docker", "--args", JSON.stringify(rest));
                assert.strictEqual(r.code, 1, r.err);
                assert.match(r.err, /^go-service-image: cannot run the docker client "\/nonexistent\/docker" \(ENOENT\): install it or set GO_SERVICE_IMAGE_DOCKER/);
            });
        }
    });

    it("--args takes options as JSON; flags win over it", async () => {
        const dir = simpleModule();
        const out = tmp();
        assert.strictEqual((await run("render", dir, "--out", out, "--args", '{"port":9000,"user":1000}', "--port", "9100")).code, 0);
        const text = fs.readFileSync(path.join(out, "Dockerfile"), "utf8");
        assert.match(text, /^EXPOSE 9100$/m);
        assert.match(text, /^USER 1000:1000$/m);
        assert.match((await run("render", dir, "--args", "{oops")).err, /--args is not JSON/);
    });

    it("refuses to overwrite a Dockerfile it did not generate", async () => {
        const dir = simpleModule({ Dockerfile: "FROM mine\n" });
        const r = await run("render", dir);
        assert.strictEqual(r.code, 2);
        assert.match(r.err, /Dockerfile" exists and was not generated by this library: move it away or choose another --out/);
        assert.strictEqual(fs.readFileSync(path.join(dir, "Dockerfile"), "utf8"), "FROM mine\n");
    });

    it("monorepo flags: --main repeated or with *, --entrypoint, --root, --no-workspace", async () => {
        const multi = path.join(REPO_ROOT, "examples", "multi-binary");
        const out = tmp();
        const r = await run("render", multi, "--out", out, "--main", "./cmd/*", "--entrypoint", "worker");
        assert.strictEqual(r.code, 0, r.err);
        const text = fs.readFileSync(path.join(out, "Dockerfile"), "utf8");
        assert.deepStrictEqual([...text.matchAll(/-o \/out\/rootfs\/usr\/local\/bin\/(\w+) (\S+)/g)].map((m) => [m[1], m[2]]), [["api", "./cmd/api"], ["worker", "./cmd/worker"]]);
        assert.match(text, /^ENTRYPOINT \["\/usr\/local\/bin\/worker"\]$/m);
        const two = await run("render", multi, "--out", tmp(), "--main", "./cmd/worker", "--main", "./cmd/api");
        assert.strictEqual(two.code, 0, two.err);
        const api = path.join(REPO_ROOT, "examples", "monorepo", "services", "api");
        const narrow = await run("render", api, "--out", tmp(), "--root", api);
        assert.strictEqual(narrow.code, 2);
        assert.match(narrow.err, /outside 'root' "[^"]+services\/api": the build context cannot reach it/);
        const ws = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-ws-"));
        fs.cpSync(simpleModule(), path.join(ws, "svc"), { recursive: true });
        fs.writeFileSync(path.join(ws, "go.work"), "go 1.22\n\nuse ./other\n");
        assert.match((await run("render", path.join(ws, "svc"), "--out", tmp())).err, /does not list the module/);
        assert.strictEqual((await run("render", path.join(ws, "svc"), "--out", tmp(), "--no-workspace")).code, 0);
    });

    it("--version prints the package version; --help lists each command's own options", async () => {
        const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
        assert.deepStrictEqual(await run("--version"), { code: 0, out: `${version}\n`, err: "" });
        const render = await run("render", "--help");
        assert.strictEqual(render.code, 0);
        assert.match(render.out, /--repo-root <dir>/);
        assert.doesNotMatch(render.out, /--push|--netrc/);
        assert.match(render.out, /--port <n> +EXPOSE port, or none \(default: 8080\)/, "defaults come from the DEFAULTS table");
        const build = await run("build", "--help");
        assert.match(build.out, /--netrc <file>/);
        assert.doesNotMatch(build.out, /--repo-root/);
    });

    it("the installed bin runs the compiled CLI (npm run build first)", function () {
        const bin = path.join(REPO_ROOT, "bin", "go-service-image.js");
        assert.ok(fs.existsSync(path.join(REPO_ROOT, "dist", "cli.js")), "dist/cli.js is missing: run `npm run build`");
        const r = spawnSync(process.execPath, [bin, "render", "/nonexistent-gsi"], { encoding: "utf8" });
        assert.strictEqual(r.status, 2);
        assert.match(r.stderr, /^go-service-image: 'context' "\/nonexistent-gsi" does not exist/);
    });

    it("starts without the libraries only some commands need: the Pulumi SDK never, the YAML library only for a workflow", function () {
        // Start-up is part of every one-line rebuild through the CLI; these two were most of it.
        const loaded = (command: string) => {
            const script = `const cli = require(${JSON.stringify(path.join(REPO_ROOT, "dist", "cli.js"))}); ${command}.then(() => console.log(JSON.stringify(Object.keys(require.cache))));`;
            const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
            assert.strictEqual(r.status, 0, r.stderr);
            return (JSON.parse(r.stdout.trim().split("\n").pop() as string) as string[]).map((f) => f.split(path.sep).join("/"));
        };
        const startUp = loaded("Promise.resolve()");
        assert.ok(!startUp.some((f) => f.includes("/node_modules/yaml/")), "yaml loaded at start-up");
        assert.ok(!startUp.some((f) => f.includes("/node_modules/@pulumi/")), "a Pulumi package loaded at start-up");
        const dir = simpleModule();
        const render = loaded(`cli.main(["render", ${JSON.stringify(dir)}, "--name", "svc"])`);
        assert.ok(render.some((f) => f.includes("/node_modules/yaml/")), "render writes a workflow, with the YAML library");
    });
});

describe("go-service-image: default names as go build gives them", () => {
    const { execName } = require("../../src/resolve/image") as typeof import("../../src/resolve/image");
    it("the last element of the import path, or the one before a major version suffix", () => {
        assert.deepStrictEqual(
            ["miniflux.app/v2", "go.etcd.io/etcd/server/v3", "example.com/api", "example.com/tool/cmd/tool", "example.com/v1", "v2", "example.com/x/v10"].map(execName),
            ["miniflux.app", "server", "api", "tool", "v1", "v2", "x"],
        );
    });

    it("render in a module directory v2/ names the service after the module, not the directory", async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-v2-"));
        const dir = path.join(root, "v2");
        fs.cpSync(simpleModule(), dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "go.mod"), "module example.com/tool/v2\n\ngo 1.22\n");
        const r = await run("render", dir, "--out", path.join(root, "out"));
        assert.strictEqual(r.code, 0, r.err);
        assert.ok(fs.existsSync(path.join(root, "out", ".github", "workflows", "tool.yml")), r.out);
        assert.match(fs.readFileSync(path.join(root, "out", "Dockerfile"), "utf8"), /\/usr\/local\/bin\/tool\b/);
    });
});
