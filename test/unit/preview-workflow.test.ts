import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { PreviewWorkflowOptions } from "../../src/args";
import { PREVIEW_MATRIX } from "../helpers/workflow";
import { main } from "../../src/cli";
import { GoServiceImageError } from "../../src/errors";
import { previewWorkflow } from "../../src/preview";
import { ACTION_PINS, ActionName } from "../../src/render/workflow/pins";
import { githubParserErrors } from "../helpers/workflow-parser";

type Step = { name: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { name: string; if: string; environment?: string; permissions: Record<string, string>; defaults: { run: { "working-directory": string } }; steps: Step[] };

describe("the preview workflow (infrastructure repository)", () => {
    for (const [what, options] of PREVIEW_MATRIX) {
        describe(what, () => {
            const { text, path: file } = previewWorkflow(options);
            const doc = parse(text) as { on: Record<string, unknown>; permissions: object; concurrency: Record<string, string>; jobs: Record<string, Job> };
            const branch = options.defaultBranch ?? "main";
            const jobs = Object.values(doc.jobs);
            const steps = jobs.flatMap((j) => j.steps);

            it("lives at .github/workflows/pulumi-<stack>.yml and is byte-identical on every run", () => {
                assert.strictEqual(file, `.github/workflows/pulumi-${options.stack.replace(/\//g, "-")}.yml`);
                assert.strictEqual(previewWorkflow({ ...options }).text, text);
            });

            it("previews pull requests and merge groups against the default branch, updates on its pushes", () => {
                assert.deepStrictEqual(doc.on, { push: { branches: [branch] }, pull_request: { branches: [branch] }, merge_group: {} });
                assert.strictEqual(doc.jobs.up.if, `github.event_name == 'push' && github.ref == 'refs/heads/${branch}'`);
                const preview = steps.find((s) => s.with?.command === "preview")!;
                assert.strictEqual(preview.with!.diff, true);
                assert.strictEqual(preview.with!["comment-on-pr"], "${{ github.event_name == 'pull_request' }}");
                assert.strictEqual(steps.find((s) => s.with?.command === "up")!.with!["stack-name"], options.stack);
            });

            it("is safe on forks: the preview runs only for the repository's own branches and merge groups; no pull_request_target", () => {
                assert.ok(!("pull_request_target" in doc.on));
                assert.strictEqual(doc.jobs.preview.if, "github.event_name == 'merge_group' || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository)");
            });

            it("holds least privilege: nothing at the top, read + the PR comment for previews, read for up, in its deployment environment", () => {
                assert.deepStrictEqual(doc.permissions, {});
                assert.deepStrictEqual(doc.jobs.preview.permissions, { contents: "read", "pull-requests": "write" });
                assert.deepStrictEqual(doc.jobs.up.permissions, { contents: "read" });
                assert.strictEqual(doc.jobs.up.environment, `pulumi-${options.stack.replace(/\//g, "-")}`);
                assert.strictEqual(doc.jobs.preview.environment, undefined, "previews never reach the environment's secrets");
            });

            it("pins every action by SHA from the table, passes only declared inputs and never puts ${{ }} in run:", () => {
                for (const s of steps.filter((x) => x.uses)) {
                    const [action, sha] = s.uses!.split("@");
                    assert.strictEqual(sha, ACTION_PINS[action as ActionName].sha, action);
                    for (const key of Object.keys(s.with ?? {})) assert.ok((ACTION_PINS[action as ActionName].inputs as readonly string[]).includes(key), `${action} has no input ${key}`);
                }
                for (const s of steps.filter((x) => x.run)) assert.ok(!s.run!.includes("${{"), s.run);
                assert.ok(steps.filter((s) => s.uses?.startsWith("actions/checkout@")).every((s) => s.with!["persist-credentials"] === false));
            });

            it("takes stack secrets from GitHub secrets through env, never from files", () => {
                const env = steps.filter((s) => s.uses?.startsWith("pulumi/actions@")).map((s) => s.env);
                const expected = options.backendUrl ? { PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" } : { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" };
                assert.deepStrictEqual(env, [expected, expected]);
                if (options.backendUrl) assert.ok(steps.filter((s) => s.with?.command).every((s) => s.with!["cloud-url"] === options.backendUrl));
                assert.ok(!/\.pulumi\/|credentials\.json|passphrase.*file/i.test(text));
            });

            it("installs the program's dependencies for its language in its directory, with the pinned CLI version", () => {
                const language = options.language ?? "nodejs";
                for (const job of jobs) {
                    assert.strictEqual(job.defaults.run["working-directory"], options.workDir ?? ".");
                    const installs = job.steps.slice(1, -1);
                    const expected = { nodejs: ["npm ci"], python: ["python3 -m pip install --require-hashes -r requirements.txt"], go: ["setup-go"], yaml: [] }[language];
                    assert.deepStrictEqual(installs.map((s) => s.run ?? (s.uses?.startsWith("actions/setup-go@") ? "setup-go" : s.uses)), expected);
                    assert.strictEqual(job.steps[job.steps.length - 1].with!["pulumi-version"], options.pulumiVersion ?? "3.274.0");
                }
            });

            it("serialises updates of the stack and never cancels one; a newer commit cancels an older preview", () => {
                assert.strictEqual(doc.concurrency["cancel-in-progress"], "${{ github.event_name != 'push' }}");
                assert.match(doc.concurrency.group, /\$\{\{ github\.event_name == 'push' && 'up' \|\| github\.ref \}\}$/);
            });

            it("GitHub's own parser reads it with no error", async () => {
                assert.deepStrictEqual(await githubParserErrors(path.basename(file), text), []);
            });
        });
    }

    describe("bad options: one error listing every problem, nothing written", () => {
        const cases: Array<[string, unknown, RegExp]> = [
            ["no stack", {}, /'stack' is required/],
            ["a stack with a space", { stack: "my stack" }, /'stack' must be a stack name like "prod"/],
            ["latest CLI", { stack: "prod", pulumiVersion: "latest" }, /'pulumiVersion' must be a Pulumi CLI release like "3\.274\.0" \(pinned: never "latest"\)/],
            ["a work dir outside", { stack: "prod", workDir: "../x" }, /'workDir' must be a path inside the repository/],
            ["an unknown language", { stack: "prod", language: "ruby" }, /'language' must be one of "nodejs", "python", "go", "yaml", got "ruby"/],
            ["a backend with a scheme of its own", { stack: "prod", backendUrl: "http://state" }, /'backendUrl' must be a self-managed backend URL/],
            ["an S3 backend with an access key in the URL", { stack: "prod", backendUrl: "s3://AKIAEXAMPLE:wJalrXUtnFEMI@acme-state" }, /^PreviewWorkflow "prod": 'backendUrl' carries credentials \("s3:\/\/\*\*\*@acme-state"\): the workflow is committed to the repository.*keep the URL plain/],
            ["an Azure backend with a storage key", { stack: "prod", backendUrl: "azblob://state?storage_account=acme&storage_key=c2VjcmV0S2V5" }, /'backendUrl' carries credentials \("azblob:\/\/state\?storage_account=acme&storage_key=\*\*\*"\)/],
            ["a gs backend with a token parameter", { stack: "prod", backendUrl: "gs://state?token=ya29.abc" }, /'backendUrl' carries credentials \("gs:\/\/state\?token=\*\*\*"\)/],
            ["a typo", { stack: "prod", workdir: "infra" }, /"workdir" is not an option of PreviewWorkflow: did you mean 'workDir'\?/],
            ["github on the function", { stack: "prod", github: { repository: "infra" } }, /'github' provisions the workflow with @pulumi\/github: use the PreviewWorkflow component/],
        ];
        for (const [what, options, pattern] of cases) {
            it(what, () => {
                assert.throws(() => previewWorkflow(options as PreviewWorkflowOptions), (e: unknown) => {
                    assert.ok(e instanceof GoServiceImageError);
                    assert.match(e.message, /^PreviewWorkflow "/);
                    assert.match(e.message, pattern);
                    assert.strictEqual(e.problems.length, 1, e.message);
                    for (const secret of ["wJalrXUtnFEMI", "AKIAEXAMPLE", "c2VjcmV0S2V5", "ya29.abc"]) assert.ok(!e.message.includes(secret), `the message shows the secret: ${e.message}`);
                    return true;
                });
            });
        }
    });

    describe("go-service-image render-preview", () => {
        const run = async (...argv: string[]) => {
            let out = "";
            let err = "";
            const code = await main(argv, (s) => (out += s), (s) => (err += s));
            return { code, out, err };
        };

        it("writes the same workflow as the function, into the repository, and rewrites nothing when unchanged", async () => {
            const repo = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-infra-"));
            const r = await run("render-preview", "--stack", "acme/infra/prod", "--repo-root", repo, "--work-dir", "infra", "--language", "python");
            assert.strictEqual(r.code, 0, r.err);
            const file = path.join(repo, ".github", "workflows", "pulumi-acme-infra-prod.yml");
            assert.strictEqual(fs.readFileSync(file, "utf8"), previewWorkflow({ stack: "acme/infra/prod", workDir: "infra", language: "python" }).text);
            const before = fs.statSync(file).mtimeMs;
            assert.strictEqual((await run("render-preview", "--stack", "acme/infra/prod", "--repo-root", repo, "--work-dir", "infra", "--language", "python")).code, 0);
            assert.strictEqual(fs.statSync(file).mtimeMs, before);
        });

        it("never overwrites a workflow it did not write; bad options exit 2 with one line", async () => {
            const repo = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-infra-"));
            fs.mkdirSync(path.join(repo, ".github", "workflows"), { recursive: true });
            fs.writeFileSync(path.join(repo, ".github", "workflows", "pulumi-prod.yml"), "name: mine\n");
            const r = await run("render-preview", "--stack", "prod", "--repo-root", repo);
            assert.strictEqual(r.code, 2);
            assert.match(r.err, /pulumi-prod\.yml exists and was not generated by go-service-image/);
            assert.strictEqual(fs.readFileSync(path.join(repo, ".github", "workflows", "pulumi-prod.yml"), "utf8"), "name: mine\n");
            const bad = await run("render-preview", "--stack", "prod", "--pulumi-version", "latest", "--repo-root", repo);
            assert.strictEqual(bad.code, 2);
            assert.strictEqual(bad.err.trimEnd().split("\n").length, 1);
            assert.match(bad.err, /pinned: never "latest"/);
        });
    });
});
