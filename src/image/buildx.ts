import * as crypto from "crypto";
import * as fs from "fs";
import { BuildxOptions } from "../args";
import { byName } from "../order";
import { ImageBuildInputs } from "./build-inputs";
import { buildFailed, EngineError, EngineOptions, hint, run, withScratchFile } from "./engine";
import { ImageRef, imageRefFrom } from "./image-ref";

/**
 * The buildx builder to use: a name as given, or for a BuildKit endpoint (`tcp://…`, `unix://…`) a
 * remote-driver builder made for it once (named after the endpoint), so builds can run on a
 * BuildKit elsewhere: a shared daemon, a Kubernetes service, a bigger machine.
 */
async function builderFor(options: EngineOptions, builder: string | undefined): Promise<string | undefined> {
    if (builder === undefined || !builder.includes("://")) return builder;
    const name = `gsi-${crypto.createHash("sha256").update(builder).digest("hex").slice(0, 12)}`;
    if ((await run(options, ["buildx", "inspect", name])).status === 0) return name;
    const r = await run(options, ["buildx", "create", "--name", name, "--driver", "remote", builder]);
    if (r.status !== 0) {
        throw new EngineError(`docker buildx create for ${builder} failed: ${(r.stderr || r.stdout).trim().split("\n").pop()}.${hint(r.stderr + r.stdout, options) || " The client needs the buildx plugin."}`, r.stderr);
    }
    return name;
}

/** The `docker buildx build` arguments: the component's build inputs plus builder, platforms, caches and the output. */
export function buildxArgv(inputs: ImageBuildInputs, imageName: string, buildx: BuildxOptions, push: boolean, metadataFile: string, secrets: Readonly<Record<string, string>> = {}): string[] {
    const argv = ["buildx", "build", "--progress", "plain"];
    for (const [id, file] of Object.entries(secrets).sort(byName)) argv.push("--secret", `id=${id},src=${file}`);
    if (inputs.network) argv.push("--network", inputs.network);
    argv.push("--platform", (buildx.platforms ?? [inputs.platform]).join(","));
    for (const [k, v] of Object.entries(inputs.args).sort(byName)) argv.push("--build-arg", `${k}=${v}`);
    for (const c of buildx.cacheFrom ?? []) argv.push("--cache-from", c);
    for (const c of buildx.cacheTo ?? []) argv.push("--cache-to", c);
    // No attestations: a provenance attestation records build times, so identical builds would differ.
    // No rewrite-timestamp: the generated Dockerfile already gives every runtime file SOURCE_DATE_EPOCH,
    // so the CLI pushes exactly what the component's @pulumi/docker-build Image pushes (which has no such option).
    argv.push("--provenance=false", "--sbom=false", "--metadata-file", metadataFile);
    argv.push("--output", push ? `type=image,name=${imageName},push=true` : "type=docker");
    if (!push) argv.push("--tag", imageName);
    argv.push("-f", inputs.dockerfile, inputs.context);
    return argv;
}

/**
 * Builds with buildx (and pushes, with `push`); returns the pushed image, or index, by digest
 * (`repo@sha256:…`, read from buildx's metadata), or undefined without `push`.
 */
export async function buildxBuild(name: string, inputs: ImageBuildInputs, repository: string, tag: string, buildx: BuildxOptions, push: boolean, options: EngineOptions): Promise<ImageRef | undefined> {
    const builder = await builderFor(options, buildx.builder);
    return withScratchFile("metadata.json", async (metadata) => {
        const argv = buildxArgv(inputs, `${repository}:${tag}`, buildx, push, metadata, options.secrets);
        if (builder) argv.splice(2, 0, "--builder", builder);
        const r = await run(options, argv, true);
        if (r.status !== 0) throw buildFailed(`docker buildx build of ${repository}:${tag}`, r, options);
        if (!push) return undefined;
        const digest = (JSON.parse(fs.readFileSync(metadata, "utf8")) as Record<string, unknown>)["containerimage.digest"];
        return imageRefFrom(name, repository, `${repository}@${String(digest)}`);
    });
}
