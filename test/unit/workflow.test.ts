import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ACTION_PINS, ActionName } from "../../src/render/workflow/pins";
import { GoServiceImageError } from "../../src/errors";
import { WorkflowOptions } from "../../src/args";
import { depsModule, HELLO, REPO_ROOT, simpleModule } from "../helpers/module";
import { allSteps, MATRIX, PREVIEW_MATRIX, workflowFor } from "../helpers/workflow";
import { githubParserErrors } from "../helpers/workflow-parser";
import { generate } from "../helpers/generate";
import { parse, parseDocument, visit } from "yaml";
import { previewWorkflow } from "../../src/preview";
import { renderDependabot } from "../../src/render/workflow/dependabot";


describe("workflow generator", () => {
    for (const [what, options, image] of MATRIX) {
        describe(what, () => {
            const { text, doc, scan } = workflowFor(depsModule(), options, image ?? {}, "api");
            const branch = options.defaultBranch ?? "main";
            const prefix = options.variablePrefix ?? "API";
            const host = String((image as { repository?: string } | undefined)?.repository ?? "").split("/")[0];
            const ghcr = host === "ghcr.io";
            const cloud = Object.keys(options.registryOidc ?? {})[0] as "aws" | "gcp" | "azure" | undefined;
            const dir = options.serviceDir ?? ".";

            it("runs on every pull request, merge group, default-branch push, release tag push and by hand; no paths filter, no schedule (the scan has its own file)", () => {
                assert.deepStrictEqual(Object.keys(doc.on), ["push", "pull_request", "merge_group", "workflow_dispatch"]);
                assert.deepStrictEqual(doc.on.push, { branches: [branch], tags: ["v*.*.*"] });
                assert.deepStrictEqual([doc.on.pull_request, doc.on.merge_group, doc.on.workflow_dispatch], [{}, {}, {}]);
                assert.doesNotMatch(text, /pull_request_target|paths:|schedule/);
            });

            it("grants nothing at the top; each job holds only what it needs, each permission commented", () => {
                assert.deepStrictEqual(doc.permissions, {});
                assert.deepStrictEqual(doc.jobs.changes.permissions, { contents: "read", actions: "read" }, "actions: read finds the last successful run");
                for (const job of ["test", "image", ...(options.govulncheck === false ? [] : ["vulnerabilities"])]) assert.deepStrictEqual(doc.jobs[job].permissions, { contents: "read" }, job);
                assert.deepStrictEqual(doc.jobs.checks.permissions, {});
                assert.deepStrictEqual(doc.jobs.publish.permissions, { contents: "read", ...(ghcr ? { packages: "write" } : {}), ...(options.sign || options.attest || cloud ? { "id-token": "write" } : {}), ...(options.attest ? { attestations: "write" } : {}) });
                for (const line of text.split("\n").filter((l) => /^\s+[a-z-]+: (read|write)/.test(l))) assert.match(line, / # \w/, line);
            });

            it("cancels superseded runs except a running one on the default branch, in a group of its own; every job has a timeout", () => {
                // Not github.workflow: another workflow file may carry the same name, and GitHub groups by the string alone.
                assert.deepStrictEqual(doc.concurrency, { group: "go-service-image-api-${{ github.ref }}", "cancel-in-progress": `\${{ github.ref != 'refs/heads/${branch}' }}` });
                for (const job of Object.values(doc.jobs) as any[]) assert.ok(Number.isInteger(job["timeout-minutes"]) && job["timeout-minutes"] > 0);
            });

            it("pins every action by a 40-hex SHA from the table, with the release tag as a comment", () => {
                for (const d of [doc, ...(scan ? [scan.doc] : [])]) {
                    const uses = allSteps(d).map(({ step }) => step.uses).filter(Boolean);
                    for (const u of uses) {
                        const [action, sha] = u.split("@");
                        assert.match(sha, /^[0-9a-f]{40}$/);
                        assert.strictEqual(ACTION_PINS[action as ActionName]?.sha, sha, u);
                        assert.ok((d === doc ? text : scan!.text).includes(`uses: ${u} # ${ACTION_PINS[action as ActionName].tag}\n`), `tag comment for ${u}`);
                    }
                    assert.ok(!uses.some((u: string) => u.startsWith("golang/govulncheck-action@")), "govulncheck runs pinned with the job's Go, not through the action");
                }
            });

            it("gives each action only inputs it declares", () => {
                for (const d of [doc, ...(scan ? [scan.doc] : [])]) {
                    for (const { step } of allSteps(d)) {
                        if (!step.uses) continue;
                        const declared = ACTION_PINS[step.uses.split("@")[0] as ActionName].inputs as readonly string[];
                        for (const key of Object.keys(step.with ?? {})) assert.ok(declared.includes(key), `${step.uses.split("@")[0]} has no input ${key}`);
                    }
                }
            });

            it("checks out shallow, without persisting credentials, in every job that reads the repository", () => {
                for (const d of [doc, ...(scan ? [scan.doc] : [])]) {
                    const checkouts = allSteps(d).filter(({ step }) => step.uses?.startsWith("actions/checkout@"));
                    assert.deepStrictEqual(checkouts.map((c) => c.job), Object.keys(d.jobs).filter((j) => j !== "checks"));
                    for (const { step } of checkouts) assert.deepStrictEqual(step.with, { "persist-credentials": false }, "no fetch-depth: one commit");
                }
            });

            it("has no expression inside any run: script; values arrive through env", () => {
                for (const d of [doc, ...(scan ? [scan.doc] : [])]) for (const { step } of allSteps(d)) if (step.run) assert.doesNotMatch(step.run, /\$\{\{/, step.name);
            });

            it("the work runs unless changes said nothing changed; the image build does not wait for the tests; publish needs them; nothing needs govulncheck", () => {
                assert.deepStrictEqual(doc.jobs.changes.outputs, { run: "${{ steps.diff.outputs.run }}" });
                assert.deepStrictEqual(doc.jobs.test.needs, ["changes"]);
                assert.deepStrictEqual(doc.jobs.image.needs, ["changes"]);
                assert.deepStrictEqual(doc.jobs.publish.needs, ["changes", "test"]);
                assert.strictEqual(doc.jobs.test.if, "!cancelled() && needs.changes.outputs.run != 'false'");
                assert.strictEqual(doc.jobs.image.if, "!cancelled() && needs.changes.outputs.run != 'false' && (github.event_name == 'pull_request' || github.event_name == 'merge_group')");
                for (const job of Object.values(doc.jobs) as any[]) assert.ok(!(job.needs ?? []).includes("vulnerabilities"), job.name);
                if (options.govulncheck !== false) assert.deepStrictEqual([doc.jobs.vulnerabilities.needs, doc.jobs.vulnerabilities.if], [["changes"], doc.jobs.test.if]);
                else assert.strictEqual(doc.jobs.vulnerabilities, undefined);
            });

            it("one gate, <service>-checks, runs always on pull requests and merge groups and needs the test and image jobs", () => {
                const gate = doc.jobs.checks;
                assert.strictEqual(gate.name, "api-checks");
                assert.deepStrictEqual(gate.needs, ["changes", "test", "image"]);
                assert.strictEqual(gate.if, "always() && (github.event_name == 'pull_request' || github.event_name == 'merge_group')");
                assert.deepStrictEqual(gate.steps[0].env, { CHANGES: "${{ needs.changes.result }}", RUN: "${{ needs.changes.outputs.run }}", TEST: "${{ needs.test.result }}", IMAGE: "${{ needs.image.result }}" });
            });

            it("fork pull requests: the image job reads no variable and no secret but the optional netrc, logs in nowhere, pushes nothing, saves no cache", () => {
                const job = doc.jobs.image;
                const body = JSON.stringify(job);
                assert.doesNotMatch(body, /vars\./);
                assert.deepStrictEqual([...new Set([...body.matchAll(/secrets\.(\w+)/g)].map((m) => m[1]))], options.privateModules ? [`${prefix}_NETRC`] : []);
                assert.ok(!job.steps.some((s: any) => /login|credentials/i.test(s.uses ?? s.name)));
                const build = job.steps.find((s: any) => s.id === "build");
                assert.strictEqual(build.with.push, false);
                assert.strictEqual(build.with.tags, "api:${{ steps.version.outputs.sha }}");
                assert.strictEqual(build.with["cache-to"], undefined, "pull requests never write the layer cache");
                assert.ok(!job.steps.some((s: any) => s.uses?.startsWith("actions/cache@")), "restore only");
                assert.strictEqual(job.steps.filter((s: any) => s.uses?.startsWith("actions/cache/restore@")).length, 1);
                assert.strictEqual(job.steps.find((s: any) => s.uses?.startsWith("reproducible-containers/buildkit-cache-dance@")).with["skip-extraction"], true);
            });

            it("publish: the default branch only, after the tests, behind its deployment environment; login, push, caches saved", () => {
                const job = doc.jobs.publish;
                assert.strictEqual(job.if, `!cancelled() && needs.changes.outputs.run != 'false' && needs.test.result == 'success' && (github.event_name == 'push' || github.event_name == 'workflow_dispatch') && (github.ref == 'refs/heads/${branch}' || startsWith(github.ref, 'refs/tags/v'))`);
                assert.strictEqual(job.environment, "api-publish");
                const build = job.steps.find((s: any) => s.id === "build");
                assert.strictEqual(build.with.push, true);
                assert.strictEqual(build.with.tags, "${{ steps.meta.outputs.tags }}");
                const meta = job.steps.find((s: any) => s.uses?.startsWith("docker/metadata-action@"));
                assert.deepStrictEqual(meta.with, {
                    images: `\${{ vars.${prefix}_IMAGE_REPOSITORY }}`,
                    tags: "type=raw,value=${{ steps.component.outputs.tag }}\ntype=raw,value=${{ steps.version.outputs.sha }}\ntype=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\n",
                    flavor: "latest=false\n",
                });
                assert.strictEqual(build.with.labels, undefined, "metadata-action's labels would change the digest of one commit (created is the build time)");
                assert.strictEqual(job.steps.some((s: any) => s.uses?.startsWith("actions/attest-build-provenance@")), options.attest ?? false);
                // The registry cache beside the image is the one the component's buildx build reads.
                assert.deepStrictEqual([build.with["cache-from"], build.with["cache-to"]], ["type=gha,scope=api", `type=gha,mode=max,scope=api\ntype=registry,ref=\${{ vars.${prefix}_IMAGE_REPOSITORY }}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true\n`]);
                assert.strictEqual(build.with.platforms, (options.platforms ?? ["linux/amd64"]).join(","));
                assert.strictEqual(build.with.sbom, options.sbom ?? false);
                assert.strictEqual(build.with.provenance, options.provenance ?? false);
                // The component's build args, from the library's CLI run on this commit (the same version as wrote the workflow).
                assert.strictEqual(build.with["build-args"], "${{ steps.component.outputs.build-args }}");
                const component = job.steps.find((s: any) => s.id === "component");
                assert.ok(job.steps.indexOf(component) < job.steps.indexOf(build) && job.steps[job.steps.indexOf(component) - 1].uses.startsWith("actions/setup-node@"));
                assert.strictEqual(component.env.LIBRARY, require("../../package.json").version);
                assert.strictEqual(component.env.SERVICE, "api");
                assert.strictEqual(component.env.PLATFORMS, build.with.platforms);
                const ciArgs = JSON.parse(component.env.ARGS);
                for (const key of ["context", "root", "repository", "registry", "github", "buildx", "platform"]) assert.ok(!(key in ciArgs), `${key} is not CI's to know`);
                assert.match(component.run, /npx --yes --package "pulumi-go-service-image@\$\{LIBRARY\}" -- go-service-image inputs "\$SERVICE_DIR" --name "\$SERVICE" --platforms "\$PLATFORMS" --args "\$ARGS" "\$@" >> "\$GITHUB_OUTPUT"/);
                assert.strictEqual(job.steps.find((s: any) => s.uses?.startsWith("reproducible-containers/buildkit-cache-dance@")).with["skip-extraction"], "${{ steps.cache.outputs.cache-hit }}");
                assert.ok(job.steps.some((s: any) => s.uses?.startsWith("actions/cache@")));
                assert.deepStrictEqual(job.outputs, { digest: "${{ steps.build.outputs.digest }}", "image-ref": "${{ steps.record.outputs.image-ref }}", "content-tag": "${{ steps.component.outputs.tag }}" });
                assert.strictEqual(job.steps.some((s: any) => s.uses?.startsWith("sigstore/cosign-installer@")), options.sign ?? false);
                // Only cgo builds run on the target platform and so need an emulator.
                assert.strictEqual(job.steps.some((s: any) => s.uses?.startsWith("docker/setup-qemu-action@")), what === "cgo on arm64");
            });

            it("publish logs in with GITHUB_TOKEN on ghcr.io, OIDC on ECR, Artifact Registry and ACR, else the stored password", () => {
                const steps = doc.jobs.publish.steps;
                const uses = (a: string) => steps.find((s: any) => s.uses?.startsWith(`${a}@`));
                const login = uses("docker/login-action");
                const oidc = options.registryOidc as any;
                if (ghcr) assert.deepStrictEqual(login.with, { registry: "ghcr.io", username: "${{ github.actor }}", password: "${{ secrets.GITHUB_TOKEN }}" });
                else if (cloud === "aws") {
                    assert.deepStrictEqual(uses("aws-actions/configure-aws-credentials").with, { "role-to-assume": oidc.aws.roleToAssume, "aws-region": "eu-west-1" });
                    assert.deepStrictEqual(uses("aws-actions/amazon-ecr-login").with, { "mask-password": true });
                    assert.strictEqual(login, undefined);
                } else if (cloud === "gcp") {
                    assert.deepStrictEqual(uses("google-github-actions/auth").with, { workload_identity_provider: oidc.gcp.workloadIdentityProvider, service_account: oidc.gcp.serviceAccount, token_format: "access_token" });
                    assert.deepStrictEqual(login.with, { registry: `\${{ vars.${prefix}_REGISTRY }}`, username: "oauth2accesstoken", password: "${{ steps.gcp.outputs.access_token }}" });
                } else if (cloud === "azure") {
                    assert.deepStrictEqual(uses("azure/login").with, { "client-id": oidc.azure.clientId, "tenant-id": oidc.azure.tenantId, "subscription-id": oidc.azure.subscriptionId });
                    assert.match(steps.find((s: any) => s.name === "Log in to ACR").run, /^az acr login --name "\$\{REGISTRY%%\.\*\}"\n$/);
                } else {
                    assert.deepStrictEqual(login.with, { registry: `\${{ vars.${prefix}_REGISTRY }}`, username: `\${{ vars.${prefix}_REGISTRY_USERNAME }}`, password: `\${{ secrets.${prefix}_REGISTRY_PASSWORD }}` });
                }
                assert.strictEqual(/_REGISTRY_PASSWORD/.test(text), !ghcr && !cloud, "no stored password with GITHUB_TOKEN or OIDC");
                const loginAt = steps.findIndex((s: any) => /credentials|Log in/.test(s.name));
                assert.ok(loginAt > 0 && loginAt < steps.findIndex((s: any) => s.id === "build"));
            });

            it("caches: restored on every event, saved on the default branch only (actions/cache there, actions/cache/restore elsewhere, golangci-lint's switch)", () => {
                const test = doc.jobs.test;
                const save = test.steps.find((s: any) => s.uses?.startsWith("actions/cache@"));
                const restore = test.steps.find((s: any) => s.uses?.startsWith("actions/cache/restore@"));
                assert.strictEqual(save.if, "github.event_name == 'push'");
                assert.strictEqual(restore.if, "!(github.event_name == 'push')");
                assert.deepStrictEqual(save.with, restore.with);
                assert.strictEqual(save.with.path, "${{ steps.go-dirs.outputs.mod }}\n${{ steps.go-dirs.outputs.build }}\n");
                const sum = dir === "." ? "go.sum" : `${dir}/go.sum`;
                assert.strictEqual(save.with.key, `go-test-api-\${{ runner.os }}-\${{ runner.arch }}-\${{ hashFiles('${sum}') }}`);
                assert.strictEqual(test.steps.find((s: any) => s.uses?.startsWith("actions/setup-go@")).with.cache, false, "setup-go's own cache saves on every event");
                assert.strictEqual(test.steps.find((s: any) => s.uses?.startsWith("golangci/golangci-lint-action@")).with["skip-save-cache"], "${{ !(github.event_name == 'push') }}");
                for (const job of [doc.jobs.image, doc.jobs.publish]) {
                    const cache = job.steps.find((s: any) => s.id === "cache");
                    assert.deepStrictEqual(cache.with.path, "go-mod-cache\ngo-build-cache\n");
                    assert.strictEqual(cache.with.key, `go-api-\${{ runner.os }}-\${{ runner.arch }}-\${{ hashFiles('${sum}') }}`);
                    const dance = job.steps.find((s: any) => s.uses?.startsWith("reproducible-containers/buildkit-cache-dance@"));
                    assert.deepStrictEqual(JSON.parse(dance.with["cache-map"]), { "go-mod-cache": "/var/cache/gomod", "go-build-cache": "/root/.cache/go-build" });
                    assert.ok(job.steps.indexOf(dance) < job.steps.findIndex((s: any) => s.id === "build"));
                }
            });

            it("test job: the image's module set, build tags and Go settings; build, vet, test -race, lint", () => {
                const test = doc.jobs.test;
                assert.deepStrictEqual(test.defaults, { run: { "working-directory": dir } });
                assert.strictEqual(test.env.GOWORK, "off");
                assert.match(test.env.GOFLAGS, /-tags=timetzdata$/);
                const runs = test.steps.filter((s: any) => s.run && !/credentials|cache directories/.test(s.name)).map((s: any) => s.run);
                assert.deepStrictEqual(runs, ["go build ./...", "go vet ./...", "go test -race -count=1 ./..."]);
                const lint = test.steps.find((s: any) => s.uses?.startsWith("golangci/golangci-lint-action@"));
                assert.deepStrictEqual(lint.with, { version: options.golangciLintVersion ?? "v2.15.0", "working-directory": dir, "skip-save-cache": "${{ !(github.event_name == 'push') }}", args: "--build-tags=timetzdata" });
            });

            it("private modules: the netrc goes under $RUNNER_TEMP, Go reads it through NETRC, and it is removed whatever happened", () => {
                for (const job of ["test", ...(options.govulncheck === false ? [] : ["vulnerabilities"])]) {
                    const steps = doc.jobs[job].steps;
                    const write = steps.find((s: any) => s.name === "Private module credentials");
                    const remove = steps.find((s: any) => s.name === "Remove the module credentials");
                    if (!options.privateModules) {
                        assert.strictEqual(write ?? remove, undefined);
                        continue;
                    }
                    assert.deepStrictEqual(write.env, { NETRC_TEXT: `\${{ secrets.${prefix}_NETRC }}` });
                    assert.match(write.run, /> "\$RUNNER_TEMP\/netrc"\necho "NETRC=\$RUNNER_TEMP\/netrc" >> "\$GITHUB_ENV"/);
                    assert.doesNotMatch(write.run, /HOME/);
                    assert.deepStrictEqual([remove.if, remove.run], ["always()", 'rm -f "$RUNNER_TEMP/netrc"\n']);
                    assert.strictEqual(steps.indexOf(remove), steps.length - 1);
                }
            });

            it("govulncheck on every change is a text check of its own: it fails on a finding and writes it to the step summary", () => {
                if (options.govulncheck === false) return assert.strictEqual(doc.jobs.vulnerabilities, undefined);
                const job = doc.jobs.vulnerabilities;
                assert.strictEqual(job.name, "api-vulnerabilities");
                const scanStep = job.steps.find((s: any) => s.name === "Check for known vulnerabilities");
                assert.match(scanStep.run, /^status=0\ngo run golang\.org\/x\/vuln\/cmd\/govulncheck@v1\.9\.0 \.\/\.\.\. > "\$RUNNER_TEMP\/govulncheck\.txt" 2>&1 \|\| status=\$\?\n/);
                assert.match(scanStep.run, />> "\$GITHUB_STEP_SUMMARY"\nexit "\$status"\n$/);
            });

            it("the scheduled scan is a workflow file of its own: schedule and manual runs only, its own concurrency group", () => {
                if (options.govulncheck === false) return assert.strictEqual(scan, undefined);
                const d = scan!.doc;
                assert.deepStrictEqual(Object.keys(d.on), ["schedule", "workflow_dispatch"]);
                assert.match(d.on.schedule[0].cron, /^\d{1,2} \d{1,2} \* \* \*$/);
                assert.deepStrictEqual(d.concurrency, { group: "go-service-image-api-scan", "cancel-in-progress": false });
                assert.deepStrictEqual(Object.keys(d.jobs), ["scan"]);
                assert.strictEqual(d.jobs.scan.name, "api-scan");
                const steps = d.jobs.scan.steps;
                const upload = steps.find((s: any) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
                if (options.codeScanning) {
                    assert.deepStrictEqual(d.jobs.scan.permissions, { contents: "read", actions: "read", "security-events": "write" });
                    assert.deepStrictEqual(upload.with, { sarif_file: "${{ runner.temp }}/govulncheck.sarif", category: "govulncheck-api" });
                    assert.strictEqual(steps.some((s: any) => s.name === "Locations relative to the repository"), dir !== ".");
                } else {
                    assert.deepStrictEqual(d.jobs.scan.permissions, { contents: "read" });
                    assert.strictEqual(upload, undefined, "a private repository without code scanning cannot upload SARIF");
                    assert.ok(steps.some((s: any) => s.name === "Check for known vulnerabilities"));
                }
            });

            it("names the jobs after the service; the gate is the one check to require", () => {
                assert.deepStrictEqual([doc.jobs.changes.name, doc.jobs.test.name, doc.jobs.image.name, doc.jobs.publish.name, doc.jobs.checks.name], ["api-changes", "api-test", "api-image", "api-publish", "api-checks"]);
            });

            it("starts with the marker, is byte-identical across runs", () => {
                assert.match(text, /^# Generated by pulumi-go-service-image\./);
                const again = workflowFor(depsModule(), options, image ?? {}, "api");
                assert.strictEqual(again.text, text);
                assert.strictEqual(again.scan?.text, scan?.text);
                if (scan) assert.match(scan.text, /^# Generated by pulumi-go-service-image\./);
            });
        });
    }

    it("the version step: a release tag stamps its version (v1.2.3 → 1.2.3), any other ref sha-<12>; the commit time for SOURCE_DATE_EPOCH", () => {
        const { doc } = workflowFor(depsModule(), {}, {}, "api");
        const step = doc.jobs.publish.steps.find((s: any) => s.id === "version");
        const repo = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-version-"));
        const sh = (env: Record<string, string>) => {
            const out = path.join(repo, `out-${Object.values(env).join("-").replace(/\W/g, "")}`);
            const r = spawnSync("bash", ["--noprofile", "--norc", "-e", "-c", step.run], { cwd: REPO_ROOT, encoding: "utf8", env: { PATH: process.env.PATH, GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567", GITHUB_OUTPUT: out, ...env } });
            assert.strictEqual(r.status, 0, r.stderr);
            return Object.fromEntries(fs.readFileSync(out, "utf8").trim().split("\n").map((l) => l.split("=")));
        };
        const tag = sh({ GITHUB_REF_TYPE: "tag", GITHUB_REF_NAME: "v1.2.3" });
        assert.deepStrictEqual([tag.sha, tag.version], ["sha-0123456789ab", "1.2.3"]);
        assert.match(tag.epoch, /^\d{10}$/);
        const branch = sh({ GITHUB_REF_TYPE: "branch", GITHUB_REF_NAME: "main" });
        assert.deepStrictEqual([branch.sha, branch.version], ["sha-0123456789ab", "sha-0123456789ab"]);
    });

    it("a module without go.sum has no Go cache instead of a key on a missing file", () => {
        const { doc } = workflowFor(simpleModule());
        const setup = doc.jobs.test.steps.find((s: any) => s.uses?.startsWith("actions/setup-go@"));
        assert.deepStrictEqual(setup.with, { "go-version-file": "go.mod", cache: false });
        assert.ok(!doc.jobs.test.steps.some((s: any) => s.uses?.startsWith("actions/cache")));
    });

    it("matches the golden workflow for examples/hello-service (UPDATE_GOLDEN=1 to accept a change)", () => {
        const { text } = workflowFor(HELLO, { serviceDir: "examples/hello-service" }, {}, "hello-service");
        const golden = path.join(REPO_ROOT, "test", "golden", "hello-service.workflow.yml");
        if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(golden, text);
        assert.strictEqual(text, fs.readFileSync(golden, "utf8"));
    });

    // The pins come from the shared table of actions' own tags. Its copy in test/data makes the
    // comparison run from a clone alone; where the shared table sits beside the repository, the copy
    // is checked against it too.
    const copy = path.join(REPO_ROOT, "test", "data", "action-pins.json");
    const shared = path.join(REPO_ROOT, "..", "shared", "data", "action-pins.json");
    it("the pinned actions are exactly those of the action-pins table (test/data/action-pins.json, a copy of shared/data/action-pins.json)", () => {
        const table = JSON.parse(fs.readFileSync(copy, "utf8")) as Record<string, { tag: string; sha: string; inputs: string[] }>;
        for (const [action, pin] of Object.entries(ACTION_PINS)) {
            assert.ok(table[action], `${action} is not in the table`);
            assert.deepStrictEqual({ tag: pin.tag, sha: pin.sha, inputs: [...pin.inputs] }, { tag: table[action].tag, sha: table[action].sha, inputs: table[action].inputs }, action);
        }
    });
    (fs.existsSync(shared) ? it : it.skip)("the project's copy of the action-pins table is the shared table (where that table exists)", () => {
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(copy, "utf8")), JSON.parse(fs.readFileSync(shared, "utf8")));
    });

    const bad: Array<[string, WorkflowOptions, string, RegExp]> = [
        ["service dir escaping the repository", { serviceDir: "../x" }, "github.serviceDir", /'github\.serviceDir' must be a path inside the repository/],
        ["absolute service dir", { serviceDir: "/srv/api" }, "github.serviceDir", /got "\/srv\/api"/],
        ["branch with ..", { defaultBranch: "a..b" }, "github.defaultBranch", /'github\.defaultBranch' must be a branch name/],
        ["lint version latest", { golangciLintVersion: "latest" }, "github.golangciLintVersion", /pinned: never "latest"/],
        ["no platforms", { platforms: [] }, "github.platforms", /must list at least one platform/],
        ["unknown platform", { platforms: ["linux/mips"] }, "github.platforms[0]", /must be one of linux\/amd64/],
        ["duplicate platform", { platforms: ["linux/amd64", "linux/amd64"] }, "github.platforms", /lists a platform twice/],
        ["reserved variable prefix", { variablePrefix: "GITHUB_X" }, "github.variablePrefix", /not with GITHUB_ \(GitHub reserves it\)/],
        ["lowercase variable prefix", { variablePrefix: "api" }, "github.variablePrefix", /upper-case letters/],
        ["runner with space", { runsOn: "ubuntu latest" }, "github.runsOn", /must be a runner label/],
        ["sign not boolean", { sign: "yes" as never }, "github.sign", /must be true or false/],
        ["code scanning not boolean", { codeScanning: "on" as never }, "github.codeScanning", /'github\.codeScanning' must be true or false, got "on"/],
        ["attest not boolean", { attest: 1 as never }, "github.attest", /'github\.attest' must be true or false/],
        ["an ECR role that is not an ARN", { registryOidc: { aws: { roleToAssume: "publish", region: "eu-west-1" } } }, "github.registryOidc.aws.roleToAssume", /must be an IAM role ARN like "arn:aws:iam::123456789012:role\/publish-api", got "publish"/],
        ["an Azure client id that is not a GUID", { registryOidc: { azure: { clientId: "x", tenantId: "00000000-0000-4000-8000-000000000002", subscriptionId: "00000000-0000-4000-8000-000000000003" } } }, "github.registryOidc.azure.clientId", /must be a client id \(a GUID\)/],
        ["OIDC without a cloud", { registryOidc: {} }, "github.registryOidc", /must name exactly one cloud/],
    ];
    for (const [what, options, field, pattern] of bad) {
        it(`bad input: ${what}`, () => {
            assert.throws(() => workflowFor(simpleModule(), options), (e: unknown) => e instanceof GoServiceImageError && e.problems.length === 1 && e.problems[0].field === field && pattern.test(e.message));
        });
    }

    it("a service name that cannot name a workflow file is refused", () => {
        assert.throws(() => workflowFor(simpleModule(), {}, {}, "my api"), /'name' must be a name of letters, digits, \. _ - \(it names the workflow file\), got "my api"/);
    });
});

describe("workflow generator: monorepos", () => {
    const MONOREPO = path.join(REPO_ROOT, "examples", "monorepo");

    it("module mode: change detection covers every module the image reads, CI builds with GOWORK=off like the image, the image job builds the whole context", () => {
        const { doc } = workflowFor(path.join(MONOREPO, "services", "api"), { serviceDir: "examples/monorepo/services/api" }, {}, "api");
        assert.strictEqual(doc.jobs.changes.steps[1].env.WATCH, "examples/monorepo/services/api/\nexamples/monorepo/libs/shared/\n.github/workflows/api.yml\n");
        assert.deepStrictEqual(doc.jobs.test.env, { GOWORK: "off", GOFLAGS: "-tags=timetzdata" });
        const cache = doc.jobs.test.steps.find((s: any) => s.uses?.startsWith("actions/cache@"));
        assert.strictEqual(cache.with.key, "go-test-api-${{ runner.os }}-${{ runner.arch }}-${{ hashFiles('examples/monorepo/services/api/go.sum', 'examples/monorepo/libs/shared/go.sum') }}");
        for (const job of [doc.jobs.image, doc.jobs.publish]) {
            const build = job.steps.find((s: any) => s.id === "build");
            assert.deepStrictEqual([build.with.context, build.with.file], ["examples/monorepo", "examples/monorepo/services/api/Dockerfile"]);
        }
    });

    it("workspace mode: go.work and go.work.sum are watched and CI uses the workspace", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-ws-"));
        fs.cpSync(MONOREPO, root, { recursive: true });
        fs.mkdirSync(path.join(root, ".git"));
        fs.writeFileSync(path.join(root, "go.work"), "go 1.26\n\nuse (\n\t./libs/shared\n\t./services/api\n)\n");
        const { doc } = workflowFor(path.join(root, "services", "api"), { serviceDir: "services/api" }, {}, "api");
        assert.strictEqual(doc.jobs.changes.steps[1].env.WATCH, "services/api/\nlibs/shared/\ngo.work\ngo.work.sum\n.github/workflows/api.yml\n");
        assert.deepStrictEqual(doc.jobs.test.env, { GOFLAGS: "-tags=timetzdata" });
        assert.strictEqual(doc.jobs.image.steps.find((s: any) => s.id === "build").with.context, ".");
    });

    it("a service dir that cannot hold the build context is refused", () => {
        assert.throws(() => workflowFor(path.join(MONOREPO, "services", "api"), { serviceDir: "api" }, {}, "api"), /'github\.serviceDir' "api" cannot hold the build context: the module is at "services\/api" inside it .* must end with "services\/api"/);
    });
});

describe("workflow generator: GitHub's own parser (@actions/workflow-parser)", () => {
    it("finds a broken workflow broken (the check can fail)", async () => {
        const errors = await githubParserErrors("bad.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    permissions: { bogus: write }\n    steps:\n      - run: echo ${{ foo( }}\n");
        assert.ok(errors.some((e) => /Unexpected value 'bogus'/.test(e)), errors.join("\n"));
    });

    for (const [what, options, image] of MATRIX) {
        it(`parses and converts the "${what}" workflow and its scan workflow with no error`, async () => {
            const { text, scan } = workflowFor(depsModule(), options, image ?? {}, "api");
            assert.deepStrictEqual(await githubParserErrors("api.yml", text), []);
            if (scan) assert.deepStrictEqual(await githubParserErrors("api-scan.yml", scan.text), []);
            else assert.strictEqual(options.govulncheck, false);
        });
    }
});

describe("no generated workflow holds an empty env or with map (actionlint refuses them)", () => {
    const empty = (doc: any) => allSteps(doc).flatMap(({ job, step }) => ["env", "with"].filter((k) => step[k] !== undefined && Object.keys(step[k]).length === 0).map((k) => `${job}: ${step.name}: ${k}`));
    it("the check finds one (it can fail)", () => {
        assert.deepStrictEqual(empty({ jobs: { a: { steps: [{ name: "s", env: {} }] } } }), ["a: s: env"]);
    });
    for (const [what, options] of PREVIEW_MATRIX) it(`the preview workflow: ${what}`, () => assert.deepStrictEqual(empty(parse(previewWorkflow(options).text)), []));
    for (const [what, options, image] of MATRIX) {
        it(`the "${what}" workflow and its scan`, () => {
            const { doc, scan } = workflowFor(depsModule(), options, image ?? {}, "api");
            assert.deepStrictEqual([...empty(doc), ...(scan ? empty(scan.doc) : [])], []);
        });
    }
});

describe("no generated YAML holds an anchor or an alias (Dependabot refuses them)", () => {
    /** Anchors and aliases as written in the text, read with the parser's own node types, not after resolving them. */
    function anchorsAndAliases(text: string): string[] {
        const found: string[] = [];
        visit(parseDocument(text), {
            Alias(_, node) {
                found.push(`*${node.source}`);
            },
            Node(_, node) {
                if (node.anchor) found.push(`&${node.anchor}`);
            },
        });
        return found;
    }

    it("the check finds one (it can fail)", () => {
        assert.deepStrictEqual(anchorsAndAliases("a: &x { interval: weekly }\nb: *x\n"), ["&x", "*x"]);
    });

    for (const [what, options, image] of MATRIX) {
        it(`the "${what}" workflow and its dependabot.yml`, () => {
            const generated = generate(depsModule(), image ?? {}, "api", { ...options, dependabot: true });
            assert.deepStrictEqual(anchorsAndAliases(generated.workflow!), []);
            assert.deepStrictEqual(anchorsAndAliases(generated.scan ?? ""), []);
            assert.deepStrictEqual(anchorsAndAliases(generated.dependabot!), []);
        });
    }

    for (const [what, options] of PREVIEW_MATRIX) {
        it(`the preview workflow: ${what}`, () => {
            assert.deepStrictEqual(anchorsAndAliases(previewWorkflow(options).text), []);
        });
    }
});

describe("the Dependabot configuration", () => {
    it("covers the actions, the Dockerfile's images and every module of a monorepo service", () => {
        const plan = generate(path.join(REPO_ROOT, "examples", "monorepo", "services", "api"), {}, "api", { serviceDir: "examples/monorepo/services/api", dependabot: true }).plan.workflow!;
        const doc = parse(renderDependabot(plan));
        assert.deepStrictEqual(doc, {
            version: 2,
            updates: [
                { "package-ecosystem": "github-actions", directory: "/", schedule: { interval: "weekly" } },
                { "package-ecosystem": "docker", directory: "/examples/monorepo/services/api", schedule: { interval: "weekly" } },
                { "package-ecosystem": "gomod", directories: ["/examples/monorepo/services/api", "/examples/monorepo/libs/shared"], schedule: { interval: "weekly" } },
            ],
        });
    });

    it("private modules: each GOPRIVATE host is a git registry, logged in with x-access-token and its Dependabot secret; the gomod updates use them", () => {
        const { dependabot } = workflowFor(depsModule(), { privateModules: true, dependabot: true }, { goEnv: { GOPRIVATE: "github.com/acme/*,git.example.com/team,*.corp.example.com" } }, "api");
        assert.match(dependabot, /password: \$\{\{secrets\.API_MODULES_TOKEN_GITHUB_COM\}\}/, "written as Dependabot documents it");
        const doc = parse(dependabot);
        assert.deepStrictEqual(doc.registries, {
            "go-github-com": { type: "git", url: "https://github.com", username: "x-access-token", password: "${{secrets.API_MODULES_TOKEN_GITHUB_COM}}" },
            "go-git-example-com": { type: "git", url: "https://git.example.com", username: "x-access-token", password: "${{secrets.API_MODULES_TOKEN_GIT_EXAMPLE_COM}}" },
        }, "a glob host names no one host");
        assert.deepStrictEqual(doc.updates[2].registries, ["go-github-com", "go-git-example-com"]);
        assert.strictEqual(parse(workflowFor(depsModule(), { dependabot: true }, { goEnv: { GOPRIVATE: "github.com/acme/*" } }, "api").dependabot).registries, undefined, "no private modules: no registries");
    });
});
