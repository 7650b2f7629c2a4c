import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn } from "child_process";
import { byName } from "../order";
import { failedStep } from "./build-log";
import { ImageBuildInputs } from "./build-inputs";
import { ImageRef, imageRefFrom } from "./image-ref";

/** How to reach the local Docker engine. */
export interface EngineOptions {
    /**
     * The docker client binary. It must build with BuildKit (`DOCKER_BUILDKIT=1`): Docker 20.10+,
     * or a newer client with buildx.
     * @default - `$GO_SERVICE_IMAGE_DOCKER`, else `docker`.
     */
    readonly docker?: string;
    /** Where the client's progress goes as it comes (a person at a terminal wants it live). @default - nowhere */
    readonly progress?: (chunk: string) => void;
    /**
     * BuildKit secrets by id → file, e.g. `{ netrc: "~/.netrc" }` for private modules. They are
     * mounted only for the step that uses them and never stored in the image.
     */
    readonly secrets?: Readonly<Record<string, string>>;
}

/** Raised when the engine cannot be used or a docker command fails; the message says which, why and what fixes it. */
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
    argv.push("--platform", inputs.platform);
    for (const [k, v] of Object.entries(inputs.args).sort(byName)) argv.push("--build-arg", `${k}=${v}`);
    argv.push("-f", inputs.dockerfile, "-t", imageName, inputs.context);
    return argv;
}

function client(options: EngineOptions): string {
    return options.docker ?? process.env.GO_SERVICE_IMAGE_DOCKER ?? "docker";
}

interface Result {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs the client, streaming its output to `progress` as it comes and keeping it for messages. */
export function run(options: EngineOptions, argv: string[], stream = false): Promise<Result> {
    return new Promise((resolve, reject) => {
        const child = spawn(client(options), argv, { env: { ...process.env, DOCKER_BUILDKIT: "1" }, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (s: string) => {
            stdout += s;
            if (stream) options.progress?.(s);
        });
        child.stderr.setEncoding("utf8").on("data", (s: string) => {
            stderr += s;
            if (stream) options.progress?.(s);
        });
        child.on("error", (e: NodeJS.ErrnoException) =>
            reject(new EngineError(`cannot run the docker client ${JSON.stringify(client(options))} (${e.code}): install it or set GO_SERVICE_IMAGE_DOCKER (or --docker) to its path.`)));
        child.on("close", (status) => resolve({ status: status ?? 1, stdout, stderr }));
    });
}

/** What fixes a failure the engine reports in words of its own. */
export function hint(output: string, options: EngineOptions): string {
    if (/buildx component is missing|buildx.*not installed/i.test(output)) {
        return ` The docker client ${JSON.stringify(client(options))} has BuildKit on but no buildx plugin: install the buildx plugin (docker-buildx), or point --docker (GO_SERVICE_IMAGE_DOCKER) at a client with BuildKit built in, such as Docker 20.10's.`;
    }
    if (/network bridge not found/i.test(output)) {
        return ` The engine has no default bridge network (dockerd --bridge=none): build with --network host (in GoServiceImage: network: "host").`;
    }
    return "";
}

/**
 * The error of a failed build: what failed, the fix for a failure the engine words its own way,
 * and the failing step's own last lines (the compiler's file:line errors, then the generated
 * Dockerfile's one line naming the service and the step), else the output's last lines.
 */
export function buildFailed(what: string, r: Result, options: EngineOptions): EngineError {
    const output = r.stderr + r.stdout;
    const step = failedStep(output);
    if (step && step.lines.length > 0) {
        return new EngineError(`${what} failed (exit ${r.status}) in the step ${step.title}:${hint(output, options)}\n${step.lines.join("\n")}`, output);
    }
    const tail = output.trim().split("\n").slice(-8).join("\n");
    return new EngineError(`${what} failed (exit ${r.status}).${hint(output, options)}${tail ? `\n${tail}` : ""}`, output);
}

/** Fails with a clear message when no engine answers; returns the engine's version. */
export async function checkEngine(options: EngineOptions = {}): Promise<string> {
    const r = await run(options, ["version", "--format", "{{.Server.Version}}"]);
    if (r.status !== 0) {
        throw new EngineError(`the Docker engine is not running or not reachable (${(r.stderr || r.stdout).trim().split("\n").pop()}): start dockerd, or set DOCKER_HOST.`, r.stderr);
    }
    return r.stdout.trim();
}

/** Runs `fn` with the path of a file the docker client may write, in a directory removed afterwards, whatever happens. */
export async function withScratchFile<T>(name: string, fn: (file: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-scratch-"));
    try {
        return await fn(path.join(dir, name));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Builds the image with the local engine; returns its image id and the build log. */
export function engineBuild(inputs: ImageBuildInputs, imageName: string, options: EngineOptions = {}): Promise<{ id: string; log: string }> {
    // The image id comes from --iidfile and the engine is asked about only when the build fails:
    // two client round trips fewer on every rebuild.
    return withScratchFile("id", async (iidfile) => {
        const r = await run(options, ["build", "--iidfile", iidfile, ...dockerBuildArgv(inputs, imageName, options.secrets).slice(1)], true);
        if (r.status !== 0) {
            await checkEngine(options);
            throw buildFailed(`docker build of ${imageName}`, r, options);
        }
        return { id: fs.readFileSync(iidfile, "utf8").trim(), log: r.stderr };
    });
}

/**
 * Pushes `repository:tag` and returns the by-digest reference the registry reports, the way
 * `@pulumi/docker` reads it (the engine's RepoDigests after the push), checked by
 * {@link imageRefFrom}. A failed push never yields a digest. Progress streams as it comes.
 */
export async function enginePush(name: string, repository: string, tag: string, options: EngineOptions = {}): Promise<ImageRef> {
    const imageName = `${repository}:${tag}`;
    const r = await run(options, ["push", imageName], true);
    if (r.status !== 0) {
        const why = (r.stderr.trim() || r.stdout.trim()).split("\n").pop() || "no reason given";
        throw new EngineError(`docker push of ${imageName} failed (exit ${r.status}): ${why}. Check that the registry is reachable and the credentials (docker login) are right.`, r.stderr);
    }
    const digests = (await inspect(options, imageName, "{{range .RepoDigests}}{{println .}}{{end}}")).split("\n").filter(Boolean);
    const mine = digests.find((d) => d.startsWith(`${repository}@`)) ?? digests[0];
    return imageRefFrom(name, repository, mine) as ImageRef;
}

async function inspect(options: EngineOptions, imageName: string, format: string): Promise<string> {
    const r = await run(options, ["image", "inspect", "--format", format, imageName]);
    if (r.status !== 0) throw new EngineError(`docker image inspect ${imageName} failed: ${r.stderr.trim()}`, r.stderr);
    return r.stdout.trim();
}
