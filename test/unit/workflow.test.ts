import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
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
            const { text, doc } = workflowFor(depsModule(), options, image ?? {}, "api");
            const branch = options.defaultBranch ?? "main";
            const prefix = options.variablePrefix ?? "API";
            const ghcr = String((image as { repository?: string } | undefined)?.repository ?? "").startsWith("ghcr.io/");

            it("runs on every pull request, merge group, default-branch push, a daily schedule and by hand; no paths filter", () => {
                assert.deepStrictEqual(Object.keys(doc.on), ["push", "pull_request", "merge_group", "schedule", "workflow_dispatch"]);
                assert.deepStrictEqual(doc.on.push, { branches: [branch] });
                assert.deepStrictEqual([doc.on.pull_request, doc.on.merge_group, doc.on.workflow_dispatch], [{}, {}, {}]);
                assert.match(doc.on.schedule[0].cron, /^\d{1,2} \d{1,2} \* \* \*$/);
                assert.doesNotMatch(text, /pull_request_target|paths:/);
            });

            it("grants nothing at the top; each job holds only what it needs, each permission commented", () => {
                assert.deepStrictEqual(doc.permissions, {});
                for (const job of ["changes", "test", "image"]) assert.deepStrictEqual(doc.jobs[job].permissions, { contents: "read" }, job);
                assert.deepStrictEqual(doc.jobs.publish.permissions, { contents: "read", ...(ghcr ? { packages: "write" } : {}), ...(options.sign ? { "id-token": "write" } : {}) });
                if (options.govulncheck !== false) assert.deepStrictEqual(doc.jobs.vulnerabilities.permissions, { contents: "read", "security-events": "write" });
                for (const line of text.split("\n").filter((l) => /^\s+(contents|packages|id-token|security-events): (read|write)/.test(l))) assert.match(line, / # \w/, line);
            });

            it("cancels superseded runs except a running one on the default branch; every job has a timeout", () => {
                // Not github.workflow: another workflow file may carry the same name, and GitHub groups by the string alone.
                assert.deepStrictEqual(doc.concurrency, { group: "go-service-image-api-${{ github.ref }}", "cancel-in-progress": `\${{ github.ref != 'refs/heads/${branch}' }}` });
                for (const job of Object.values(doc.jobs) as any[]) assert.ok(Number.isInteger(job["timeout-minutes"]) && job["timeout-minutes"] > 0);
            });

            it("pins every action by a 40-hex SHA from the table, with the release tag as a comment", () => {
                const uses = allSteps(doc).map(({ step }) => step.uses).filter(Boolean);
                assert.ok(uses.length >= 8);
                for (const u of uses) {
                    const [action, sha] = u.split("@");
                    assert.match(sha, /^[0-9a-f]{40}$/);
                    assert.strictEqual(ACTION_PINS[action as ActionName]?.sha, sha, u);
                    assert.ok(text.includes(`uses: ${u} # ${ACTION_PINS[action as ActionName].tag}\n`), `tag comment for ${u}`);
                }
                assert.ok(!uses.some((u: string) => u.startsWith("golang/govulncheck-action@")), "govulncheck runs pinned with the job's Go, not through the action");
            });

            it("gives each action only inputs it declares", () => {
                for (const { step } of allSteps(doc)) {
                    if (!step.uses) continue;
                    const declared = ACTION_PINS[step.uses.split("@")[0] as ActionName].inputs as readonly string[];
                    for (const key of Object.keys(step.with ?? {})) assert.ok(declared.includes(key), `${step.uses.split("@")[0]} has no input ${key}`);
                }
            });

            it("checks out without persisting credentials, in every job", () => {
                const checkouts = allSteps(doc).filter(({ step }) => step.uses?.startsWith("actions/checkout@"));
                assert.strictEqual(checkouts.length, Object.keys(doc.jobs).length);
                for (const { step } of checkouts) assert.strictEqual(step.with["persist-credentials"], false);
            });

            it("has no expression inside any run: script; values arrive through env", () => {
                for (const { step } of allSteps(doc)) if (step.run) assert.doesNotMatch(step.run, /\$\{\{/, step.name);
            });

            it("every check reports: the work is skipped with if: when nothing of the service changed", () => {
                assert.deepStrictEqual(doc.jobs.changes.outputs, { run: "${{ steps.diff.outputs.run }}" });
                for (const job of ["test", "image", "publish"]) {
                    assert.deepStrictEqual(doc.jobs[job].needs.slice(0, 1), ["changes"], job);
                    assert.match(doc.jobs[job].if, /^needs\.changes\.outputs\.run == 'true' && /, job);
                }
                assert.match(doc.jobs.test.if, /github\.event_name != 'schedule'/);
            });

            it("fork pull requests: the image job reads no variable and no secret but the optional netrc, logs in nowhere, pushes nothing", () => {
                const job = doc.jobs.image;
                assert.strictEqual(job.if, "needs.changes.outputs.run == 'true' && (github.event_name == 'pull_request' || github.event_name == 'merge_group')");
                const body = JSON.stringify(job);
                assert.doesNotMatch(body, /vars\./);
                assert.deepStrictEqual([...new Set([...body.matchAll(/secrets\.(\w+)/g)].map((m) => m[1]))], options.privateModules ? [`${prefix}_NETRC`] : []);
                assert.ok(!job.steps.some((s: any) => s.uses?.startsWith("docker/login-action@")));
                const build = job.steps.find((s: any) => s.id === "build");
                assert.strictEqual(build.with.push, false);
                assert.strictEqual(build.with.tags, "api:${{ steps.version.outputs.version }}");
                assert.strictEqual(build.with["cache-to"], undefined, "pull requests never write the layer cache");
                assert.strictEqual(job.steps.find((s: any) => s.uses?.startsWith("reproducible-containers/buildkit-cache-dance@")).with["skip-extraction"], true);
            });

            it("publish: the default branch only, behind its deployment environment; login, push, caches saved", () => {
                const job = doc.jobs.publish;
                assert.strictEqual(job.if, `needs.changes.outputs.run == 'true' && (github.event_name == 'push' || github.event_name == 'workflow_dispatch') && github.ref == 'refs/heads/${branch}'`);
                assert.strictEqual(job.environment, "api-publish");
                const login = job.steps.find((s: any) => s.uses?.startsWith("docker/login-action@"));
                assert.deepStrictEqual(login.with, ghcr
                    ? { registry: "ghcr.io", username: "${{ github.actor }}", password: "${{ secrets.GITHUB_TOKEN }}" }
                    : { registry: `\${{ vars.${prefix}_REGISTRY }}`, username: `\${{ vars.${prefix}_REGISTRY_USERNAME }}`, password: `\${{ secrets.${prefix}_REGISTRY_PASSWORD }}` });
                const build = job.steps.find((s: any) => s.id === "build");
                assert.strictEqual(build.with.push, true);
                assert.strictEqual(build.with.tags, `\${{ vars.${prefix}_IMAGE_REPOSITORY }}:\${{ steps.version.outputs.version }}`);
                assert.deepStrictEqual([build.with["cache-from"], build.with["cache-to"]], ["type=gha,scope=api", "type=gha,mode=max,scope=api"]);
                assert.strictEqual(build.with.platforms, (options.platforms ?? ["linux/amd64"]).join(","));
                assert.strictEqual(build.with.sbom, options.sbom ?? false);
                assert.strictEqual(build.with.provenance, options.provenance ?? false);
                assert.match(build.with["build-args"], /^VERSION=\$\{\{ steps\.version\.outputs\.version \}\}\nREVISION=\$\{\{ github\.sha \}\}\nSOURCE_DATE_EPOCH=\$\{\{ steps\.version\.outputs\.epoch \}\}\n$/);
                assert.strictEqual(job.steps.find((s: any) => s.uses?.startsWith("reproducible-containers/buildkit-cache-dance@")).with["skip-extraction"], "${{ steps.cache.outputs.cache-hit }}");
                assert.deepStrictEqual(job.outputs, { digest: "${{ steps.build.outputs.digest }}", "image-ref": "${{ steps.record.outputs.image-ref }}" });
                assert.strictEqual(job.steps.some((s: any) => s.uses?.startsWith("sigstore/cosign-installer@")), options.sign ?? false);
                // Only cgo builds run on the target platform and so need an emulator.
                assert.strictEqual(job.steps.some((s: any) => s.uses?.startsWith("docker/setup-qemu-action@")), what === "cgo on arm64");
            });

            it("the Go module and build caches persist: restored by actions/cache keyed on go.sum, carried into BuildKit's cache mounts", () => {
                for (const job of [doc.jobs.image, doc.jobs.publish]) {
                    const cache = job.steps.find((s: any) => s.uses?.startsWith("actions/cache@"));
                    assert.deepStrictEqual(cache.with.path, "go-mod-cache\ngo-build-cache\n");
                    const sum = options.serviceDir ? `${options.serviceDir}/go.sum` : "go.sum";
                    assert.strictEqual(cache.with.key, `go-api-\${{ runner.arch }}-\${{ hashFiles('${sum}') }}`);
                    const dance = job.steps.find((s: any) => s.uses?.startsWith("reproducible-containers/buildkit-cache-dance@"));
                    assert.deepStrictEqual(JSON.parse(dance.with["cache-map"]), { "go-mod-cache": "/var/cache/gomod", "go-build-cache": "/root/.cache/go-build" });
                    assert.ok(job.steps.indexOf(dance) < job.steps.findIndex((s: any) => s.id === "build"));
                }
            });

            it("test job: the image's module set, build tags and Go settings; build, vet, test -race, lint, pinned govulncheck", () => {
                const dir = options.serviceDir ?? ".";
                const test = doc.jobs.test;
                assert.deepStrictEqual(test.defaults, { run: { "working-directory": dir } });
                assert.strictEqual(test.env.GOWORK, "off");
                assert.match(test.env.GOFLAGS, /-tags=timetzdata$/);
                const runs = test.steps.filter((s: any) => s.run && s.name !== "Private module credentials").map((s: any) => s.run);
                assert.strictEqual(test.steps.some((s: any) => s.name === "Private module credentials"), options.privateModules ?? false);
                const vuln = options.govulncheck === false ? [] : ["go run golang.org/x/vuln/cmd/govulncheck@v1.9.0 ./..."];
                assert.deepStrictEqual(runs, ["go build ./...", "go vet ./...", "go test -race -count=1 ./...", ...vuln]);
                const lint = test.steps.find((s: any) => s.uses?.startsWith("golangci/golangci-lint-action@"));
                assert.deepStrictEqual(lint.with, { version: options.golangciLintVersion ?? "v2.15.0", "working-directory": dir, args: "--build-tags=timetzdata" });
            });

            it("the scheduled scan reports SARIF to code scanning, when govulncheck is on", () => {
                const job = doc.jobs.vulnerabilities;
                if (options.govulncheck === false) return assert.strictEqual(job, undefined);
                assert.strictEqual(job.if, "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'");
                assert.strictEqual(job.steps.find((s: any) => s.name === "Scan for known vulnerabilities").run, "go run golang.org/x/vuln/cmd/govulncheck@v1.9.0 -format sarif ./... > govulncheck.sarif");
                const upload = job.steps.find((s: any) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
                assert.deepStrictEqual(upload.with, { sarif_file: options.serviceDir ? `${options.serviceDir}/govulncheck.sarif` : "govulncheck.sarif", category: "api" });
            });

            it("names the jobs after the service; test and image are the checks to require", () => {
                assert.deepStrictEqual([doc.jobs.test.name, doc.jobs.image.name, doc.jobs.publish.name], ["api-test", "api-image", "api-publish"]);
            });

            it("starts with the marker, is byte-identical across runs", () => {
                assert.match(text, /^# Generated by pulumi-go-service-image\./);
                assert.strictEqual(workflowFor(depsModule(), options, image ?? {}, "api").text, text);
            });
        });
    }

    it("a module without go.sum turns the Go cache off instead of pointing at a missing file", () => {
        const { doc } = workflowFor(simpleModule());
        const setup = doc.jobs.test.steps.find((s: any) => s.uses?.startsWith("actions/setup-go@"));
        assert.deepStrictEqual(setup.with, { "go-version-file": "go.mod", cache: false });
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
        const setup = doc.jobs.test.steps.find((s: any) => s.uses?.startsWith("actions/setup-go@"));
        assert.strictEqual(setup.with["cache-dependency-path"], "examples/monorepo/services/api/go.sum\nexamples/monorepo/libs/shared/go.sum");
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

describe("workflow generator: the change detection script, run in a real git repository", () => {
    const { doc } = workflowFor(path.join(REPO_ROOT, "examples", "monorepo", "services", "api"), { serviceDir: "services/api" }, {}, "api");
    const step = doc.jobs.changes.steps.find((s: any) => s.id === "diff");
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-changes-"));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo, encoding: "utf8" }).trim();
    const commit = (file: string) => {
        fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
        fs.appendFileSync(path.join(repo, file), "x\n");
        git("add", "-A");
        git("commit", "-qm", file);
        return git("rev-parse", "HEAD");
    };
    git("init", "-q");
    const base = commit("README.md");

    function run(event: string, baseSha: string, head: string): string {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-out-")), "output");
        const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run], {
            cwd: repo,
            encoding: "utf8",
            env: { ...process.env, EVENT: event, BASE: baseSha, HEAD: head, WATCH: step.env.WATCH, GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: `${out}.md` },
        });
        assert.strictEqual(r.status, 0, r.stderr);
        return fs.readFileSync(out, "utf8").trim();
    }

    it("a change to the service or a module it reads runs it; anything else skips it", () => {
        const other = commit("services/worker/main.go");
        assert.strictEqual(run("pull_request", base, other), "run=false");
        const docs = commit("docs/guide.md");
        assert.strictEqual(run("merge_group", other, docs), "run=false");
        const shared = commit("libs/shared/shared.go");
        assert.strictEqual(run("pull_request", docs, shared), "run=true");
        const api = commit("services/api/main.go");
        assert.strictEqual(run("push", shared, api), "run=true");
        const wf = commit(".github/workflows/api.yml");
        assert.strictEqual(run("pull_request", api, wf), "run=true");
        const prefix = commit("services/api-old/main.go");
        assert.strictEqual(run("pull_request", wf, prefix), "run=false", "services/api-old is not services/api");
    });

    it("a file moved out of the service, a non-ASCII name and a name with glob characters are changes (git's rename detection and quoting would hide them)", () => {
        const before = commit("services/api/moved.go");
        fs.mkdirSync(path.join(repo, "attic"), { recursive: true });
        git("mv", "services/api/moved.go", "attic/moved.go");
        git("commit", "-qm", "move out");
        const moved = git("rev-parse", "HEAD");
        assert.strictEqual(run("push", before, moved), "run=true", "a rename out of the service lists only the new path");
        const unicode = commit("services/api/données-é.go");
        assert.strictEqual(run("pull_request", moved, unicode), "run=true", "git quotes non-ASCII names unless core.quotePath=false");
        const other = commit("docs/naïve.md");
        assert.strictEqual(run("pull_request", unicode, other), "run=false", "a non-ASCII name elsewhere is not the service");
        const glob = commit("services/api/[x].go");
        assert.strictEqual(run("pull_request", other, glob), "run=true");
    });

    it("runs everything when it cannot tell: a schedule, a manual run, a first push, a base the clone lacks", () => {
        const head = git("rev-parse", "HEAD");
        assert.strictEqual(run("schedule", "", head), "run=true");
        assert.strictEqual(run("workflow_dispatch", "", head), "run=true");
        assert.strictEqual(run("push", "0000000000000000000000000000000000000000", head), "run=true");
        assert.strictEqual(run("pull_request", "1111111111111111111111111111111111111111", head), "run=true");
    });
});

describe("workflow generator: GitHub's own parser (@actions/workflow-parser)", () => {
    it("finds a broken workflow broken (the check can fail)", async () => {
        const errors = await githubParserErrors("bad.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    permissions: { bogus: write }\n    steps:\n      - run: echo ${{ foo( }}\n");
        assert.ok(errors.some((e) => /Unexpected value 'bogus'/.test(e)), errors.join("\n"));
    });

    for (const [what, options, image] of MATRIX) {
        it(`parses and converts the "${what}" workflow with no error`, async () => {
            const { text } = workflowFor(depsModule(), options, image ?? {}, "api");
            assert.deepStrictEqual(await githubParserErrors("api.yml", text), []);
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
});
