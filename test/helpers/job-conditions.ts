import { spawnSync } from "child_process";

let loaded: Promise<any> | undefined;

/** GitHub's own expression evaluator (@actions/expressions, ESM-only), loaded once. */
function expressions(): Promise<any> {
    // A real dynamic import: TypeScript would turn `import()` into `require()`, which cannot load ESM.
    loaded ??= (new Function("s", "return import(s)") as (s: string) => Promise<any>)("@actions/expressions");
    return loaded;
}

export type Result = "success" | "failure" | "cancelled" | "skipped";

/** What happened before a job's `if:` is evaluated. */
export interface JobState {
    readonly github: Record<string, unknown>;
    readonly needs: Record<string, { result: Result; outputs: Record<string, string> }>;
    /** The run was cancelled (a newer run of the group, or by hand). */
    readonly cancelled: boolean;
}

const STATUS = /\b(success|failure|cancelled|always)\s*\(/;

/**
 * Evaluates a job's `if:` as GitHub does: with GitHub's evaluator and the documented status
 * functions for jobs. Without a status function the expression is `success() && (…)`; success()
 * is true when every needed job succeeded (a failed or skipped one skips its dependents) and the
 * run was not cancelled; failure() when a needed job failed; cancelled() when the run was
 * cancelled; always() is true.
 * https://docs.github.com/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions#status-check-functions
 * https://docs.github.com/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idneeds
 */
export async function jobRuns(condition: string | undefined, state: JobState): Promise<boolean> {
    const body = condition === undefined ? "success()" : STATUS.test(condition) ? condition : `success() && (${condition})`;
    const { data } = await expressions();
    return truthy(await evaluate(body, state), data.Kind);
}

/** An expression's value, by GitHub's evaluator, with the job-level contexts and status functions. */
async function evaluate(body: string, state: JobState): Promise<any> {
    const { Lexer, Parser, Evaluator, data } = await expressions();
    const results = Object.values(state.needs).map((n) => n.result);
    const fn = (name: string, value: () => boolean) => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) });
    const functions = [
        fn("success", () => !state.cancelled && results.every((r) => r === "success")),
        fn("failure", () => results.includes("failure")),
        fn("cancelled", () => state.cancelled),
        fn("always", () => true),
    ];
    const expr = new Parser(new Lexer(body).lex().tokens, ["github", "needs", "vars"], functions).parse();
    const context = JSON.parse(JSON.stringify({ github: state.github, needs: state.needs, vars: {} }), data.reviver);
    return new Evaluator(expr, context, new Map(functions.map((f) => [f.name, f]))).evaluate();
}

/** Truthiness of an expression value: false, 0, "" and null are false (GitHub's "falsy" values). */
function truthy(value: any, Kind: any): boolean {
    switch (value.kind) {
        case Kind.Boolean:
            return value.value;
        case Kind.Null:
            return false;
        case Kind.Number:
            return value.value !== 0 && !Number.isNaN(value.value);
        case Kind.String:
            return value.value !== "";
        default:
            return true;
    }
}

/** What each job that runs ends with, and the change detection's output. */
export interface Scenario {
    readonly event: string;
    readonly ref: string;
    readonly results?: Readonly<Record<string, Result>>;
    /** changes' `run` output when it succeeds. */
    readonly run?: "true" | "false";
    readonly cancelled?: boolean;
}

/**
 * Plays a workflow's jobs in `needs` order, as GitHub schedules them: each job's `if:` decides
 * whether it runs; one that runs ends as the scenario says (success by default); one that does not
 * is skipped. A gate job's script is then run with the env its step gets. Returns every job's result.
 */
export async function play(doc: any, scenario: Scenario): Promise<Record<string, Result>> {
    const results: Record<string, Result> = {};
    const outputs: Record<string, Record<string, string>> = {};
    const pending = Object.keys(doc.jobs);
    while (pending.length > 0) {
        const id = pending.find((j) => (doc.jobs[j].needs ?? []).every((n: string) => n in results));
        if (!id) throw new Error(`a cycle in needs: ${pending.join(", ")}`);
        pending.splice(pending.indexOf(id), 1);
        const job = doc.jobs[id];
        const needs = Object.fromEntries((job.needs ?? []).map((n: string) => [n, { result: results[n], outputs: outputs[n] ?? {} }]));
        const state: JobState = { github: { event_name: scenario.event, ref: scenario.ref }, needs, cancelled: scenario.cancelled ?? false };
        if (!(await jobRuns(job.if, state))) {
            results[id] = "skipped";
            continue;
        }
        results[id] = id === "checks" ? await runGate(job, state) : scenario.results?.[id] ?? "success";
        if (id === "changes" && results[id] === "success") outputs[id] = { run: scenario.run ?? "true" };
    }
    return results;
}

/** The gate's one step, run with bash and the env GitHub gives it (each value evaluated by GitHub's evaluator). */
async function runGate(job: any, state: JobState): Promise<Result> {
    const step = job.steps[0];
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(step.env as Record<string, string>)) {
        const m = /^\$\{\{ (.*) \}\}$/.exec(value);
        env[key] = m ? (await evaluate(m[1], state)).coerceString() : value;
    }
    const r = spawnSync("bash", ["--noprofile", "--norc", "-e", "-c", step.run], { env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: "/dev/null", ...env }, encoding: "utf8" });
    return r.status === 0 ? "success" : "failure";
}
