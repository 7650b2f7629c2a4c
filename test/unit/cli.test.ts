import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { main } from "../../src/cli";
import { generate } from "../helpers/generate";
import { workflowFor } from "../helpers/workflow";
import { BAD_INPUTS, ok } from "../helpers/bad-inputs";
import { depsModule, REPO_ROOT, simpleModule } from "../helpers/module";

/** Runs the CLI in-process; returns exit code and output. */
function run(...argv: string[]): { code: number; out: string; err: string } {
    let out = "";
    let err = "";
    const code = main(argv, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "gsi-out-"));

describe("go-service-image CLI", () => {
    it("render writes the same Dockerfile and .dockerignore the component would", () => {
        const dir = depsModule();
        const out = tmp();
        const r = run("render", dir, "--out", out, "--name", "api", "--runtime", "distroless", "--port", "9000", "--env", "A=b c", "--ldflags=-X", "--ldflags=main.commit=abc");
        assert.strictEqual(r.code, 0, r.err);
        const spec = generate(dir, { runtime: "distroless", port: 9000, env: { A: "b c" }, ldflags: ["-X", "main.commit=abc"] }, "api");
        assert.strictEqual(fs.readFileSync(path.join(out, "Dockerfile"), "utf8"), spec.dockerfile);
        assert.strictEqual(fs.readFileSync(path.join(out, ".dockerignore"), "utf8"), spec.dockerignore);
        const workflowPath = path.join(out, ".github", "workflows", "api.yml");
        assert.strictEqual(fs.readFileSync(workflowPath, "utf8"), workflowFor(dir, {}, { runtime: "distroless", port: 9000, env: { A: "b c" }, ldflags: ["-X", "main.commit=abc"] }, "api").text);
        assert.deepStrictEqual(r.out.trim().split("\n"), [`wrote ${path.join(out, "Dockerfile")}`, `wrote ${path.join(out, ".dockerignore")}`, `wrote ${workflowPath}`]);
    });

    it("--repo-root places the workflow at the repository root and the service dir relative to it", () => {
        const root = tmp();
        const dir = path.join(root, "services", "api");
        fs.cpSync(depsModule(), dir, { recursive: true });
        const r = run("render", dir, "--repo-root", root, "--name", "api", "--platforms", "linux/amd64,linux/arm64", "--sign");
        assert.strictEqual(r.code, 0, r.err);
        const text = fs.readFileSync(path.join(root, ".github", "workflows", "api.yml"), "utf8");
        assert.strictEqual(text, workflowFor(dir, { serviceDir: "services/api", platforms: ["linux/amd64", "linux/arm64"], sign: true }, {}, "api").text);
    });

    it("defaults --out to the module dir and --name to its base name", () => {
        const dir = simpleModule();
        assert.strictEqual(run("render", dir).code, 0);
        assert.strictEqual(fs.readFileSync(path.join(dir, "Dockerfile"), "utf8"), generate(dir, {}, path.basename(dir)).dockerfile);
    });

    it("is idempotent: a second render leaves identical bytes", () => {
        const dir = simpleModule();
        run("render", dir);
        const first = fs.readFileSync(path.join(dir, "Dockerfile"));
        assert.strictEqual(run("render", dir).code, 0);
        assert.deepStrictEqual(fs.readFileSync(path.join(dir, "Dockerfile")), first);
    });

    const bad: Array<[string, string[], RegExp]> = [
        ["no go.mod", ["render", os.tmpdir() + "/gsi-nonexistent"], /'context' .* does not exist/],
        ["bad port", ["render", "DIR", "--port", "99999"], /'port' must be a whole number from 1 to 65535/],
        ["non-numeric user", ["render", "DIR", "--user", "root"], /--user must be a whole number, got "root"/],
        ["cgo with scratch", ["render", "DIR", "--cgo"], /'cgo' is true but runtime "scratch"/],
        ["unknown flag", ["render", "DIR", "--colour"], /Unknown option '--colour'/],
        ["unknown command", ["publish", "DIR"], /unknown command "publish"/],
        ["env without =", ["render", "DIR", "--env", "A"], /--env must be KEY=VALUE, got "A"/],
        ["two problems on one line", ["render", "DIR", "--port", "0", "--user", "0"], /'port' must be .* 'user' must not be 0/],
        ["build without a repository", ["build", "DIR"], /build needs --repository, e\.g\. --repository ghcr\.io\/acme\/api/],
        ["build with an uppercase repository", ["build", "DIR", "--repository", "ghcr.io/Acme/api"], /'repository' must be lowercase, got "ghcr\.io\/Acme\/api": use "ghcr\.io\/acme\/api"/],
        ["build with a tagged repository", ["build", "DIR", "--repository", "ghcr.io/acme/api:v1"], /'repository' must not have a tag/],
        ["build with an unknown network", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--network", "bridge"], /--network must be default, host or none, got "bridge"/],
        ["build with a missing netrc", ["build", "DIR", "--repository", "ghcr.io/acme/api", "--netrc", "/nonexistent/netrc"], /--netrc "\/nonexistent\/netrc" does not exist/],
    ];
    for (const [what, argv, pattern] of bad) {
        it(`${what}: exit 2 and a one-line reason`, () => {
            const dir = simpleModule();
            const r = run(...argv.map((a) => (a === "DIR" ? dir : a)));
            assert.strictEqual(r.code, 2);
            assert.match(r.err, /^go-service-image: /);
            assert.strictEqual(r.err.trimEnd().split("\n").length, 1, r.err);
            assert.match(r.err, pattern);
            assert.ok(!fs.existsSync(path.join(dir, "Dockerfile")), "nothing written");
        });
    }

    describe("every bad input of the validation table: exit 2 and the same message", () => {
        for (const [what, input, , pattern] of BAD_INPUTS) {
            it(what, () => {
                const { context, ...rest } = input;
                const dir = context ?? ok;
                const r = run("render", dir, "--out", tmp(), "--args", JSON.stringify(rest));
                assert.strictEqual(r.code, 2, r.err);
                assert.strictEqual(r.err.trimEnd().split("\n").length, 1, r.err);
                assert.match(r.err, pattern);
            });
        }
    });

    it("--args takes options as JSON; flags win over it", () => {
        const dir = simpleModule();
        const out = tmp();
        assert.strictEqual(run("render", dir, "--out", out, "--args", '{"port":9000,"user":1000}', "--port", "9100").code, 0);
        const text = fs.readFileSync(path.join(out, "Dockerfile"), "utf8");
        assert.match(text, /^EXPOSE 9100$/m);
        assert.match(text, /^USER 1000:1000$/m);
        assert.match(run("render", dir, "--args", "{oops").err, /--args is not JSON/);
    });

    it("refuses to overwrite a Dockerfile it did not generate", () => {
        const dir = simpleModule({ Dockerfile: "FROM mine\n" });
        const r = run("render", dir);
        assert.strictEqual(r.code, 2);
        assert.match(r.err, /Dockerfile" exists and was not generated by go-service-image/);
        assert.strictEqual(fs.readFileSync(path.join(dir, "Dockerfile"), "utf8"), "FROM mine\n");
    });

    it("the installed bin runs the compiled CLI (npm run build first)", function () {
        const bin = path.join(REPO_ROOT, "bin", "go-service-image.js");
        assert.ok(fs.existsSync(path.join(REPO_ROOT, "dist", "cli.js")), "dist/cli.js is missing: run `npm run build`");
        const r = spawnSync(process.execPath, [bin, "render", "/nonexistent-gsi"], { encoding: "utf8" });
        assert.strictEqual(r.status, 2);
        assert.match(r.stderr, /^go-service-image: 'context' "\/nonexistent-gsi" does not exist/);
    });
});
