import * as assert from "assert";
import { depsModule } from "../helpers/module";
import { jobRuns, play, Result, Scenario } from "../helpers/job-conditions";
import { MATRIX, workflowFor } from "../helpers/workflow";

/**
 * Which jobs run and what the required check says, for every way the change detection and the
 * work can end: the generated `if:` expressions evaluated by GitHub's own evaluator
 * (@actions/expressions) with the documented job status functions, the gate's script run as is.
 * A required check fails open when it can end skipped (GitHub counts skipped as passing) while
 * the work did not pass.
 */
describe("workflow generator: jobs and the required check, as GitHub evaluates them", function () {
    this.timeout(0);

    it("the model: a job with no status function is skipped when a needed job failed (implicit success()); !cancelled() and always() run after a failure", async () => {
        const failed = { github: { event_name: "pull_request" }, needs: { changes: { result: "failure" as Result, outputs: {} } }, cancelled: false };
        // The condition an earlier version generated: skipped here, and a skipped required check passes.
        assert.strictEqual(await jobRuns("needs.changes.outputs.run == 'true'", failed), false);
        assert.strictEqual(await jobRuns("!cancelled() && needs.changes.outputs.run != 'false'", failed), true);
        assert.strictEqual(await jobRuns("always()", { ...failed, cancelled: true }), true);
        assert.strictEqual(await jobRuns("!cancelled()", { ...failed, cancelled: true }), false);
    });

    const review = ["pull_request", "merge_group"];
    for (const [what, options, image] of MATRIX.filter(([w]) => ["defaults", "no govulncheck", "monorepo service dir"].includes(w))) {
        describe(what, () => {
            const { doc } = workflowFor(depsModule(), options, image ?? {}, "api");
            const branch = options.defaultBranch ?? "main";
            const main = `refs/heads/${branch}`;
            const vuln = options.govulncheck !== false;
            const go = (s: Partial<Scenario> & { event: string }) => play(doc, { ref: review.includes(s.event) ? "refs/pull/7/merge" : main, ...s });

            for (const event of review) {
                it(`${event}: a change runs test, image${vuln ? ", vulnerabilities" : ""} and the gate, which passes; nothing publishes`, async () => {
                    const r = await go({ event, run: "true" });
                    assert.deepStrictEqual([r.changes, r.test, r.image, r.publish, r.checks], ["success", "success", "success", "skipped", "success"]);
                    if (vuln) assert.strictEqual(r.vulnerabilities, "success");
                });

                it(`${event}: nothing of the service changed: the work is skipped and the gate passes`, async () => {
                    const r = await go({ event, run: "false" });
                    assert.deepStrictEqual([r.test, r.image, r.checks], ["skipped", "skipped", "success"]);
                });

                it(`${event}: change detection failed or timed out: the work runs anyway, and the gate says what it says`, async () => {
                    assert.deepStrictEqual(Object.values(await go({ event, results: { changes: "failure" } })).filter((x) => x === "skipped").length, 1, "only publish is skipped");
                    // A job past its timeout-minutes may end 'cancelled' while the run is not: the work still runs.
                    const timedOut = await go({ event, results: { changes: "cancelled" } });
                    assert.deepStrictEqual([timedOut.test, timedOut.image, timedOut.checks], ["success", "success", "success"]);
                    const failing = await go({ event, results: { changes: "failure", test: "failure" } });
                    assert.deepStrictEqual([failing.image, failing.checks], ["success", "failure"]);
                });

                for (const job of ["test", "image"] as const) {
                    it(`${event}: the ${job} job fails: the gate fails (never skipped)`, async () => {
                        const r = await go({ event, run: "true", results: { [job]: "failure" } });
                        assert.strictEqual(r.checks, "failure");
                        assert.strictEqual(r[job === "test" ? "image" : "test"], "success", "the image build does not wait for the tests");
                    });
                }

                it(`${event}: the run is cancelled: the work is skipped and the gate, which runs always, fails`, async () => {
                    const r = await go({ event, cancelled: true, results: { changes: "cancelled" } });
                    assert.deepStrictEqual([r.test, r.image, r.checks], ["skipped", "skipped", "failure"]);
                });

                if (vuln) {
                    it(`${event}: a new advisory (govulncheck fails) shows as its own failed check; the gate still passes`, async () => {
                        const r = await go({ event, run: "true", results: { vulnerabilities: "failure" } });
                        assert.deepStrictEqual([r.vulnerabilities, r.checks], ["failure", "success"]);
                    });
                }
            }

            it("a push to the default branch with a change: test, then publish; no gate, no pull-request image build", async () => {
                const r = await go({ event: "push", run: "true" });
                assert.deepStrictEqual([r.test, r.publish, r.image, r.checks], ["success", "success", "skipped", "skipped"]);
            });

            it("a push: failed tests publish nothing; a new advisory does not block the release", async () => {
                assert.strictEqual((await go({ event: "push", run: "true", results: { test: "failure" } })).publish, "skipped");
                if (vuln) assert.strictEqual((await go({ event: "push", run: "true", results: { vulnerabilities: "failure" } })).publish, "success");
            });

            it("a push: change detection failed: the tests run and the image is published", async () => {
                const r = await go({ event: "push", results: { changes: "failure" } });
                assert.deepStrictEqual([r.test, r.publish], ["success", "success"]);
            });

            it("a push with nothing changed publishes nothing; a cancelled run publishes nothing", async () => {
                assert.strictEqual((await go({ event: "push", run: "false" })).publish, "skipped");
                assert.strictEqual((await go({ event: "push", cancelled: true, results: { changes: "cancelled" } })).publish, "skipped");
            });

            it("a release tag's push publishes after the tests; another tag does not", async () => {
                const r = await go({ event: "push", ref: "refs/tags/v1.2.3", run: "true" });
                assert.deepStrictEqual([r.test, r.publish, r.checks], ["success", "success", "skipped"]);
                assert.strictEqual((await go({ event: "push", ref: "refs/tags/nightly", run: "true" })).publish, "skipped");
            });

            it("a manual run publishes from the default branch (or a release tag) only", async () => {
                assert.strictEqual((await go({ event: "workflow_dispatch", run: "true" })).publish, "success");
                assert.strictEqual((await go({ event: "workflow_dispatch", run: "true", ref: "refs/heads/feature" })).publish, "skipped");
            });
        });
    }
});
