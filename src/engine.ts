import { spawnSync, SpawnSyncReturns } from "child_process";
import { ImageBuildInputs } from "./build-inputs";
import { ImageRef, imageRefFrom } from "./image-ref";
import { byName } from "./order";

/** How to reach the local Docker engine. */
export interface EngineOptions {
    /**
     * The docker client binary. It must build with BuildKit (`DOCKER_BUILDKIT=1`): Docker 20.10+,
     * or a newer client with buildx.
     * @default - `$GO_SERVICE_IMAGE_DOCKER`, else `docker`.
     */
    readonly docker?: string;
    /** Where the client's output goes: its progress is useful to a person at a terminal. */
    readonly stdio?: "inherit" | "pipe";
    /**
     * BuildKit secrets by id → file, e.g. `{ netrc: "~/.netrc" }` for private modules. They are
     * mounted only for the step that uses them and never stored in the image.
     */
    readonly secrets?: Readonly<Record<string, string>>;
}

/** Raised when the engine cannot be used or a docker command fails; the message says which and why. */
export class EngineError extends Error {
    constructor(message: string, readonly output = "") {
        super(message);
        this.name = "EngineError";
    }
}

/**
 * The `docker build` arguments for the inputs GoServiceImage gives `@pulumi/docker`: the same
 * Dockerfile, context, build args (sorted), platform and network.
 */
export function dockerBuildArgv(inputs: ImageBuildInputs, imageName: string, secrets: Readonly<Record<string, string>> = {}): string[] {
    const argv = ["build"];
    for (const [id, file] of Object.entries(secrets).sort(byName)) argv.push("--secret", `id=${id},src=${file}`);
    if (inputs.network) argv.push("--network", inputs.network);
    if (inputs.platform) argv.push("--platform", inputs.platform);
    for (const [k, v] of Object.entries(inputs.args).sort(byName)) argv.push("--build-arg", `${k}=${v}`);
    argv.push("-f", inputs.dockerfile, "-t", imageName, inputs.context);
    return argv;
}

function client(options: EngineOptions): string {
    return options.docker ?? process.env.GO_SERVICE_IMAGE_DOCKER ?? "docker";
}

function run(options: EngineOptions, argv: string[], stdio: "inherit" | "pipe" = "pipe"): SpawnSyncReturns<string> {
    const r = spawnSync(client(options), argv, {
        encoding: "utf8",
        env: { ...process.env, DOCKER_BUILDKIT: "1" },
        // Progress goes to stderr: stdout is kept for the one line of result.
        stdio: stdio === "inherit" ? ["ignore", 2, 2] : "pipe",
        maxBuffer: 256 * 1024 * 1024,
    });
    if (r.error) {
        throw new EngineError(`cannot run the docker client ${JSON.stringify(client(options))} (${(r.error as NodeJS.ErrnoException).code}): install it or set GO_SERVICE_IMAGE_DOCKER to its path.`);
    }
    return r;
}

/** Fails with a clear message when no engine answers. */
export function checkEngine(options: EngineOptions = {}): string {
    const r = run(options, ["version", "--format", "{{.Server.Version}}"]);
    if (r.status !== 0) {
        throw new EngineError(`the Docker engine is not running or not reachable (${(r.stderr || r.stdout).trim().split("\n").pop()}): start dockerd, or set DOCKER_HOST.`, r.stderr);
    }
    return r.stdout.trim();
}

/** Builds the image with the local engine; returns its image id and, with stdio "pipe", the build log. */
export function engineBuild(inputs: ImageBuildInputs, imageName: string, options: EngineOptions = {}): { id: string; log: string } {
    checkEngine(options);
    const r = run(options, dockerBuildArgv(inputs, imageName, options.secrets), options.stdio ?? "pipe");
    if (r.status !== 0) {
        const tail = (r.stderr ?? "").trim().split("\n").slice(-8).join("\n");
        throw new EngineError(`docker build of ${imageName} failed (exit ${r.status})${tail ? `:\n${tail}` : "; its output is above"}`, r.stderr ?? "");
    }
    return { id: inspect(options, imageName, "{{.Id}}"), log: r.stderr ?? "" };
}

/**
 * Pushes `repository:tag` and returns the by-digest reference the registry reports, the way
 * `@pulumi/docker` reads it (the engine's RepoDigests after the push), checked by
 * {@link imageRefFrom}. A failed push never yields a digest.
 */
export function enginePush(name: string, repository: string, tag: string, options: EngineOptions = {}): ImageRef {
    const imageName = `${repository}:${tag}`;
    // Captured even for a person at a terminal (the push log is short), so a failure can say why.
    const r = run(options, ["push", imageName]);
    if (options.stdio === "inherit") process.stderr.write(r.stdout + r.stderr);
    if (r.status !== 0) {
        const why = (r.stderr.trim() || r.stdout.trim()).split("\n").pop() || "no reason given";
        throw new EngineError(`docker push of ${imageName} failed (exit ${r.status}): ${why}. Check that the registry is reachable and the credentials (docker login) are right.`, r.stderr);
    }
    const digests = inspect(options, imageName, "{{range .RepoDigests}}{{println .}}{{end}}").split("\n").filter(Boolean);
    const mine = digests.find((d) => d.startsWith(`${repository}@`)) ?? digests[0];
    return imageRefFrom(name, repository, mine);
}

function inspect(options: EngineOptions, imageName: string, format: string): string {
    const r = run(options, ["image", "inspect", "--format", format, imageName]);
    if (r.status !== 0) throw new EngineError(`docker image inspect ${imageName} failed: ${r.stderr.trim()}`, r.stderr);
    return r.stdout.trim();
}
