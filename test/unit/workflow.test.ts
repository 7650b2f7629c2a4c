import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ACTION_PINS, ActionName } from "../../src/render/workflow/pins";
import { GoServiceImageError } from "../../src/errors";
import { WorkflowOptions } from "../../src/args";
import { depsModule, HELLO, REPO_ROOT, simpleModule } from "../helpers/module";
import { allSteps, MATRIX, workflowFor } from "../helpers/workflow";


describe("workflow generator", () => {
    for (const [what, options, image] of MATRIX) {
        describe(what, () => {
            const { text, doc } = workflowFor(depsModule(), options, image ?? {}, "api");

            it("triggers on push to the default branch, pull requests and manual runs, filtered to the service", () => {
                const dir = options.serviceDir ?? ".";
                const paths = [dir === "." ? "**" : `${dir}/**`, ".github/workflows/api.yml"];
                assert.deepStrictEqual(doc.on, { push: { branches: [options.defaultBranch ?? "main"], paths }, pull_request: { paths }, workflow_dispatch: {} });
                assert.doesNotMatch(text, /pull_request_target/);
            });

            it("reads contents at the top; each job widens only what it needs", () => {
                assert.deepStrictEqual(doc.permissions, { contents: "read" });
                assert.deepStrictEqual(doc.jobs.test.permissions, { contents: "read" });
                const image = { contents: "read", packages: "write", ...(options.sign ? { "id-token": "write" } : {}) };
                assert.deepStrictEqual(doc.jobs.image.permissions, image);
            });

            it("cancels superseded runs except on the default branch; every job has a timeout", () => {
                assert.deepStrictEqual(doc.concurrency, { group: "${{ github.workflow }}-${{ github.ref }}", "cancel-in-progress": `\${{ github.ref != 'refs/heads/${options.defaultBranch ?? "main"}' }}` });
                for (const job of Object.values(doc.jobs) as any[]) assert.ok(Number.isInteger(job["timeout-minutes"]) && job["timeout-minutes"] > 0);
            });

            it("pins every action by a 40-hex SHA from the table, with the release tag as a comment", () => {
                const uses = allSteps(doc).map(({ step }) => step.uses).filter(Boolean);
                assert.ok(uses.length >= 6);
                for (const u of uses) {
                    const [action, sha] = u.split("@");
                    assert.match(sha, /^[0-9a-f]{40}$/);
                    assert.strictEqual(ACTION_PINS[action as ActionName]?.sha, sha, u);
                    assert.ok(text.includes(`uses: ${u} # ${ACTION_PINS[action as ActionName].tag}\n`), `tag comment for ${u}`);
                }
            });

            it("gives each action only inputs it declares", () => {
                for (const { step } of allSteps(doc)) {
                    if (!step.uses) continue;
                    const declared = ACTION_PINS[step.uses.split("@")[0] as ActionName].inputs as readonly string[];
                    for (const key of Object.keys(step.with ?? {})) assert.ok(declared.includes(key), `${step.uses.split("@")[0]} has no input ${key}`);
                }
            });

            it("checks out without persisting credentials", () => {
                const checkouts = allSteps(doc).filter(({ step }) => step.uses?.startsWith("actions/checkout@"));
                assert.strictEqual(checkouts.length, 2);
                for (const { step } of checkouts) assert.strictEqual(step.with["persist-credentials"], false);
            });

            it("has no expression inside any run: script; values arrive through env", () => {
                for (const { step } of allSteps(doc)) if (step.run) assert.doesNotMatch(step.run, /\$\{\{/, step.name);
            });

            it("test job: setup-go from go.mod, build, vet, test -race, golangci-lint pinned, govulncheck by option", () => {
                const dir = options.serviceDir ?? ".";
                const under = (f: string) => (dir === "." ? f : `${dir}/${f}`);
                const test = doc.jobs.test;
                assert.deepStrictEqual(test.defaults, { run: { "working-directory": dir } });
                const runs = test.steps.filter((s: any) => s.run).map((s: any) => s.run);
                assert.deepStrictEqual(runs, ["go build ./...", "go vet ./...", "go test -race -count=1 ./..."]);
                const setup = test.steps.find((s: any) => s.uses?.startsWith("actions/setup-go@"));
                assert.deepStrictEqual(setup.with, { "go-version-file": under("go.mod"), "cache-dependency-path": under("go.sum") });
                const lint = test.steps.find((s: any) => s.uses?.startsWith("golangci/golangci-lint-action@"));
                assert.deepStrictEqual(lint.with, { version: options.golangciLintVersion ?? "v2.15.0", "working-directory": dir });
                const vuln = test.steps.find((s: any) => s.uses?.startsWith("golang/govulncheck-action@"));
                assert.strictEqual(vuln !== undefined, options.govulncheck !== false);
            });

            it("image job: needs test, builds the generated Dockerfile with gha cache, pushes only from the default branch", () => {
                const dir = options.serviceDir ?? ".";
                const image = doc.jobs.image;
                assert.deepStrictEqual(image.needs, ["test"]);
                const build = image.steps.find((s: any) => s.id === "build");
                assert.strictEqual(build.with.context, dir);
                assert.strictEqual(build.with.file, dir === "." ? "Dockerfile" : `${dir}/Dockerfile`);
                assert.strictEqual(build.with.platforms, (options.platforms ?? ["linux/amd64"]).join(","));
                assert.strictEqual(build.with.push, `\${{ github.event_name != 'pull_request' && github.ref == 'refs/heads/${options.defaultBranch ?? "main"}' }}`);
                assert.match(build.with["cache-from"], /^type=gha,scope=api$/);
                assert.match(build.with["cache-to"], /^type=gha,mode=max,scope=api$/);
                assert.strictEqual(build.with.sbom, options.sbom ?? false);
                assert.strictEqual(build.with.provenance, options.provenance ?? false);
                assert.match(build.with["build-args"], /^VERSION=\$\{\{ steps\.version\.outputs\.version \}\}\nREVISION=\$\{\{ github\.sha \}\}\nSOURCE_DATE_EPOCH=\$\{\{ steps\.version\.outputs\.epoch \}\}\n$/);
                const prefix = options.variablePrefix ?? "API";
                const login = image.steps.find((s: any) => s.uses?.startsWith("docker/login-action@"));
                assert.deepStrictEqual(login.with, { registry: `\${{ vars.${prefix}_REGISTRY }}`, username: `\${{ vars.${prefix}_REGISTRY_USERNAME }}`, password: `\${{ secrets.${prefix}_REGISTRY_PASSWORD }}` });
                assert.strictEqual(login.if, build.with.push.slice(4, -3));
                assert.deepStrictEqual(image.outputs, { digest: "${{ steps.build.outputs.digest }}", "image-ref": "${{ steps.record.outputs.image-ref }}" });
                const record = image.steps.find((s: any) => s.id === "record");
                assert.match(record.run, /GITHUB_STEP_SUMMARY/);
                assert.strictEqual(image.steps.some((s: any) => s.uses?.startsWith("sigstore/cosign-installer@")), options.sign ?? false);
                // Only cgo builds run on the target platform and so need an emulator.
                assert.strictEqual(image.steps.some((s: any) => s.uses?.startsWith("docker/setup-qemu-action@")), what === "cgo on arm64");
            });

            it("names the jobs after the service, for branch protection", () => {
                assert.deepStrictEqual([doc.jobs.test.name, doc.jobs.image.name], ["api-test", "api-image"]);
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

    // The shared table sits beside the repository on CI and developer machines, not in a clone
    // alone: the comparison runs where it exists (the pins' own checks above run everywhere).
    const shared = path.join(REPO_ROOT, "..", "shared", "data", "action-pins.json");
    (fs.existsSync(shared) ? it : it.skip)("the pinned actions are exactly those of shared/data/action-pins.json (where that table exists)", () => {
        const file = shared;
        const table = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, { tag: string; sha: string; inputs: string[] }>;
        for (const [action, pin] of Object.entries(ACTION_PINS)) {
            assert.deepStrictEqual({ tag: pin.tag, sha: pin.sha, inputs: [...pin.inputs] }, { tag: table[action].tag, sha: table[action].sha, inputs: table[action].inputs }, action);
        }
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
        assert.deepStrictEqual(doc.on.pull_request.paths, ["examples/monorepo/services/api/**", "examples/monorepo/libs/shared/**", ".github/workflows/api.yml"]);
        assert.deepStrictEqual(doc.jobs.test.env, { GOWORK: "off" });
        const setup = doc.jobs.test.steps.find((s: any) => s.uses?.startsWith("actions/setup-go@"));
        assert.strictEqual(setup.with["cache-dependency-path"], "examples/monorepo/services/api/go.sum\nexamples/monorepo/libs/shared/go.sum");
        const build = doc.jobs.image.steps.find((s: any) => s.id === "build");
        assert.deepStrictEqual([build.with.context, build.with.file], ["examples/monorepo", "examples/monorepo/services/api/Dockerfile"]);
    });

    it("workspace mode: go.work and go.work.sum are watched and CI uses the workspace", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-ws-"));
        fs.cpSync(MONOREPO, root, { recursive: true });
        fs.mkdirSync(path.join(root, ".git"));
        fs.writeFileSync(path.join(root, "go.work"), "go 1.26\n\nuse (\n\t./libs/shared\n\t./services/api\n)\n");
        const { doc } = workflowFor(path.join(root, "services", "api"), { serviceDir: "services/api" }, {}, "api");
        assert.deepStrictEqual(doc.on.push.paths, ["services/api/**", "libs/shared/**", "go.work", "go.work.sum", ".github/workflows/api.yml"]);
        assert.strictEqual(doc.jobs.test.env, undefined);
        assert.strictEqual(doc.jobs.image.steps.find((s: any) => s.id === "build").with.context, ".");
    });

    it("a service dir that cannot hold the build context is refused", () => {
        assert.throws(() => workflowFor(path.join(MONOREPO, "services", "api"), { serviceDir: "api" }, {}, "api"), /'github\.serviceDir' "api" cannot hold the build context: the module is at "services\/api" inside it .* must end with "services\/api"/);
    });
});
