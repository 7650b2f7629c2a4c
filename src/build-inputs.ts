import { portablePath } from "./files";
import { BuildSpec } from "./spec";

/** Network modes a build's RUN steps may use. */
export type NetworkMode = "default" | "host" | "none";

/**
 * The `build` block GoServiceImage gives `@pulumi/docker`'s Image. The `build` command hands the
 * same values to the local engine, so what it proves is what the provider is given.
 */
export interface ImageBuildInputs {
    /** The module directory, relative to the working directory. */
    readonly context: string;
    /** The generated Dockerfile, relative to the working directory. */
    readonly dockerfile: string;
    readonly args: Readonly<Record<string, string>>;
    readonly platform?: string;
    readonly network?: NetworkMode;
    /** RUN --mount needs BuildKit. */
    readonly builderVersion: "BuilderBuildKit";
}

export function imageBuildInputs(context: string, dockerfilePath: string, spec: BuildSpec, network?: NetworkMode): ImageBuildInputs {
    return {
        context: portablePath(context),
        dockerfile: dockerfilePath,
        args: spec.buildArgs,
        platform: spec.platform,
        network,
        builderVersion: "BuilderBuildKit",
    };
}
