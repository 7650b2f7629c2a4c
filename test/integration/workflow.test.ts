import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync, spawnSync } from "child_process";
import { HELLO, REPO_ROOT } from "../helpers/module";
import { MATRIX, PREVIEW_MATRIX, workflowFor } from "../helpers/workflow";
import { previewWorkflow } from "../../src/preview";

const DEPS = path.join(REPO_ROOT, "examples", "deps-service");
const EXAMPLES: Array<[string, string]> = [["hello-service", HELLO], ["deps-service", DEPS], ["monorepo/services/api", path.join(REPO_ROOT, "examples", "monorepo", "services", "api")]];

function actionlint(): string {
    const bin = path.join(execFileSync("go", ["env", "GOPATH"], { encoding: "utf8" }).trim(), "bin", "actionlint");
    assert.ok(fs.existsSync(bin), `${bin} is missing: run bash test/integration/env/up.sh`);
    return bin;
}

describe("integration: the generated workflows", () => {
    it("actionlint (with shellcheck) reports nothing for the examples and every option combination", () => {
        const shellcheck = spawnSync("sh", ["-c", "command -v shellcheck"], { encoding: "utf8" }).stdout.trim();
        assert.ok(shellcheck, "shellcheck is missing: run bash test/integration/env/up.sh");
        const repo = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-actionlint-"));
        const dir = path.join(repo, ".github", "workflows");
        fs.mkdirSync(dir, { recursive: true });
        const written: string[] = [];
        for (const [e, [name, context]] of EXAMPLES.entries()) {
            for (const [m, [, options, image]] of MATRIX.entries()) {
                const file = `svc-${e}-${m}`;
                // The monorepo's module sits at services/api in its build context: its path in the repository must end so.
                const serviceDir = name.startsWith("monorepo/") ? `examples/${name}` : options.serviceDir ?? `examples/${name}`;
                const { text, scan } = workflowFor(context, { ...options, serviceDir }, image ?? {}, file);
                fs.writeFileSync(path.join(dir, `${file}.yml`), text);
                written.push(file);
                if (scan) {
                    fs.writeFileSync(path.join(dir, `${file}-scan.yml`), scan.text);
                    written.push(`${file}-scan`);
                }
            }
        }
        const files = written.map((f) => path.join(".github", "workflows", `${f}.yml`));
        const r = spawnSync(actionlint(), ["-shellcheck", shellcheck, "-color=false", ...files], { cwd: repo, encoding: "utf8" });
        assert.strictEqual(r.stdout + r.stderr, "", "actionlint findings");
        assert.strictEqual(r.status, 0);
        assert.strictEqual(written.length, EXAMPLES.length * (2 * MATRIX.length - MATRIX.filter(([, o]) => o.govulncheck === false).length));
        console.log(`      measured: actionlint clean on ${written.length} generated workflows`);
    });

    it("actionlint (with shellcheck) reports nothing for the preview workflow in every option combination", () => {
        const repo = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-actionlint-infra-"));
        const files = PREVIEW_MATRIX.map(([, options]) => {
            const { path: file, text } = previewWorkflow(options);
            fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
            fs.writeFileSync(path.join(repo, file), text);
            return file;
        });
        const shellcheck = spawnSync("sh", ["-c", "command -v shellcheck"], { encoding: "utf8" }).stdout.trim();
        const r = spawnSync(actionlint(), ["-shellcheck", shellcheck, "-color=false", ...files], { cwd: repo, encoding: "utf8" });
        assert.strictEqual(r.stdout + r.stderr, "", "actionlint findings");
        assert.strictEqual(r.status, 0);
        console.log(`      measured: actionlint clean on ${files.length} preview workflows`);
    });

    for (const [name, context] of EXAMPLES) {
        it(`the test job's run: steps pass in ${name} (build, vet, test -race), with the job's env`, () => {
            const { doc } = workflowFor(context, { serviceDir: `examples/${name}` }, {}, name.replace(/\W+/g, "-"));
            const job = doc.jobs.test;
            // In a copy laid out like the repository: `go build ./...` drops a binary in the module dir.
            const repo = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-runsteps-"));
            fs.cpSync(path.join(REPO_ROOT, "examples"), path.join(repo, "examples"), { recursive: true });
            const cwd = path.join(repo, job.defaults.run["working-directory"]);
            // govulncheck is left out: it queries vuln.go.dev, which this machine cannot reach (no network but the module proxy).
            const scripts = job.steps.filter((s: any) => s.run).map((s: any) => s.run as string);
            assert.deepStrictEqual(scripts.slice(-3), ["go build ./...", "go vet ./...", "go test -race -count=1 ./..."]);
            for (const script of scripts) {
                // GitHub runs `run:` with bash -e; so do we, in the job's working directory, with the job's env (GOWORK, GOFLAGS).
                const runner = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-runner-"));
                const files = { GITHUB_OUTPUT: path.join(runner, "output"), GITHUB_ENV: path.join(runner, "env"), RUNNER_TEMP: runner };
                const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, encoding: "utf8", env: { ...process.env, CGO_ENABLED: "1", ...job.env, ...files } });
                assert.strictEqual(r.status, 0, `${script} failed in ${name}:\n${r.stdout}${r.stderr}`);
            }
        });
    }
});
