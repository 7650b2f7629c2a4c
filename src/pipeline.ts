import * as path from "path";
import { Plan } from "./plan";
import { ImageBuildInputs } from "./image/build-inputs";
import { contentTag } from "./image/content-tag";
import { byName } from "./order";
import { renderDockerignore } from "./render/dockerignore";
import { dockerfileModel } from "./render/dockerfile/instructions";
import { renderDockerfile } from "./render/dockerfile/text";
import { resolve, ResolveRequest } from "./resolve";
import { writeFilesIfChanged } from "./write";
import { portablePath } from "./resolve/files";

/** A resolved service with its generated texts, its tag and what the engine is given. */
export interface Prepared {
    readonly plan: Plan;
    readonly dockerfile: string;
    readonly dockerignore: string;
    readonly workflow?: string;
    /** The scheduled vulnerability scan's workflow (with govulncheck), with the workflow. */
    readonly scan?: string;
    /** The Dependabot configuration of the service's repository, with the workflow. */
    readonly dependabot?: string;
    /** `content-<16 hex>`: changes exactly when the build's inputs do. */
    readonly tag: string;
    /** The version stamped into the binary: the `version` setting, or the tag. */
    readonly version: string;
    /** The `build` block of `@pulumi/docker`'s Image, and of the CLI's build. */
    readonly build: ImageBuildInputs;
    /** The files to write, as [path relative to the working directory, content]. */
    readonly writes: ReadonlyArray<readonly [string, string]>;
}

/**
 * The workflow's renderers, loaded on first use: they load the YAML library, a third of the CLI's
 * start-up, which a build without a workflow does not need.
 */
function workflowRenderers(): typeof import("./render/workflow") {
    return require("./render/workflow") as typeof import("./render/workflow");
}

/**
 * The one pipeline behind the component, the CLI, the tests and the benchmarks: resolve (the only
 * validator, which throws once) → render (pure) → content tag. Nothing is written or registered
 * here; on success the plan's claims are committed for the rest of the process.
 */
export function prepare(request: ResolveRequest): Prepared {
    const plan = resolve(request);
    const { image, files } = plan;
    const dockerfile = renderDockerfile(dockerfileModel(image));
    const dockerignore = renderDockerignore(image);
    const { workflow, scan, dependabot } = plan.workflow ? workflowRenderers().render(plan.workflow) : { workflow: undefined, scan: undefined, dependabot: undefined };
    const args = new Map<string, string>(image.buildArgs);
    args.set("SOURCE_DATE_EPOCH", String(image.sourceDateEpoch));
    if (image.revision !== undefined) args.set("REVISION", image.revision);
    if (image.version !== undefined) args.set("VERSION", image.version);
    const sorted = () => [...args.entries()].sort(byName);
    // The tag covers an explicit version; a defaulted version is the tag itself.
    const tag = contentTag(plan.name, plan.contextFiles, {
        dockerfile,
        dockerignore,
        buildArgs: sorted(),
        // Several platforms build one index: all of them are part of what the tag names.
        platform: plan.buildx?.platforms.join(",") ?? image.platform,
    });
    const version = image.version ?? tag;
    args.set("VERSION", version);
    const cwd = path.resolve(request.cwd ?? process.cwd());
    const writes: Array<[string, string]> = [[files.dockerfile, dockerfile], [files.dockerignore, dockerignore]];
    if (files.workflow && workflow) writes.push([files.workflow, workflow]);
    if (files.scan && scan) writes.push([files.scan, scan]);
    plan.claim();
    return {
        plan,
        dockerfile,
        dockerignore,
        workflow,
        scan,
        dependabot,
        tag,
        version,
        build: {
            context: portablePath(image.contextDir, cwd),
            dockerfile: files.dockerfile,
            args: Object.fromEntries(sorted()),
            platform: image.platform,
            network: plan.deployment.network,
            builderVersion: "BuilderBuildKit",
        },
        writes,
    };
}

/** Writes the generated files (only those whose content changed), all or none. Returns the paths written. */
export function writeGenerated(prepared: Prepared, cwd: string = process.cwd()): string[] {
    return writeFilesIfChanged(prepared.plan.name, prepared.writes.map(([file, content]) => [path.resolve(cwd, file), content] as const));
}
