/**
 * Many services on one builder, on the path `pulumi up` takes: each service's component inputs
 * (captured under mocks, with the dependencies the component registered) replayed on one fresh
 * BuildKit v0.34.2, each build started when the images it depends on are built, as the engine
 * schedules resources. Writes bench/one-builder.md.
 *
 * 1. A second service's cold build on a builder that built the first (hello-service, then
 *    deps-service; hello-service, then a gRPC service) ÷ host cold `go build` of the second with
 *    the first's build cache warm: three rounds of each, medians, and where the builder's time went
 *    (BuildKit's own timing of each step).
 * 2. Ten services (five hello-service and five deps-service variants, each with code of its own)
 *    as a stack's first up: every build at once (the default), `maxParallelBuilds: 2`, and 1.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { GoServiceImageArgs } from "../src/args";
import { compiled, withFreshBuilder } from "./buildkit";
import { median, ROOT, spread } from "./lib";
import { BuildxImageInputs, replayAsync, REPRODUCIBLE } from "./replay";
import { dependencies } from "../test/helpers/mocks";
import { buildxComponentInputs, hostGoEnv, REGISTRY } from "../test/integration/engine";

const goEnv = () => ({ GOPROXY: (hostGoEnv() ?? {}).GOPROXY ?? "https://proxy.golang.org,direct", GOFLAGS: "-x" });

/** A gRPC health server: a second service whose own dependencies (grpc, protobuf, x/net) are most of its compile. */
const GRPC_MAIN = `package main

import (
\t"log"
\t"net"

\t"google.golang.org/grpc"
\t"google.golang.org/grpc/health"
\thealthpb "google.golang.org/grpc/health/grpc_health_v1"
)

var version = "dev"

func main() {
\tlis, err := net.Listen("tcp", ":8080")
\tif err != nil {
\t\tlog.Fatal(err)
\t}
\ts := grpc.NewServer()
\thealthpb.RegisterHealthServer(s, health.NewServer())
\tlog.Printf("grpc-service %s", version)
\tlog.Fatal(s.Serve(lis))
}
`;
/** The gRPC service's module, made once per run (go mod tidy through the module proxy) and copied per variant. */
let grpcModule: string | undefined;
function grpcService(): string {
    if (grpcModule) return grpcModule;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-grpc-"));
    fs.writeFileSync(path.join(dir, "go.mod"), "module example.com/grpc-service\n\ngo 1.26\n\nrequire google.golang.org/grpc v1.85.0\n");
    fs.writeFileSync(path.join(dir, "main.go"), GRPC_MAIN);
    const r = spawnSync("go", ["mod", "tidy"], { cwd: dir, env: { ...process.env, ...goEnv(), GOFLAGS: "", GOWORK: "off" }, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`go mod tidy of the gRPC service failed: ${r.stderr}`);
    return (grpcModule = dir);
}

const EXAMPLES = ["hello-service", "deps-service", "grpc-service"] as const;
type Example = (typeof EXAMPLES)[number];
const MAIN: Readonly<Record<Example, { file: string; pkg: string }>> = {
    "hello-service": { file: "main.go", pkg: "." },
    "deps-service": { file: path.join("cmd", "deps-service", "main.go"), pkg: "./cmd/deps-service" },
    "grpc-service": { file: "main.go", pkg: "." },
};

/** A copy of a service with a line of code of its own (its own packages compile; the rest is shared). */
function variant(example: Example, i: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gsi-variant-${example}-`));
    fs.cpSync(example === "grpc-service" ? grpcService() : path.join(ROOT, "examples", example), dir, { recursive: true });
    fs.appendFileSync(path.join(dir, MAIN[example].file), `\nvar variant${i} = "variant ${i} ${process.hrtime.bigint()}"\n\nfunc init() { _ = variant${i} }\n`);
    return dir;
}

/** What each step of the build stage is, by its command (the generated Dockerfile's steps). */
const STEP_NAMES: ReadonlyArray<readonly [RegExp, string]> = [
    [/ go mod download/, "module download"],
    [/ -export -deps /, "dependencies (go list -export, the layer)"],
    [/ case "/, "argument checks and build-cache top-up"],
    [/ -ldflags /, "go build (own packages, link)"],
    [/ grep -q ELF/, "executable check and time stamp"],
    [/^exporting to image/, "export and push"],
];

/** Seconds per named step, from BuildKit's plain progress (`#n <name>` … `#n DONE 1.2s`); the rest of the wall time is the client's (context, solve, session). */
function stepSeconds(log: string): Map<string, number> {
    const names = new Map<string, string>();
    const out = new Map<string, number>();
    for (const line of log.split("\n")) {
        const head = /^#(\d+) (?:\[[^\]]*\] )?(.*)$/.exec(line);
        if (head && !names.has(head[1])) names.set(head[1], STEP_NAMES.find(([re]) => re.test(` ${head[2]}`) || re.test(head[2]))?.[1] ?? "other steps");
        const done = /^#(\d+) DONE ([\d.]+)s$/.exec(line);
        if (done) {
            const name = names.get(done[1]) ?? "other steps";
            out.set(name, (out.get(name) ?? 0) + Number(done[2]));
        }
    }
    return out;
}

interface Service { readonly name: string; readonly inputs: BuildxImageInputs; readonly cwd: string; readonly waitsFor: string[] }

/** The stack's image inputs as the component registers them, with what each waits for. */
async function capture(builder: string, limit: number | undefined, label: string): Promise<Service[]> {
    const out: Service[] = [];
    for (let i = 0; i < 10; i++) {
        const example: Example = i % 2 === 0 ? "hello-service" : "deps-service";
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

/** Host `go build` of the second service, cold (fresh module and build caches) after hello-service was built with that build cache. */
function hostSecond(example: Example, round: number): number {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-host-"));
    const env = { ...process.env, ...goEnv(), GOFLAGS: "", GOCACHE: path.join(tmp, "build"), GOMODCACHE: path.join(tmp, "mod"), CGO_ENABLED: "0", GOWORK: "off" };
    const go = (dir: string, pkg: string) => {
        const r = spawnSync("go", ["build", "-trimpath", "-buildvcs=false", "-tags", "timetzdata", "-o", path.join(tmp, "out"), pkg], { cwd: dir, env, encoding: "utf8" });
        if (r.status !== 0) throw new Error(r.stderr);
    };
    go(variant("hello-service", 100 + round), ".");
    const dir = variant(example, 200 + round);
    const start = process.hrtime.bigint();
    go(dir, MAIN[example].pkg);
    return Number(process.hrtime.bigint() - start) / 1e9;
}

const ROUNDS = 3;

interface Second { firstSeconds: number[]; firstCompiled: number; seconds: number[]; compiled: number; steps: Map<string, number>[]; host: number[] }

/** A second service's cold build on a fresh builder that built hello-service first, and the host's, ROUNDS times. */
async function secondService(example: Example, stamp: number): Promise<Second> {
    const out: Second = { firstSeconds: [], firstCompiled: 0, seconds: [], compiled: 0, steps: [], host: [] };
    for (let round = 0; round < ROUNDS; round++) {
        await withFreshBuilder(`second-${round}`, async ({ name: builder }) => {
            // goVersion: tidy writes the gRPC module's `go 1.26.0`; the builder tag the local registry has is golang:1.26-alpine (the examples say `go 1.26`).
            const args = (dir: string, repo: string) => ({ context: dir, repository: `${REGISTRY}/${repo}`, goVersion: "1.26", goEnv: goEnv(), buildx: { platforms: ["linux/amd64"], builder } }) as GoServiceImageArgs;
            const one = await buildxComponentInputs(`second-a-${example}-${round}-${stamp}`, args(variant("hello-service", round), "second-a"));
            const first = await replayAsync(one.inputs, one.cwd, REPRODUCIBLE);
            const two = await buildxComponentInputs(`second-b-${example}-${round}-${stamp}`, args(variant(example, 10 + round), `second-${example}`));
            const r = await replayAsync(two.inputs, two.cwd, REPRODUCIBLE);
            out.firstSeconds.push(first.seconds);
            out.firstCompiled = compiled(first.log);
            out.seconds.push(r.seconds);
            out.compiled = compiled(r.log);
            const steps = stepSeconds(r.log);
            steps.set("client (context, solve, session)", r.seconds - [...steps.values()].reduce((a, b) => a + b, 0));
            out.steps.push(steps);
        });
        out.host.push(hostSecond(example, round));
        process.stderr.write(`${example} round ${round}: builder ${out.seconds[round].toFixed(1)} s, host ${out.host[round].toFixed(1)} s\n`);
    }
    return out;
}

/** The median seconds of each step over the rounds, in the order the build runs them. */
function stepRows(steps: Map<string, number>[]): string[] {
    const names = [...STEP_NAMES.map(([, n]) => n), "other steps", "client (context, solve, session)"];
    return names.filter((n) => steps.some((m) => m.has(n))).map((n) => `| ${n} | ${median(steps.map((m) => m.get(n) ?? 0)).toFixed(2)} s |`);
}

async function main(): Promise<void> {
    const stamp = Date.now();
    // 1. The second service on a builder that built the first.
    const seconds = new Map<Example, Second>();
    for (const example of ["deps-service", "grpc-service"] as const) {
        seconds.set(example, await secondService(example, stamp));
        process.stderr.write(`second service ${example} done\n`);
    }
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
        `${ROUNDS} rounds of each, every round on a fresh builder; median (min–max). The host builds with a fresh module cache and a build cache that built hello-service, as the builder did.`,
        "",
        "| second service | builder: hello-service first | builder: the second | packages compiled (first, second) | host \`go build\` of the second | ratio (goal ≤ 1.2×) |",
        "| --- | --- | --- | --- | --- | --- |",
        ...[...seconds].map(([example, r]) => `| ${example} | ${spread(r.firstSeconds, 1)} s | ${spread(r.seconds, 1)} s | ${r.firstCompiled}, ${r.compiled} | ${spread(r.host, 1)} s | **${(median(r.seconds) / median(r.host)).toFixed(2)}×** |`),
        "",
        ...[...seconds].flatMap(([example, r]) => [
            `Where the builder's ${median(r.seconds).toFixed(1)} s for ${example} went (medians; BuildKit's step timings, the client the rest of the wall time):`,
            "",
            "| step | time |",
            "| --- | --- |",
            ...stepRows(r.steps),
            "",
        ]),
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
