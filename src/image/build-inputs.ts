import { NetworkMode } from "../args";

/**
 * The `build` block GoServiceImage gives `@pulumi/docker`'s Image. The CLI's `build` hands the
 * same values to the local engine, so what it proves is what the provider is given.
 */
export interface ImageBuildInputs {
    /** The module directory, relative to the working directory. */
    readonly context: string;
    /** The generated Dockerfile, relative to the working directory. */
    readonly dockerfile: string;
    /** Sorted by name. */
    readonly args: Readonly<Record<string, string>>;
    /** Always set: without it the provider picks the machine's architecture and warns on every run. */
    readonly platform: string;
    readonly network?: NetworkMode;
    /** RUN --mount needs BuildKit. */
    readonly builderVersion: "BuilderBuildKit";
}
