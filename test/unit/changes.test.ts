import * as assert from "assert";
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { REPO_ROOT } from "../helpers/module";
import { workflowFor } from "../helpers/workflow";

/**
 * The change detection script of the generated workflow, run as GitHub runs it, in real git
 * repositories, against a local stand-in of the one API call it makes.
 *
 * - `origin` plays the GitHub repository: it serves any commit reachable from a ref by id
 *   (`uploadpack.allowReachableSHA1InWant`, as GitHub does) and nothing unreachable.
 * - Each run starts from a clone of one commit (actions/checkout's default: `git init`, `fetch
 *   --depth=1 origin <sha>`, checkout), in a fresh directory, with the job's env.
 * - The stand-in answers "List workflow runs for a workflow"
 *   (GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs) from a list of runs, newest
 *   first, applying the `branch`, `status` (a conclusion such as `success` filters on it) and
 *   `exclude_pull_requests` parameters as documented, and records each request.
 *   https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow
 * - GitHub's concurrency: at most one running and one pending run per group; a newer run replaces
 *   the pending one, which never runs (and so is never listed as successful).
 *   https://docs.github.com/actions/writing-workflows/choosing-what-your-workflow-does/control-the-concurrency-of-workflows-and-jobs
 */
describe("workflow generator: the change detection script, in real git repositories, with a stand-in of the Actions API", function () {
    this.timeout(0);
    const run$ = promisify(execFile);
    const { doc } = workflowFor(path.join(REPO_ROOT, "examples", "monorepo", "services", "api"), { serviceDir: "services/api" }, {}, "api");
    const step = doc.jobs.changes.steps.find((s: any) => s.id === "diff");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-changes-"));
    const origin = path.join(root, "origin");
    const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd, encoding: "utf8" }).trim();

    interface Run { head_sha: string; event: string; conclusion: string | null; head_branch: string; head_repository: { full_name: string } }
    let runs: Run[] = [];
    let failApi = false;
    const requests: Array<{ url: URL; auth?: string }> = [];
    let server: http.Server;
    let api = "";

    before(async () => {
        fs.mkdirSync(origin);
        git(origin, "init", "-q", "-b", "main");
        git(origin, "config", "uploadpack.allowReachableSHA1InWant", "true");
        server = http.createServer((req, res) => {
            const url = new URL(req.url!, "http://stand-in");
            requests.push({ url, auth: req.headers.authorization });
            if (failApi || url.pathname !== "/repos/acme/api/actions/workflows/api.yml/runs") {
                res.writeHead(failApi ? 502 : 404).end();
                return;
            }
            const q = url.searchParams;
            const listed = runs
                .filter((r) => !q.has("branch") || r.head_branch === q.get("branch"))
                .filter((r) => !q.has("status") || r.conclusion === q.get("status"))
                .filter((r) => q.get("exclude_pull_requests") !== "true" || r.event !== "pull_request")
                .slice(0, Number(q.get("per_page") ?? 30));
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ total_count: listed.length, workflow_runs: listed }));
        });
        await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
        api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((ok) => server.close(() => ok())));

    /** Commits a change to each file on origin's main; returns the new commit. */
    function commit(...files: string[]): string {
        for (const file of files) {
            fs.mkdirSync(path.dirname(path.join(origin, file)), { recursive: true });
            fs.appendFileSync(path.join(origin, file), "x\n");
        }
        git(origin, "add", "-A");
        git(origin, "commit", "-qm", files.join(" "));
        return git(origin, "rev-parse", "HEAD");
    }

    const success = (sha: string, event = "push", repo = "acme/api", branch = "main"): Run => ({ head_sha: sha, event, conclusion: "success", head_branch: branch, head_repository: { full_name: repo } });

    /** The job: a one-commit clone of `head`, then the step with its env, as GitHub gives it. */
    async function detect(event: string, head: string, reviewBase = "", ref = "refs/heads/main"): Promise<string> {
        const work = fs.mkdtempSync(path.join(root, "run-"));
        git(work, "init", "-q");
        git(work, "remote", "add", "origin", `file://${origin}`);
        git(work, "fetch", "-q", "--depth=1", "--no-tags", "origin", head);
        git(work, "checkout", "-q", "FETCH_HEAD");
        const out = path.join(work, ".output");
        await run$("bash", ["--noprofile", "--norc", "-e", "-c", step.run], {
            cwd: work,
            env: {
                PATH: process.env.PATH,
                HOME: process.env.HOME,
                ...step.env,
                EVENT: event,
                REVIEW_BASE: reviewBase,
                HEAD: head,
                REF: ref,
                GH_TOKEN: "ghs_standin",
                GITHUB_API_URL: api,
                GITHUB_SERVER_URL: "https://github.com",
                GITHUB_REPOSITORY: "acme/api",
                GITHUB_OUTPUT: out,
                GITHUB_STEP_SUMMARY: `${out}.md`,
            },
        });
        return fs.readFileSync(out, "utf8").trim();
    }

    it("pull requests and merge groups: a change to the service or a module it reads runs it; anything else skips it", async () => {
        const base = commit("README.md");
        const other = commit("services/worker/main.go");
        assert.strictEqual(await detect("pull_request", other, base), "run=false");
        const docs = commit("docs/guide.md");
        assert.strictEqual(await detect("merge_group", docs, other), "run=false");
        const shared = commit("libs/shared/shared.go");
        assert.strictEqual(await detect("pull_request", shared, docs), "run=true");
        const api = commit("services/api/main.go");
        assert.strictEqual(await detect("merge_group", api, shared), "run=true");
        const wf = commit(".github/workflows/api.yml");
        assert.strictEqual(await detect("pull_request", wf, api), "run=true");
        const prefix = commit("services/api-old/main.go");
        assert.strictEqual(await detect("pull_request", prefix, wf), "run=false", "services/api-old is not services/api");
        const both = commit("docs/a.md", "services/api/b.go");
        assert.strictEqual(await detect("pull_request", both, prefix), "run=true");
    });

    it("a file moved out of the service, a non-ASCII name and a name with glob characters are changes (git's rename detection and quoting would hide them)", async () => {
        const before = commit("services/api/moved.go");
        fs.mkdirSync(path.join(origin, "attic"), { recursive: true });
        git(origin, "mv", "services/api/moved.go", "attic/moved.go");
        git(origin, "commit", "-qm", "move out");
        const moved = git(origin, "rev-parse", "HEAD");
        assert.strictEqual(await detect("pull_request", moved, before), "run=true", "a rename out of the service lists only the new path");
        const unicode = commit("services/api/données-é.go");
        assert.strictEqual(await detect("pull_request", unicode, moved), "run=true", "git quotes non-ASCII names unless core.quotePath=false");
        const other = commit("docs/naïve.md");
        assert.strictEqual(await detect("pull_request", other, unicode), "run=false", "a non-ASCII name elsewhere is not the service");
        const glob = commit("services/api/[x].go");
        assert.strictEqual(await detect("pull_request", glob, other), "run=true");
    });

    it("a push compares with the last successful run, not github.event.before: a multi-commit push whose last commit is elsewhere still runs", async () => {
        const a = commit("README.md");
        runs = [success(a)];
        requests.length = 0;
        commit("services/api/handler.go");
        const c = commit("docs/notes.md");
        assert.strictEqual(await detect("push", c), "run=true");
        const q = requests[0].url.searchParams;
        assert.deepStrictEqual([q.get("branch"), q.get("status"), q.get("exclude_pull_requests"), q.get("per_page")], ["main", "success", "true", "100"]);
        assert.strictEqual(requests[0].auth, "Bearer ghs_standin");
    });

    it("a replaced pending run: B (the service) is replaced by C (docs) while A runs; C's run compares with A and publishes B's change", async () => {
        const a = commit("README.md");
        // A runs; B is pending; C arrives and replaces B, which never runs (GitHub's one running, one pending).
        const b = commit("services/api/feature.go");
        const c = commit("docs/changelog.md");
        runs = [success(a)];
        assert.strictEqual(await detect("push", c), "run=true");
        // What comparing with github.event.before (B) would have said: nothing to publish.
        assert.strictEqual(await detect("pull_request", c, b), "run=false", "the old comparison loses B");
    });

    it("a failed publish followed by an unrelated push: the failed run is not successful, so the next run still publishes", async () => {
        const a = commit("README.md");
        const b = commit("services/api/broken.go");
        runs = [{ ...success(b), conclusion: "failure" }, success(a)];
        const c = commit("docs/unrelated.md");
        assert.strictEqual(await detect("push", c), "run=true");
        runs = [success(c), { ...success(b), conclusion: "failure" }, success(a)];
        const d = commit("docs/more.md");
        assert.strictEqual(await detect("push", d), "run=false", "once published, an unrelated push has nothing to do");
    });

    it("a successful manual run counts; a fork's branch of the same name and pull request runs do not", async () => {
        const a = commit("README.md");
        const b = commit("services/api/x.go");
        runs = [success(b, "pull_request"), success(b, "push", "someone/api"), success(a, "workflow_dispatch")];
        assert.strictEqual(await detect("push", b), "run=true", "only acme/api's own push and manual runs of main count");
        runs = [success(b, "workflow_dispatch"), success(a)];
        assert.strictEqual(await detect("push", b), "run=false");
    });

    it("a force push: a last success no longer reachable cannot be fetched, so it runs; one still reachable is compared by content", async () => {
        const a = commit("README.md");
        const b = commit("services/api/y.go");
        runs = [success(b)];
        git(origin, "reset", "-q", "--hard", a);
        git(origin, "reflog", "expire", "--expire=now", "--all");
        git(origin, "gc", "-q", "--prune=now");
        const c = commit("docs/after-force.md");
        assert.strictEqual(await detect("push", c), "run=true", "b is gone from origin");
        runs = [success(a)];
        assert.strictEqual(await detect("push", c), "run=false", "a is an ancestor: only docs changed since");
    });

    it("runs everything when it cannot tell: a first push (no successful run), the API failing, a manual run, an unknown event", async () => {
        const head = commit("docs/first.md");
        runs = [];
        assert.strictEqual(await detect("push", head), "run=true");
        runs = [success(head)];
        failApi = true;
        try {
            assert.strictEqual(await detect("push", head), "run=true");
        } finally {
            failApi = false;
        }
        assert.strictEqual(await detect("push", head), "run=false", "the control: with the API answering, nothing changed");
        assert.strictEqual(await detect("workflow_dispatch", head), "run=true", "a manual run is asked for");
        requests.length = 0;
        assert.strictEqual(await detect("push", head, "", "refs/tags/v1.2.3"), "run=true", "a release tag always publishes");
        assert.strictEqual(requests.length, 0, "without asking the API");
        assert.strictEqual(await detect("schedule", head), "run=true");
        assert.strictEqual(await detect("pull_request", head, "1111111111111111111111111111111111111111"), "run=true", "a base origin does not have");
        assert.strictEqual(await detect("pull_request", head, "0000000000000000000000000000000000000000"), "run=true");
    });

    it("fetches only the base commit next to the one-commit clone (no history)", async () => {
        const a = commit("README.md");
        const between = [commit("docs/1.md"), commit("docs/2.md")];
        const head = commit("docs/3.md");
        runs = [success(a)];
        const work = fs.mkdtempSync(path.join(root, "count-"));
        git(work, "init", "-q");
        git(work, "remote", "add", "origin", `file://${origin}`);
        git(work, "fetch", "-q", "--depth=1", "--no-tags", "origin", head);
        git(work, "checkout", "-q", "FETCH_HEAD");
        await run$("bash", ["--noprofile", "--norc", "-e", "-c", step.run], {
            cwd: work,
            env: { PATH: process.env.PATH, HOME: process.env.HOME, ...step.env, EVENT: "push", REF: "refs/heads/main", HEAD: head, GH_TOKEN: "t", GITHUB_API_URL: api, GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/api", GITHUB_OUTPUT: path.join(work, ".o"), GITHUB_STEP_SUMMARY: path.join(work, ".s") },
        });
        const has = (sha: string) => {
            try {
                execFileSync("git", ["cat-file", "-e", `${sha}^{commit}`], { cwd: work, stdio: "ignore" });
                return true;
            } catch {
                return false;
            }
        };
        assert.deepStrictEqual([a, ...between, head].map(has), [true, false, false, true], "the base and the head, nothing between");
        assert.strictEqual(fs.readFileSync(path.join(work, ".o"), "utf8"), "run=false\n");
    });
});
