import * as assert from "assert";
import { spawnSync } from "child_process";
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

type Step = { name: string; if?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
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

            it("never skips the preview on a pull request: every pull request and merge group runs it; no pull_request_target", () => {
                assert.ok(!("pull_request_target" in doc.on));
                assert.strictEqual(doc.jobs.preview.if, "github.event_name == 'pull_request' || github.event_name == 'merge_group'");
                const guard = doc.jobs.preview.steps[0];
                assert.strictEqual(guard.name, "Can this run preview?");
                assert.strictEqual(guard.env!.FORK, "${{ github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name != github.repository }}");
                assert.strictEqual(guard.env!.MERGE_QUEUE, String(options.mergeQueue ?? false));
                // Every later step waits on the guard's answer.
                for (const s of doc.jobs.preview.steps.slice(1)) assert.strictEqual((s as { if?: string }).if, "steps.can.outputs.preview == 'true'", s.name);
            });

            it("holds least privilege: nothing at the top, read + the PR comment for previews, read for up, in its deployment environment; id-token only with OIDC", () => {
                const oidc = options.oidc ? { "id-token": "write" } : {};
                assert.deepStrictEqual(doc.permissions, {});
                assert.deepStrictEqual(doc.jobs.preview.permissions, { contents: "read", "pull-requests": "write", ...oidc });
                assert.deepStrictEqual(doc.jobs.up.permissions, { contents: "read", ...oidc });
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

            it("preview and up read distinct credentials: the preview's token cannot run pulumi up; passed-through secrets by name", () => {
                const [preview, up] = ["preview", "up"].map((j) => doc.jobs[j].steps.find((s) => s.with?.command === j)!.env ?? {});
                const pass = Object.fromEntries((options.secretEnv ?? []).map((n) => [n, `\${{ secrets.${n} }}`]));
                if (options.backendUrl) {
                    const passphrase = { PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" };
                    assert.deepStrictEqual([preview, up], [{ ...passphrase, ...pass }, { ...passphrase, ...pass }]);
                    assert.ok(steps.filter((s) => s.with?.command).every((s) => s.with!["cloud-url"] === options.backendUrl));
                } else if (options.oidc?.pulumi) {
                    assert.deepStrictEqual([preview, up], [pass, pass], "the token comes from pulumi/auth-actions");
                } else {
                    assert.deepStrictEqual([preview, up], [{ PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_PREVIEW_ACCESS_TOKEN }}", ...pass }, { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_UP_ACCESS_TOKEN }}", ...pass }]);
                }
                assert.ok(!/\.pulumi\/|credentials\.json|passphrase.*file/i.test(text));
            });

            it("OIDC: each job logs in with its own identity before the Pulumi steps", () => {
                const o = options.oidc ?? {};
                const find = (job: string, action: string) => doc.jobs[job].steps.find((s) => s.uses?.startsWith(`${action}@`));
                for (const job of ["preview", "up"] as const) {
                    const up = job === "up";
                    const aws = find(job, "aws-actions/configure-aws-credentials");
                    assert.deepStrictEqual(aws?.with, o.aws && { "role-to-assume": up ? o.aws.upRole : o.aws.previewRole, "aws-region": o.aws.region });
                    const gcp = find(job, "google-github-actions/auth");
                    assert.deepStrictEqual(gcp?.with, o.gcp && { workload_identity_provider: o.gcp.workloadIdentityProvider, service_account: up ? o.gcp.upServiceAccount : o.gcp.previewServiceAccount });
                    const azure = find(job, "azure/login");
                    assert.deepStrictEqual(azure?.with, o.azure && { "client-id": up ? o.azure.upClientId : o.azure.previewClientId, "tenant-id": o.azure.tenantId, "subscription-id": o.azure.subscriptionId });
                    const pulumi = find(job, "pulumi/auth-actions");
                    const team = up ? o.pulumi?.upTeam : o.pulumi?.previewTeam;
                    assert.deepStrictEqual(pulumi?.with, o.pulumi && (team
                        ? { organization: o.pulumi.organization, "requested-token-type": "urn:pulumi:token-type:access_token:team", scope: `team:${team}` }
                        : { organization: o.pulumi.organization, "requested-token-type": "urn:pulumi:token-type:access_token:organization" }));
                    const at = doc.jobs[job].steps.findIndex((s) => s.name === "Install the program's dependencies");
                    for (const login of [aws, gcp, azure, pulumi].filter(Boolean)) assert.ok(doc.jobs[job].steps.indexOf(login!) < at);
                }
            });

            it("sets up the language's toolchain with its pinned action and cache, then pulumi install with the pinned CLI, in the program's directory", () => {
                const language = options.language ?? "nodejs";
                const dir = options.workDir ?? ".";
                const file = (f: string) => (dir === "." ? f : `${dir}/${f}`);
                for (const job of jobs) {
                    assert.strictEqual(job.defaults.run["working-directory"], dir);
                    const names = job.steps.map((s) => s.uses?.split("@")[0] ?? s.run);
                    const cli = names.indexOf("pulumi/actions");
                    assert.deepStrictEqual(job.steps[cli].with, { "pulumi-version": options.pulumiVersion ?? "3.274.0" }, "no command: installs the CLI");
                    assert.strictEqual(names[cli + 1], "pulumi install\n");
                    const setup = job.steps.find((s) => /^actions\/setup-(node|python|go)@/.test(s.uses ?? ""));
                    const pm = options.packageManager ?? "npm";
                    const expected = {
                        nodejs: pm === "pnpm" ? { "node-version": options.nodeVersion ?? "22", "package-manager-cache": false } : { "node-version": options.nodeVersion ?? "22", cache: pm, "cache-dependency-path": file(pm === "yarn" ? "yarn.lock" : "package-lock.json") },
                        python: { "python-version": options.pythonVersion ?? "3.12", cache: "pip", "cache-dependency-path": file("requirements.txt") },
                        go: { "go-version-file": file("go.mod"), "cache-dependency-path": file("go.sum") },
                        yaml: undefined,
                    }[language];
                    assert.deepStrictEqual(setup?.with, expected);
                    assert.strictEqual(names.includes("corepack enable pnpm\n"), language === "nodejs" && pm === "pnpm");
                    assert.ok(!/pip install|npm ci/.test(JSON.stringify(job.steps)), "pulumi install does it as Pulumi.yaml says");
                }
            });

            it("up may run six hours (GitHub's limit): a timeout kills an update mid-flight", () => {
                assert.strictEqual((doc.jobs.up as unknown as Record<string, number>)["timeout-minutes"], 360);
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
            ["an unknown package manager", { stack: "prod", packageManager: "bun" }, /'packageManager' must be one of "npm", "yarn", "pnpm", got "bun"/],
            ["an AWS role that is not an ARN", { stack: "prod", oidc: { aws: { region: "eu-west-1", previewRole: "preview", upRole: "arn:aws:iam::123456789012:role/up" } } }, /'oidc\.aws\.previewRole' must be an IAM role ARN like "arn:aws:iam::123456789012:role\/publish-api", got "preview"/],
            ["a GCP login without its up service account", { stack: "prod", oidc: { gcp: { workloadIdentityProvider: "projects/1/locations/global/workloadIdentityPools/github/providers/acme", previewServiceAccount: "preview@acme-infra.iam.gserviceaccount.com" } } }, /'oidc\.gcp\.upServiceAccount' is required/],
            ["Pulumi Cloud OIDC with a self-managed backend", { stack: "prod", backendUrl: "s3://acme-state", oidc: { pulumi: { organization: "acme" } } }, /'oidc\.pulumi' logs in to Pulumi Cloud, but 'backendUrl' names a self-managed backend/],
            ["a secret GitHub reserves", { stack: "prod", secretEnv: ["GITHUB_TOKEN"] }, /'secretEnv\[0\]' must be a secret name .* not starting with a digit or GITHUB_, got "GITHUB_TOKEN"/],
            ["a merge queue flag as a string", { stack: "prod", mergeQueue: "yes" }, /'mergeQueue' must be true or false, got "yes"/],
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

    describe("the preview's first step, run as GitHub runs it: forks and Dependabot never skip the check silently", () => {
        const guardOf = (options: PreviewWorkflowOptions) => (parse(previewWorkflow(options).text) as { jobs: Record<string, Job> }).jobs.preview.steps[0];
        function run(options: PreviewWorkflowOptions, env: Record<string, string>) {
            const step = guardOf(options);
            const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-guard-")), "output");
            // The env values GitHub would give for these events: the static ones as written, the expressions as the case says.
            const given = { ...step.env, FORK: "false", ACTOR: "octocat", HAS_SECRET: "true", ...env, GITHUB_OUTPUT: out };
            const r = spawnSync("bash", ["--noprofile", "--norc", "-e", "-c", step.run!], { env: { PATH: process.env.PATH, ...given }, encoding: "utf8" });
            return { status: r.status, stdout: r.stdout, output: fs.existsSync(out) ? fs.readFileSync(out, "utf8").trim() : "" };
        }

        it("the repository's own pull request with its secret: previews", () => {
            assert.deepStrictEqual(run({ stack: "prod" }, {}), { status: 0, stdout: "", output: "preview=true" });
        });
        it("a fork's pull request without a merge queue fails, saying what to do", () => {
            const r = run({ stack: "prod" }, { FORK: "true", HAS_SECRET: "false" });
            assert.strictEqual(r.status, 1);
            assert.match(r.stdout, /^::error::A pull request from a fork gets no secrets, so it cannot be previewed: a maintainer pushes its branch .* merge queue \(PreviewWorkflow mergeQueue: true\)/);
        });
        it("a fork's pull request with a merge queue passes with a note; the queue's merge_group run previews", () => {
            const r = run({ stack: "prod", mergeQueue: true }, { FORK: "true", HAS_SECRET: "false" });
            assert.deepStrictEqual([r.status, r.output], [0, "preview=false"]);
            assert.match(r.stdout, /^::notice::.*the merge queue previews it/);
        });
        it("Dependabot's pull request without the Dependabot secret fails, naming the secret to add", () => {
            const r = run({ stack: "prod" }, { ACTOR: "dependabot[bot]", HAS_SECRET: "false" });
            assert.strictEqual(r.status, 1);
            assert.match(r.stdout, /Dependabot's pull requests read Dependabot secrets, not Actions secrets: add PULUMI_PREVIEW_ACCESS_TOKEN as a Dependabot secret/);
            assert.match(run({ stack: "prod", backendUrl: "s3://acme-state" }, { ACTOR: "dependabot[bot]", HAS_SECRET: "false" }).stdout, /add PULUMI_CONFIG_PASSPHRASE as a Dependabot secret/);
        });
        it("a missing secret on the repository's own pull request fails, naming it", () => {
            assert.match(run({ stack: "prod" }, { HAS_SECRET: "false" }).stdout, /The secret PULUMI_PREVIEW_ACCESS_TOKEN is empty or missing/);
        });
        it("with Pulumi Cloud OIDC no secret is needed", () => {
            const step = guardOf({ stack: "prod", oidc: { pulumi: { organization: "acme" } } });
            assert.strictEqual(step.env!.HAS_SECRET, "true");
            assert.strictEqual(guardOf({ stack: "prod" }).env!.HAS_SECRET, "${{ secrets.PULUMI_PREVIEW_ACCESS_TOKEN != '' }}");
        });
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
