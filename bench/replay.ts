/**
 * Replays the inputs GoServiceImage gives `@pulumi/docker-build`'s Image on a real BuildKit, as the
 * provider would run them. The provider is buildx used as a library (provider/internal/image.go
 * maps its inputs onto buildx's BuildOptions), so `docker buildx build` with the same options is
 * the same build: the same library defaults (a provenance attestation unless
 * BUILDX_NO_DEFAULT_ATTESTATIONS is set), the same exporter, the same digest in the response.
 * An input this replay does not know fails it, so no new input goes unreplayed.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn, spawnSync } from "child_process";
import { DOCKER } from "./docker";

/** The environment under which the provider's buildx adds no provenance attestation (which records build times): byte-reproducible images (README, "Engines"). */
export const REPRODUCIBLE: Readonly<Record<string, string>> = { BUILDX_NO_DEFAULT_ATTESTATIONS: "1" };

/** The image (or index) digest in a `--metadata-file` buildx wrote: what the provider and build-push-action report. */
export function metadataDigest(file: string): string {
    return String((JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>)["containerimage.digest"] ?? "");
}

/** The docker-build Image inputs as GoServiceImage registers them (secrets already unwrapped). */
export interface BuildxImageInputs {
    readonly tags: string[];
    readonly push: boolean;
    readonly context: { location: string };
    readonly dockerfile: { location: string };
    readonly buildArgs?: Record<string, string>;
    readonly platforms?: string[];
    readonly network?: string;
    readonly cacheFrom?: Array<{ raw: string }>;
    readonly cacheTo?: Array<{ raw: string }>;
    readonly builder?: { name: string };
    readonly secrets?: Record<string, string>;
    readonly ignoreSecretsInDiffCalculation?: string[];
    readonly registries?: Array<{ address: string; username?: string; password?: string }>;
    readonly buildOnPreview?: boolean;
}

// ignoreSecretsInDiffCalculation only shapes the provider's Diff, never the build.
const KNOWN = new Set(["tags", "push", "context", "dockerfile", "buildArgs", "platforms", "network", "cacheFrom", "cacheTo", "builder", "secrets", "ignoreSecretsInDiffCalculation", "registries", "buildOnPreview"]);

/** The `docker buildx build` argv and environment for the inputs; `metadataFile` receives the exporter's response. */
export function replayArgv(inputs: BuildxImageInputs, metadataFile: string): { argv: string[]; env: Record<string, string> } {
    const unknown = Object.keys(inputs).filter((k) => !KNOWN.has(k));
    if (unknown.length > 0) throw new Error(`the replay does not know the input(s) ${unknown.join(", ")}: teach bench/replay.ts what the provider does with them`);
    if (inputs.registries) throw new Error("the replay uses the engine's own registry login: registries are not replayed");
    const argv = ["buildx", "build", "--progress", "plain"];
    const env: Record<string, string> = {};
    if (inputs.builder) argv.push("--builder", inputs.builder.name);
    for (const t of inputs.tags) argv.push("--tag", t);
    if (inputs.platforms) argv.push("--platform", inputs.platforms.join(","));
    for (const [k, v] of Object.entries(inputs.buildArgs ?? {})) argv.push("--build-arg", `${k}=${v}`);
    if (inputs.network) argv.push("--network", inputs.network);
    for (const c of inputs.cacheFrom ?? []) argv.push("--cache-from", c.raw);
    for (const c of inputs.cacheTo ?? []) argv.push("--cache-to", c.raw);
    // The provider hands secret values to the session by value; the CLI takes them from the environment.
    for (const [id, value] of Object.entries(inputs.secrets ?? {})) {
        const name = `GSI_REPLAY_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
        env[name] = value;
        argv.push("--secret", `id=${id},env=${name}`);
    }
    if (inputs.push) argv.push("--push");
    argv.push("--metadata-file", metadataFile, "-f", inputs.dockerfile.location, inputs.context.location);
    return { argv, env };
}

/** Runs the replay from the program directory `cwd` (the inputs' paths are relative to it); returns the digest the provider would report. */
export function replay(inputs: BuildxImageInputs, cwd: string, extraEnv: Record<string, string> = {}): { digest: string; log: string; seconds: number } {
    const metadata = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-replay-")), "metadata.json");
    const { argv, env } = replayArgv(inputs, metadata);
    const start = process.hrtime.bigint();
    const r = spawnSync(DOCKER, argv, { cwd, encoding: "utf8", env: { ...process.env, ...env, ...extraEnv }, maxBuffer: 256 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const log = r.stderr + r.stdout;
    if (r.status !== 0) throw Object.assign(new Error(`the replayed build failed (exit ${r.status}):\n${log.slice(-3000)}`), { log });
    return { digest: metadataDigest(metadata), log, seconds };
}

/** {@link replay} without blocking the event loop, so several replays run at once on one builder, as the engine runs independent resources. */
export function replayAsync(inputs: BuildxImageInputs, cwd: string, extraEnv: Record<string, string> = {}): Promise<{ digest: string; log: string; seconds: number }> {
    const metadata = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-replay-")), "metadata.json");
    const { argv, env } = replayArgv(inputs, metadata);
    const start = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
        const child = spawn(DOCKER, argv, { cwd, env: { ...process.env, ...env, ...extraEnv } });
        let log = "";
        child.stdout.setEncoding("utf8").on("data", (s: string) => (log += s));
        child.stderr.setEncoding("utf8").on("data", (s: string) => (log += s));
        child.on("error", reject);
        child.on("close", (status) => {
            const seconds = Number(process.hrtime.bigint() - start) / 1e9;
            if (status !== 0) return reject(Object.assign(new Error(`the replayed build failed (exit ${status}):\n${log.slice(-3000)}`), { log }));
            resolve({ digest: metadataDigest(metadata), log, seconds });
        });
    });
}
