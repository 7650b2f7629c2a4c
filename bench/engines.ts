/**
 * The two engines side by side, in one run, on the path a user takes: the CLI's `build` (the same
 * pipeline and build inputs as the component), on examples/deps-service.
 *
 * 1. One-line change (a string literal: it forces a recompile and a relink), warm: the CLI on the
 *    Docker engine (Docker 20.10, what `@pulumi/docker`'s Image drives) and on buildx (BuildKit
 *    v0.34.2 behind a remote builder, what `@pulumi/docker-build`'s Image drives), each round paired
 *    with host `go build` with the Dockerfile's flags on warm caches, so machine load hits them alike.
 * 2. A fresh builder (a fresh CI runner) after a one-line change, with and without a registry cache.
 * 3. Reproducibility: two builds with no shared cache, the pushed digests compared.
 *
 * `npm run bench:engines` (BENCH_REPS, default 7) writes the "Engines" section of bench/results.md.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync, spawnSync } from "child_process";
import { Builder, compiled, fetched, freshBuilder } from "./buildkit";
import { copyModule, docker, DOCKER } from "./docker";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "bin", "go-service-image.js");
const REGISTRY = "127.0.0.1:5000";
const reps = Number(process.env.BENCH_REPS ?? 7);
const goProxy = (JSON.parse(execFileSync("go", ["env", "-json", "GOPROXY"], { encoding: "utf8" })) as { GOPROXY: string }).GOPROXY;

function seconds(fn: () => void): number {
    const t = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t) / 1e9;
}

/** The CLI's build as a user runs it; returns stdout (the image, or the pushed ref) and the log. */
function cli(module: string, extra: string[]): { out: string; log: string } {
    const r = spawnSync(process.execPath, [CLI, "build", module, "--name", "deps-service", "--go-env", `GOPROXY=${goProxy}`, ...extra], { encoding: "utf8", cwd: path.dirname(module), env: { ...process.env, GO_SERVICE_IMAGE_DOCKER: DOCKER }, maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`go-service-image build failed:\n${r.stderr.slice(-3000)}`);
    return { out: r.stdout.trim(), log: r.stderr };
}

let edits = 0;
/** A string literal changed: the package recompiles and the binary relinks (a comment or an unused value may not). */
function change(module: string): void {
    const file = path.join(module, "internal", "api", "api.go");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/"ok[^"]*\\n"/, `"ok ${++edits}\\n"`));
}

/** Host `go build` with the Dockerfile's flags (stripped: -s -w), or unstripped as bench/results.md's earlier host figure was. */
function hostBuild(module: string, caches: string, stripped: boolean): number {
    const ldflags = stripped ? ["-ldflags", "-s -w -X main.version=bench"] : [];
    const env = { ...process.env, GOCACHE: path.join(caches, "build"), GOMODCACHE: path.join(caches, "mod"), CGO_ENABLED: "0", GOFLAGS: "" };
    return seconds(() => execFileSync("go", ["build", "-trimpath", "-tags", "timetzdata", ...ldflags, "-o", path.join(caches, "out"), "./cmd/deps-service"], { cwd: module, env, stdio: "ignore" }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `${median(xs).toFixed(2)} s (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;

interface Round { docker: number; buildx: number; buildxPush: number; host: number; hostUnstripped: number }

/** 1. The warm one-line-change rebuild, both engines and the host in each round. */
function warm(builder: Builder): Round[] {
    const module = copyModule(path.join(ROOT, "examples", "deps-service"));
    const caches = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-bench-go-"));
    const repo = `${REGISTRY}/bench-engines`;
    const onDocker = ["--repository", repo, "--network", "host"];
    const onBuildx = ["--repository", repo, "--builder", builder.name, "--platforms", "linux/amd64"];
    // Warm everything once.
    cli(module, onDocker);
    cli(module, onBuildx);
    cli(module, [...onBuildx, "--push"]);
    hostBuild(module, caches, true);
    hostBuild(module, caches, false);
    const rounds: Round[] = [];
    for (let i = 0; i < reps; i++) {
        const round: Partial<Round> = {};
        change(module);
        round.docker = seconds(() => cli(module, onDocker));
        round.host = hostBuild(module, caches, true);
        change(module);
        round.buildx = seconds(() => cli(module, onBuildx));
        round.hostUnstripped = hostBuild(module, caches, false);
        change(module);
        round.buildxPush = seconds(() => cli(module, [...onBuildx, "--push"]));
        rounds.push(round as Round);
        process.stderr.write(`warm round ${i + 1}/${reps}\n`);
    }
    return rounds;
}

/** 2. Fresh builders after a one-line change: with the registry cache the previous build exported, and without. */
async function fresh(): Promise<{ cached: number; cold: number; downloads: [number, number]; compiles: [number, number] }> {
    const module = copyModule(path.join(ROOT, "examples", "deps-service"));
    const cache = `${REGISTRY}/bench-engines-cache:run-${process.hrtime.bigint()}`;
    const onFresh = async (label: string, extra: string[]) => {
        const b = await freshBuilder(label);
        try {
            let log = "";
            const s = seconds(() => (log = cli(module, ["--repository", `${REGISTRY}/bench-engines-fresh`, "--builder", b.name, "--platforms", "linux/amd64", "--push", "--go-env", "GOFLAGS=-x", ...extra]).log));
            return { s, downloads: fetched(log), compiles: compiled(log) };
        } finally {
            b.stop();
        }
    };
    await onFresh("bench-seed", ["--cache-to", `type=registry,ref=${cache},mode=max`]);
    change(module);
    const cached = await onFresh("bench-cached", ["--cache-from", `type=registry,ref=${cache}`]);
    const cold = await onFresh("bench-cold", []);
    return { cached: cached.s, cold: cold.s, downloads: [cached.downloads, cold.downloads], compiles: [cached.compiles, cold.compiles] };
}

/** 3. Two builds of the same source with nothing shared, pushed: the digests. */
async function reproducibility(): Promise<{ docker: string[]; buildx: string[] }> {
    const module = copyModule(path.join(ROOT, "examples", "deps-service"));
    const out = { docker: [] as string[], buildx: [] as string[] };
    for (let i = 0; i < 2; i++) {
        docker("builder", "prune", "-af");
        out.docker.push(cli(module, ["--repository", `${REGISTRY}/bench-repro-docker`, "--network", "host", "--push"]).out.split("@")[1]);
        const b = await freshBuilder(`bench-repro-${i}`);
        try {
            out.buildx.push(cli(module, ["--repository", `${REGISTRY}/bench-repro-buildx`, "--builder", b.name, "--platforms", "linux/amd64,linux/arm64", "--push"]).out.split("@")[1]);
        } finally {
            b.stop();
        }
    }
    return out;
}

function writeSection(lines: string[]): void {
    const file = path.join(ROOT, "bench", "results.md");
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const start = "<!-- engines:start -->";
    const end = "<!-- engines:end -->";
    const section = [start, ...lines, end].join("\n");
    const next = text.includes(start) ? text.slice(0, text.indexOf(start)) + section + text.slice(text.indexOf(end) + end.length) : `${section}\n\n${text}`;
    fs.writeFileSync(file, next);
}

async function main(): Promise<void> {
    const builder = await freshBuilder("bench-warm");
    let rounds: Round[];
    try {
        rounds = warm(builder);
    } finally {
        builder.stop();
    }
    const f = await fresh();
    const repro = await reproducibility();
    const ratio = (pick: (r: Round) => number) => rounds.map((r) => pick(r) / r.host);
    const engine = docker("version", "--format", "{{.Server.Version}}");
    const go = execFileSync("go", ["env", "GOVERSION"], { encoding: "utf8" }).trim();
    const lines = [
        "## Engines, side by side (one run)",
        "",
        `Produced by \`npm run bench:engines\` on ${new Date().toISOString().slice(0, 10)}: ${reps} rounds, median (min–max); ${os.cpus().length} cores, Docker ${engine}, BuildKit v0.34.2 (remote builder over TCP), ${go}.`,
        "Every figure goes through the CLI's `build` (node start-up, resolve, the context hash, the build), the path the component's inputs take to the same engines.",
        "The change is a string literal in examples/deps-service (a recompile and a relink). Each round runs the engines and host `go build` back to back, so load hits them alike;",
        "the ratio is per round, then the median.",
        "",
        "| one-line change, warm | time | × host warm `go build` (same flags) |",
        "| --- | --- | --- |",
        `| Docker engine (\`@pulumi/docker\` Image; CLI \`build\`) | ${fmt(rounds.map((r) => r.docker))} | ${fmt(ratio((r) => r.docker)).replace(/ s/g, "")} |`,
        `| buildx (\`@pulumi/docker-build\` Image; CLI \`build --builder\`), loaded into the engine | ${fmt(rounds.map((r) => r.buildx))} | ${fmt(ratio((r) => r.buildx)).replace(/ s/g, "")} |`,
        `| buildx, pushed to the registry (what the component does) | ${fmt(rounds.map((r) => r.buildxPush))} | ${fmt(ratio((r) => r.buildxPush)).replace(/ s/g, "")} |`,
        `| host \`go build -trimpath -tags timetzdata -ldflags "-s -w …"\` | ${fmt(rounds.map((r) => r.host))} | 1 |`,
        `| host \`go build\` without \`-s -w\` (as the earlier figure below was taken) | ${fmt(rounds.map((r) => r.hostUnstripped))} | |`,
        "",
        "| fresh builder (a fresh runner's `pulumi up`), one-line change, pushed | time | modules fetched | packages compiled |",
        "| --- | --- | --- | --- |",
        `| with the registry cache the previous build exported (\`cacheFrom\`) | ${f.cached.toFixed(2)} s | ${f.downloads[0]} | ${f.compiles[0]} |`,
        `| without | ${f.cold.toFixed(2)} s | ${f.downloads[1]} | ${f.compiles[1]} |`,
        "",
        "| reproducibility: two builds, nothing shared, pushed | first | second | identical |",
        "| --- | --- | --- | --- |",
        `| Docker engine (cache pruned between) | ${repro.docker[0].slice(0, 19)}… | ${repro.docker[1].slice(0, 19)}… | ${repro.docker[0] === repro.docker[1] ? "yes" : "no"} |`,
        `| buildx, linux/amd64+arm64 index, two fresh builders | ${repro.buildx[0].slice(0, 19)}… | ${repro.buildx[1].slice(0, 19)}… | ${repro.buildx[0] === repro.buildx[1] ? "yes" : "no"} |`,
    ];
    writeSection(lines);
    process.stdout.write(lines.join("\n") + "\n");
}

main().catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
});
