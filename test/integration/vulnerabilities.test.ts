import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../helpers/module";
import { workflowFor } from "../helpers/workflow";

/**
 * The generated govulncheck steps, run as the runner runs them, against a stand-in vulnerability
 * database (test/data/vulndb, the v1 layout govulncheck reads: index/db.json, index/modules.json,
 * ID/<id>.json; https://go.dev/doc/security/vuln/database) holding one advisory for a function
 * examples/deps-service calls. The only change to each step is `-db file://…`: the runner reads
 * vuln.go.dev, which this machine cannot reach.
 */
describe("integration: the govulncheck steps find a vulnerability and report it where the repository can see it", function () {
    this.timeout(0);
    const db = `file://${path.join(REPO_ROOT, "test", "data", "vulndb")}`;
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-vulndb-empty-"));
    fs.mkdirSync(path.join(empty, "index"));
    fs.writeFileSync(path.join(empty, "index", "db.json"), '{"modified":"2026-11-30T00:00:00Z"}');
    fs.writeFileSync(path.join(empty, "index", "modules.json"), "[]");
    fs.writeFileSync(path.join(empty, "index", "vulns.json"), "[]");

    /** A repository with examples/deps-service at services/api, and the generated workflows for it. */
    function repo(options: { codeScanning?: boolean }) {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-vuln-"));
        fs.cpSync(path.join(REPO_ROOT, "examples", "deps-service"), path.join(root, "services", "api"), { recursive: true });
        const generated = workflowFor(path.join(root, "services", "api"), { serviceDir: "services/api", ...options }, {}, "api");
        return { root, ...generated };
    }

    function runStep(root: string, job: any, step: any, database: string) {
        const temp = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-runner-temp-"));
        const summary = path.join(temp, "summary.md");
        const script = (step.run as string).replace(/ \.\/\.\.\.( |$)/m, ` -db ${database} ./...$1`);
        assert.notStrictEqual(script, step.run, "the database flag went in");
        const r = spawnSync("bash", ["--noprofile", "--norc", "-e", "-c", script], {
            cwd: path.join(root, job.defaults.run["working-directory"]),
            encoding: "utf8",
            env: { ...process.env, ...job.env, ...step.env, RUNNER_TEMP: temp, GITHUB_STEP_SUMMARY: summary },
        });
        return { status: r.status, out: r.stdout + r.stderr, summary: fs.existsSync(summary) ? fs.readFileSync(summary, "utf8") : "", temp };
    }

    it("the pull-request check (text): fails on the finding, prints it and writes it to the step summary; passes with no advisory", () => {
        const { root, doc } = repo({});
        const job = doc.jobs.vulnerabilities;
        const step = job.steps.find((s: any) => s.name === "Check for known vulnerabilities");
        const found = runStep(root, job, step, db);
        assert.notStrictEqual(found.status, 0, found.out);
        assert.match(found.out, /GO-2099-0001/);
        assert.match(found.summary, /^### govulncheck \(api\)\n```\n[\s\S]*GO-2099-0001[\s\S]*internal\/api\/api\.go:23:\d+: api\.Router calls uuid\.NewString[\s\S]*```\n$/);
        const clean = runStep(root, job, step, `file://${empty}`);
        assert.strictEqual(clean.status, 0, clean.out);
        assert.match(clean.summary, /No vulnerabilities found/);
    });

    it("the scheduled scan without code scanning is the same text check", () => {
        const { root, scan } = repo({});
        const job = scan!.doc.jobs.scan;
        const found = runStep(root, job, job.steps.find((s: any) => s.name === "Check for known vulnerabilities"), db);
        assert.notStrictEqual(found.status, 0);
        assert.match(found.summary, /GO-2099-0001/);
    });

    it("with code scanning, the SARIF run stays green and, in a service directory, the service's locations are made repository paths (the standard library's and dependencies' left alone)", () => {
        const { root, scan } = repo({ codeScanning: true });
        const job = scan!.doc.jobs.scan;
        const sarifStep = job.steps.find((s: any) => s.name === "Scan for known vulnerabilities (SARIF)");
        const r = runStep(root, job, sarifStep, db);
        assert.strictEqual(r.status, 0, r.out);
        const fix = job.steps.find((s: any) => s.name === "Locations relative to the repository");
        const f = spawnSync("bash", ["--noprofile", "--norc", "-e", "-c", fix.run], { cwd: path.join(root, "services", "api"), encoding: "utf8", env: { ...process.env, ...fix.env, RUNNER_TEMP: r.temp } });
        assert.strictEqual(f.status, 0, f.stderr);
        const locations: Array<{ uri: string; uriBaseId: string }> = [];
        JSON.stringify(JSON.parse(fs.readFileSync(path.join(r.temp, "govulncheck.sarif"), "utf8")), (_key, v) => {
            if (v && typeof v === "object" && typeof v.uri === "string" && typeof v.uriBaseId === "string") locations.push(v);
            return v;
        });
        const own = locations.filter((l) => l.uriBaseId === "%SRCROOT%");
        assert.ok(own.some((l) => l.uri === "services/api/go.mod") && own.some((l) => l.uri === "services/api/internal/api/api.go"), JSON.stringify(own));
        for (const l of own) assert.ok(fs.existsSync(path.join(root, l.uri)), `${l.uri} is a file of the repository`);
        const others = locations.filter((l) => l.uriBaseId !== "%SRCROOT%");
        assert.ok(others.length > 0 && others.every((l) => !l.uri.startsWith("services/")), JSON.stringify(others.slice(0, 3)));
        console.log(`      measured: ${own.length} service locations rewritten, ${others.length} standard library and dependency locations kept`);
    });
});
