/**
 * One digest from commit to deploy, measured on the paths users take: the generated publish job
 * (its "What pulumi up deploys" step run by bash, its docker/build-push-action step replayed) on a
 * fresh BuildKit v0.34.2, then the component's docker-build inputs (captured under mocks, as a
 * `pulumi up` gives them) replayed on another fresh builder, against the same `pulumi up` where CI
 * published nothing. examples/deps-service, GOFLAGS=-x so go says what it fetches and compiles.
 * Writes bench/one-digest.md; the integration suite asserts one round of it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GoServiceImageArgs } from "../src/args";
import { buildx, compiled, fetched, withFreshBuilder } from "./buildkit";
import { ROOT } from "./lib";
import { provisioned, publishArgv, runStep } from "./publish";
import { metadataDigest, replay, REPRODUCIBLE } from "./replay";
import { buildxComponentInputs, hostGoEnv, REGISTRY } from "../test/integration/engine";


export interface Run {
    readonly seconds: number;
    readonly digest: string;
    readonly compiled: number;
    readonly fetched: number;
}

export interface Round {
    /** The publish job on a fresh runner. */
    readonly ci: Run & { readonly tag: string };
    /** pulumi up on a fresh runner after CI published. */
    readonly up: Run & { readonly tag: string };
    /** pulumi up on a fresh runner where CI published nothing. */
    readonly alone: Run;
}

/** One round: a repository of its own (a registry cache outlives the run). */
export async function oneDigestRound(label: string): Promise<Round> {
    const run = process.hrtime.bigint();
    const repository = `${REGISTRY}/one-digest-${run}`;
    const goEnv = { GOPROXY: (hostGoEnv() ?? {}).GOPROXY ?? "https://proxy.golang.org,direct", GOFLAGS: "-x" };
    const args: Partial<GoServiceImageArgs> = { repository, goEnv, buildx: { platforms: ["linux/amd64"] }, github: { repository: `deps-${run}`, manageSecrets: false } as GoServiceImageArgs["github"] };
    const { repo, prepared } = provisioned(path.join(ROOT, "examples", "deps-service"), ".", args, "deps-service");
    const step = runStep(repo, prepared.workflow!, { type: "branch", name: "main" });
    if (step.status !== 0) throw new Error(`the publish job's inputs step failed: ${step.stderr}`);

    const ci = await withFreshBuilder(`${label}-ci`, (builder) => {
        const metadata = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-publish-")), "metadata.json");
        const r = buildx(builder, publishArgv(prepared.workflow!, repo, repository, step.outputs, metadata));
        if (r.status !== 0) throw new Error(`the publish build failed:\n${r.log.slice(-3000)}`);
        return { seconds: r.seconds, digest: metadataDigest(metadata), compiled: compiled(r.log), fetched: fetched(r.log), tag: step.outputs.tag };
    });
    // The component's provider inputs, as pulumi up of a stack with this service gives them, on a fresh runner.
    // One GitHub repository per component in this process (each claims its files there).
    const up = async (name: string, repositoryOf: string, github: string) => withFreshBuilder(`${label}-${name}`, async (builder) => {
        const captured = await buildxComponentInputs("deps-service", { ...args, repository: repositoryOf, context: repo, buildx: { platforms: ["linux/amd64"], builder: builder.name }, github: { ...args.github, repository: github } } as GoServiceImageArgs);
        const r = replay(captured.inputs, captured.cwd, REPRODUCIBLE);
        return { seconds: r.seconds, digest: r.digest, compiled: compiled(r.log), fetched: fetched(r.log), tag: captured.tag };
    });
    return { ci, up: await up("up", repository, `deps-${run}`), alone: await up("alone", `${repository}-alone`, `deps-${run}-alone`) };
}

async function main(): Promise<void> {
    const reps = Number(process.env.BENCH_REPS ?? 3);
    const rounds: Round[] = [];
    for (let i = 0; i < reps; i++) {
        rounds.push(await oneDigestRound(`bench-${i}`));
        process.stderr.write(`round ${i + 1}/${reps} done\n`);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const row = (what: string, pick: (r: Round) => Run) => {
        const xs = rounds.map(pick);
        const s = xs.map((x) => x.seconds);
        return `| ${what} | ${med(s).toFixed(2)} s (${Math.min(...s).toFixed(2)}–${Math.max(...s).toFixed(2)}) | ${med(xs.map((x) => x.compiled))} | ${med(xs.map((x) => x.fetched))} |`;
    };
    const same = rounds.every((r) => r.ci.digest === r.up.digest && r.ci.tag === r.up.tag);
    const text = [
        "# One digest from commit to deploy",
        "",
        `Produced by \`npm run bench:one-digest\` (${reps} rounds, median and min–max; ${os.cpus().length} cores). Each run is a fresh BuildKit v0.34.2 (a fresh runner); examples/deps-service with GOFLAGS=-x.`,
        "",
        "| run | time | packages compiled | module files fetched |",
        "| --- | --- | --- | --- |",
        row("publish job (inputs step, then docker/build-push-action replayed)", (r) => r.ci),
        row("pulumi up after CI published (the component's docker-build inputs replayed)", (r) => r.up),
        row("pulumi up where CI published nothing (reference)", (r) => r.alone),
        "",
        `Digests: CI's and pulumi up's ${same ? "equal in every round" : "DIFFER"} (${rounds.map((r) => `${r.ci.digest.slice(0, 19)}… = ${r.up.digest.slice(0, 19)}…`).join("; ")}); the same content tag (${rounds.map((r) => r.up.tag).join(", ")}).`,
        "",
    ].join("\n");
    process.stdout.write(text);
    fs.writeFileSync(path.join(ROOT, "bench", "one-digest.md"), text);
}

if (require.main === module) {
    main().catch((e) => {
        console.error(e);
        process.exitCode = 1;
    });
}
