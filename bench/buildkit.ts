/**
 * A modern BuildKit (v0.34.2, built by test/integration/env/up.sh into the tools cache) driven by
 * `docker buildx` through the remote driver, and the BuildKit cache dance the generated workflow
 * uses: a fresh builder is a fresh runner. Shared by the integration suite and the benchmarks.
 */
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { spawn, spawnSync } from "child_process";
import { parse } from "yaml";
import { GoServiceImageArgs } from "../src/args";
import { prepare } from "../src/pipeline";
import { GO_BUILD_CACHE, MOD_DOWNLOADS } from "../src/render/dockerfile/instructions";
import { Claims } from "../src/resolve/claims";

export const TOOLS = process.env.GSI_TOOLS ?? path.join(os.homedir(), ".cache", "gsi-tools");
export const BUILDKIT_VERSION = "v0.34.2";
const BIN = path.join(TOOLS, `buildkit-${BUILDKIT_VERSION}`);
/** Debian's 20.10 client, with the buildx plugin up.sh installs. */
const DOCKER = process.env.GO_SERVICE_IMAGE_DOCKER ?? "/usr/bin/docker";

/** A running buildkitd with a state of its own, registered with buildx. */
export interface Builder {
    readonly name: string;
    readonly addr: string;
    stop(): void;
}

/** A TCP port free on the loopback interface now. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address() as net.AddressInfo;
            srv.close(() => resolve(port));
        });
        srv.on("error", reject);
    });
}

/** The test TLS registry (up.sh, 127.0.0.1:5443): BuildKit takes 127.0.0.1 for plain HTTP unless told `http = false`, and trusts its CA only when named. */
export const TLS_REGISTRY = "127.0.0.1:5443";
export const TEST_CA = path.join(process.env.GSI_ENV_STATE ?? "/tmp/go-service-image-env", "tls", "ca.crt");
function tlsRegistryConfig(): string[] {
    return fs.existsSync(TEST_CA) ? [`[registry."${TLS_REGISTRY}"]`, "  http = false", `  ca = [${JSON.stringify(TEST_CA)}]`] : [];
}

/** Starts a buildkitd with an empty state (a fresh CI runner), resolving docker.io through the local registry. */
export async function freshBuilder(label: string): Promise<Builder> {
    if (!fs.existsSync(path.join(BIN, "buildkitd"))) throw new Error(`${BIN}/buildkitd is missing: run bash test/integration/env/up.sh`);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `gsi-bk-${label}-`));
    fs.writeFileSync(path.join(root, "buildkitd.toml"), ['[worker.containerd]', "  enabled = false", '[registry."docker.io"]', '  mirrors = ["127.0.0.1:5000"]', '[registry."127.0.0.1:5000"]', "  http = true", ...tlsRegistryConfig(), ""].join("\n"));
    const port = await freePort();
    const addr = `tcp://127.0.0.1:${port}`;
    const log = fs.openSync(path.join(root, "buildkitd.log"), "w");
    const child = spawn(path.join(BIN, "buildkitd"), ["--addr", addr, "--root", path.join(root, "state"), "--config", path.join(root, "buildkitd.toml"), "--oci-worker-net=host"], { stdio: ["ignore", log, log], detached: true });
    const name = `gsi-${label}-${port}`;
    const stop = () => {
        spawnSync(DOCKER, ["buildx", "rm", "--force", name]);
        try {
            process.kill(-(child.pid as number), "SIGTERM");
        } catch {
            // already gone
        }
    };
    for (let i = 0; ; i++) {
        if (spawnSync(path.join(BIN, "buildctl"), ["--addr", addr, "debug", "workers"]).status === 0) break;
        if (i > 100) {
            stop();
            throw new Error(`buildkitd did not start: ${fs.readFileSync(path.join(root, "buildkitd.log"), "utf8").slice(-2000)}`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    const created = spawnSync(DOCKER, ["buildx", "create", "--name", name, "--driver", "remote", addr], { encoding: "utf8" });
    if (created.status !== 0) {
        stop();
        throw new Error(`docker buildx create failed: ${created.stderr}`);
    }
    return { name, addr, stop };
}

/** Runs `fn` on a fresh builder (a fresh runner), stopped afterwards whatever happens. */
export async function withFreshBuilder<T>(label: string, fn: (builder: Builder) => Promise<T> | T): Promise<T> {
    const b = await freshBuilder(label);
    try {
        return await fn(b);
    } finally {
        b.stop();
    }
}

/** Runs `docker buildx build` on a builder with plain progress; returns the log and the time it took. */
export function buildx(builder: Builder, args: readonly string[]): { status: number; log: string; seconds: number } {
    const start = process.hrtime.bigint();
    const r = spawnSync(DOCKER, ["buildx", "build", "--builder", builder.name, "--progress", "plain", ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return { status: r.status ?? 1, log: r.stderr + r.stdout, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** The cache directories the workflow persists with actions/cache, and the BuildKit cache mounts they fill. */
export const CACHE_MAP: Readonly<Record<string, string>> = { "go-mod-cache": MOD_DOWNLOADS, "go-build-cache": GO_BUILD_CACHE };

function danceDockerfile(lines: string[]): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-dance-")), "Dockerfile");
    fs.writeFileSync(file, lines.join("\n") + "\n");
    return file;
}

/** The cache dance's inject: the restored directories go into the builder's cache mounts. */
export function injectCaches(builder: Builder, cacheDir: string): void {
    for (const dir of Object.keys(CACHE_MAP)) fs.mkdirSync(path.join(cacheDir, dir), { recursive: true });
    const file = danceDockerfile([
        "FROM alpine:3.22",
        `ARG STAMP=${Date.now()}`,
        ...Object.entries(CACHE_MAP).map(([dir, target]) => `RUN --mount=type=cache,target=${target} --mount=type=bind,source=${dir},target=/dance/${dir} cp -p -R /dance/${dir}/. ${target}/`),
    ]);
    const r = buildx(builder, ["-f", file, "--output", "type=cacheonly", cacheDir]);
    if (r.status !== 0) throw new Error(`cache inject failed:\n${r.log.slice(-3000)}`);
}

/** The cache dance's extract: the builder's cache mounts come out into the directories actions/cache saves. */
export function extractCaches(builder: Builder, cacheDir: string): void {
    const file = danceDockerfile([
        "FROM alpine:3.22 AS dance",
        `ARG STAMP=${Date.now()}`,
        ...Object.entries(CACHE_MAP).map(([dir, target]) => `RUN --mount=type=cache,target=${target} mkdir -p /dance/${dir} && cp -p -R ${target}/. /dance/${dir}/`),
        "FROM scratch",
        "COPY --from=dance /dance/ /",
    ]);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-dance-out-"));
    const r = buildx(builder, ["-f", file, "--output", `type=local,dest=${out}`, fs.mkdtempSync(path.join(os.tmpdir(), "gsi-empty-"))]);
    if (r.status !== 0) throw new Error(`cache extract failed:\n${r.log.slice(-3000)}`);
    for (const dir of Object.keys(CACHE_MAP)) {
        fs.rmSync(path.join(cacheDir, dir), { recursive: true, force: true });
        fs.renameSync(path.join(out, dir), path.join(cacheDir, dir));
    }
}

/** The generated Dockerfile's steps, as BuildKit's plain log names them. */
export const STEPS = {
    download: /go mod download/,
    dependencies: /go list .*-export -deps/,
    build: /go build -trimpath.* -ldflags/,
} as const;

/** How many module files a build's log (with GOFLAGS=-x) says go fetched, in whichever step. */
export function fetched(log: string | readonly string[]): number {
    return (typeof log === "string" ? log.split("\n") : log).filter((l) => /# get https?:\/\//.test(l)).length;
}

/** The packages (import paths, `main` for a command) a build's log (with GOFLAGS=-x) says go compiled, in whichever step. */
export function compiledPackages(log: string | readonly string[]): string[] {
    return (typeof log === "string" ? log.split("\n") : log).filter((l) => /\/compile -o /.test(l)).map((l) => / -p (\S+) /.exec(l)?.[1] ?? "?");
}

/** How many packages a build's log (with GOFLAGS=-x) says go compiled, in whichever step. */
export function compiled(log: string | readonly string[]): number {
    return compiledPackages(log).length;
}

/** Whether a step's log lines show it ran (its command printed something, timestamped); a step loaded from a cache prints none. */
export function ran(lines: readonly string[]): boolean {
    return lines.some((l) => /^#\d+ \d+\.\d+ /.test(l));
}

/** The lines a BuildKit plain log prints for the step whose header matches. */
export function stepLog(log: string, header: RegExp): string[] {
    const id = [...log.matchAll(/^#(\d+) \[[^\]]+\] (.*)$/gm)].find((m) => header.test(m[2]))?.[1];
    if (!id) throw new Error(`no step ${header} in:\n${log.slice(-3000)}`);
    return log.split("\n").filter((l) => l.startsWith(`#${id} `));
}

/** What a CI runner's image build did: with GOFLAGS=-x, go lists every module it fetched and package it compiled. */
export interface RunnerResult {
    readonly seconds: number;
    readonly downloads: number;
    readonly compiles: number;
    /** The build's plain log, for a runner's build. */
    readonly log?: string;
}

/**
 * One CI runner: a fresh builder; with `cacheDir`, the caches restored into it first (and, with
 * `save`, extracted back after the build, as the default branch's job does); then `docker buildx
 * build` with the given flags. The flags must pass `--build-arg GOFLAGS=-x` for the counts.
 */
export async function freshRunner(label: string, buildArgs: readonly string[], cacheDir?: string, save = false): Promise<RunnerResult> {
    return withFreshBuilder(label, (b) => {
        if (cacheDir) injectCaches(b, cacheDir);
        const r = buildx(b, buildArgs);
        if (r.status !== 0) throw new Error(`the image build failed:\n${r.log.slice(-3000)}`);
        if (cacheDir && save) extractCaches(b, cacheDir);
        return {
            seconds: r.seconds,
            // Every step's: the download, dependency and build steps each fetch or compile what they lack.
            downloads: fetched(r.log),
            compiles: compiled(r.log),
            log: r.log,
        };
    });
}

/**
 * The `docker buildx build` flags docker/build-push-action makes of the generated image job's build
 * step, with its expressions filled in as on a runner, plus GOFLAGS=-x so the log says what go
 * downloaded and compiled. `--output type=cacheonly`: a pull request's build pushes nothing.
 *
 * With `layerCache`, the step's `type=gha` layer cache is played by a registry at that ref (the same
 * BuildKit cache, another store): read as the image job reads it and, with `write`, written as the
 * default branch's publish job writes it (its `cache-to`, `mode=max`).
 */
export function imageJobArgs(workflow: string, repo: string, version: string, layerCache?: { ref: string; write: boolean }): string[] {
    const jobs = parse(workflow).jobs as Record<string, { steps: Array<{ id?: string; with: Record<string, string | boolean> }> }>;
    const buildStep = (job: string) => jobs[job].steps.find((s) => s.id === "build")!.with;
    const step = buildStep("image");
    // The version step's outputs as a run on a branch gives them (sha-<12> for both version and sha).
    const fill = (s: string) => s.replaceAll(/\$\{\{ steps\.version\.outputs\.(version|sha) \}\}/g, version).replaceAll("${{ github.sha }}", "0".repeat(40)).replaceAll("${{ steps.version.outputs.epoch }}", "0");
    // type=gha,mode=max,scope=api → type=registry,ref=<ref>,mode=max: the other attributes kept.
    const gha = (spec: string) => {
        const attrs = spec.split(",");
        if (!attrs.includes("type=gha")) throw new Error(`the image job's layer cache is not type=gha: ${spec}`);
        return [`type=registry,ref=${layerCache!.ref}`, ...attrs.filter((a) => !/^(type|scope)=/.test(a))].join(",");
    };
    const caches = layerCache
        // The publish job's type=gha line (its registry cache line is what pulumi up reads: bench/publish.ts replays that).
        ? ["--cache-from", gha(String(step["cache-from"])), ...(layerCache.write ? ["--cache-to", gha(String(buildStep("publish")["cache-to"]).split("\n").find((l) => l.startsWith("type=gha")) ?? "")] : [])]
        : [];
    return [
        "--file", path.join(repo, String(step.file)),
        "--platform", String(step.platforms),
        "--tag", fill(String(step.tags)),
        ...String(step["build-args"]).trim().split("\n").flatMap((a) => ["--build-arg", fill(a)]),
        "--build-arg", "GOFLAGS=-x",
        `--provenance=${step.provenance}`, `--sbom=${step.sbom}`,
        ...caches,
        "--output", "type=cacheonly",
        path.join(repo, String(step.context)),
    ];
}

/** A repository laid out like the monorepo example, with the files the component commits for `services/api`; returns it and the workflow. */
export function ciRepository(monorepo: string): { repo: string; workflow: string } {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-ci-repo-"));
    fs.cpSync(monorepo, repo, { recursive: true });
    fs.mkdirSync(path.join(repo, ".git"));
    const api = path.join(repo, "services", "api");
    const args = { context: api, repository: "registry.example.com/api", github: { repository: "mono", manageSecrets: false } } as GoServiceImageArgs;
    const prepared = prepare({ name: "api", args, purpose: "component", cwd: fs.mkdtempSync(path.join(os.tmpdir(), "gsi-prog-")), claims: new Claims() });
    fs.writeFileSync(path.join(api, "Dockerfile"), prepared.dockerfile);
    fs.writeFileSync(path.join(api, "Dockerfile.dockerignore"), prepared.dockerignore);
    return { repo, workflow: prepared.workflow as string };
}

/** The one-line change the benchmarks and tests make: a string literal, which forces a recompile and relink (a comment would not). */
export function oneLineChange(repo: string): void {
    const shared = path.join(repo, "libs", "shared", "shared.go");
    fs.writeFileSync(shared, fs.readFileSync(shared, "utf8").replace(/"(hello|hi) from "/, (_, w: string) => (w === "hello" ? '"hi from "' : '"hello from "')));
}
