/**
 * Many services on one builder, on the path `pulumi up` takes: each service's component inputs
 * (captured under mocks, with the dependencies the component registered) replayed on one fresh
 * BuildKit v0.34.2, each build started when the images it depends on are built, as the engine
 * schedules resources. Writes bench/one-builder.md.
 *
 * 1. A second service's cold build on a builder that built the first (hello-service, then
 *    deps-service) ÷ host cold `go build` of the second with the first's build cache warm.
 * 2. Ten services (five hello-service and five deps-service variants, each with code of its own)
 *    as a stack's first up: every build at once (the default), `maxParallelBuilds: 2`, and 1.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { GoServiceImageArgs } from "../src/args";
import { compiled, withFreshBuilder } from "./buildkit";
import { ROOT } from "./lib";
import { BuildxImageInputs, replayAsync, REPRODUCIBLE } from "./replay";
import { dependencies } from "../test/helpers/mocks";
import { buildxComponentInputs, hostGoEnv, REGISTRY } from "../test/integration/engine";

const goEnv = () => ({ GOPROXY: (hostGoEnv() ?? {}).GOPROXY ?? "https://proxy.golang.org,direct", GOFLAGS: "-x" });

/** A copy of an example with a line of code of its own (its own packages compile; the rest is shared). */
function variant(example: string, i: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gsi-variant-${example}-`));
    fs.cpSync(path.join(ROOT, "examples", example), dir, { recursive: true });
    const main = example === "hello-service" ? path.join(dir, "main.go") : path.join(dir, "cmd", "deps-service", "main.go");
    fs.appendFileSync(main, `\nvar variant${i} = "variant ${i} ${process.hrtime.bigint()}"\n\nfunc init() { _ = variant${i} }\n`);
    return dir;
}

interface Service { readonly name: string; readonly inputs: BuildxImageInputs; readonly cwd: string; readonly waitsFor: string[] }

/** The stack's image inputs as the component registers them, with what each waits for. */
async function capture(builder: string, limit: number | undefined, label: string): Promise<Service[]> {
    const out: Service[] = [];
    for (let i = 0; i < 10; i++) {
        const example = i % 2 === 0 ? "hello-service" : "deps-service";
        const name = `${label}-${i}`;
        const args = { context: variant(example, i), repository: `${REGISTRY}/one-builder-${name}`, goEnv: goEnv(), buildx: { platforms: ["linux/amd64"], builder }, ...(limit ? { maxParallelBuilds: limit } : {}) } as GoServiceImageArgs;
        const { inputs, cwd } = await buildxComponentInputs(name, args);
        const waitsFor = (dependencies.get(name) ?? []).map((urn) => urn.slice(urn.lastIndexOf("::") + 2)).filter((d) => d.startsWith(`${label}-`));
        out.push({ name, inputs, cwd, waitsFor });
    }
    return out;
}

/** Runs the builds as the engine would: each when what it depends on is done. */
async function runStack(services: Service[]): Promise<{ seconds: number; compiled: number }> {
    const done = new Map<string, Promise<{ log: string }>>();
    const start = process.hrtime.bigint();
    for (const s of services) {
        done.set(s.name, Promise.all(s.waitsFor.map((d) => done.get(d)!)).then(() => replayAsync(s.inputs, s.cwd, REPRODUCIBLE)));
    }
    const logs = await Promise.all(services.map((s) => done.get(s.name)!));
    return { seconds: Number(process.hrtime.bigint() - start) / 1e9, compiled: logs.reduce((n, r) => n + compiled(r.log), 0) };
}

/** Host `go build` of deps-service, cold (fresh module and build caches) after hello-service was built with that build cache. */
function hostSecond(): number {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-host-"));
    const env = { ...process.env, ...goEnv(), GOFLAGS: "", GOCACHE: path.join(tmp, "build"), GOMODCACHE: path.join(tmp, "mod"), CGO_ENABLED: "0", GOWORK: "off" };
    const go = (dir: string, pkg: string) => {
        const r = spawnSync("go", ["build", "-trimpath", "-buildvcs=false", "-tags", "timetzdata", "-o", path.join(tmp, "out"), pkg], { cwd: dir, env, encoding: "utf8" });
        if (r.status !== 0) throw new Error(r.stderr);
    };
    go(variant("hello-service", 100), ".");
    const start = process.hrtime.bigint();
    go(variant("deps-service", 101), "./cmd/deps-service");
    return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
    const stamp = Date.now();
    // 1. The second service on a builder that built the first.
    const second = await withFreshBuilder("second", async ({ name: builder }) => {
        const one = await buildxComponentInputs(`second-a-${stamp}`, { context: variant("hello-service", 0), repository: `${REGISTRY}/second-a`, goEnv: goEnv(), buildx: { platforms: ["linux/amd64"], builder } } as GoServiceImageArgs);
        const first = await replayAsync(one.inputs, one.cwd, REPRODUCIBLE);
        const two = await buildxComponentInputs(`second-b-${stamp}`, { context: variant("deps-service", 1), repository: `${REGISTRY}/second-b`, goEnv: goEnv(), buildx: { platforms: ["linux/amd64"], builder } } as GoServiceImageArgs);
        const r = await replayAsync(two.inputs, two.cwd, REPRODUCIBLE);
        return { first: first.seconds, firstCompiled: compiled(first.log), seconds: r.seconds, compiled: compiled(r.log) };
    });
    const host = hostSecond();
    process.stderr.write("second service done\n");
    // 2. Ten services, three bounds, each on a fresh builder.
    const rows: Array<[string, { seconds: number; compiled: number }]> = [];
    for (const [what, limit] of [["every build at once (the default)", undefined], ["maxParallelBuilds: 2", 2], ["maxParallelBuilds: 1 (one after another)", 1]] as const) {
        const label = `stack${limit ?? 0}-${stamp}`;
        rows.push([what, await withFreshBuilder(label, async (builder) => runStack(await capture(builder.name, limit, label)))]);
        process.stderr.write(`${what} done\n`);
    }
    const text = [
        "# Many services on one builder",
        "",
        `Produced by \`npm run bench:one-builder\` (one run; ${os.cpus().length} cores). Every build is a service's component inputs (captured under mocks, as \`pulumi up\` gives them to @pulumi/docker-build) replayed on a fresh BuildKit v0.34.2, pushed; GOFLAGS=-x counts what go compiles.`,
        "",
        "## A second service on a builder that built the first",
        "",
        "| build | time | packages compiled |",
        "| --- | --- | --- |",
        `| hello-service, cold builder | ${second.first.toFixed(1)} s | ${second.firstCompiled} |`,
        `| deps-service next, on the same builder | ${second.seconds.toFixed(1)} s | ${second.compiled} |`,
        `| host \`go build\` of deps-service, cold module cache, the build cache warm from hello-service | ${host.toFixed(1)} s | |`,
        "",
        `Ratio (goal ≤ 1.2×): **${(second.seconds / host).toFixed(2)}×**.`,
        "",
        "## Ten services, a stack's first up, on one builder",
        "",
        "| bound | time | packages compiled, all builds |",
        "| --- | --- | --- |",
        ...rows.map(([what, r]) => `| ${what} | ${r.seconds.toFixed(1)} s | ${r.compiled} |`),
        "",
    ].join("\n");
    process.stdout.write(text);
    fs.writeFileSync(path.join(ROOT, "bench", "one-builder.md"), text);
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
