import * as pulumi from "@pulumi/pulumi";
import { GitHubArgs, NetworkMode, RegistryArgs } from "../args";
import { ContextFile, ImagePlan } from "./image";
import { WorkflowPlan } from "./workflow";

export { ContextFile, GoModule, ImagePlan, RuntimePlan } from "./image";
export { WorkflowPlan } from "./workflow";

/** Where the generated files go, as paths relative to the working directory (slash-separated). */
export interface FilePlan {
    /** The generated Dockerfile. */
    readonly dockerfile: string;
    /** The allow-list beside the Dockerfile, `Dockerfile.dockerignore`. */
    readonly dockerignore: string;
    /** The generated workflow (the `render` command only; the component commits it to GitHub). */
    readonly workflow?: string;
    /** The scheduled scan's workflow, beside it (the `render` command only). */
    readonly scan?: string;
}

/** How the image is pushed: deployment values, which may be Outputs. */
export interface DeploymentPlan {
    readonly repository?: pulumi.Input<string>;
    readonly registry?: RegistryArgs;
    readonly network?: NetworkMode;
    readonly buildOnPreview: boolean;
    /** Whether a delete of the image resource may delete the pushed image (else it is retained). */
    readonly deletePushedImage: boolean;
    /** At most this many images build at a time on one engine; undefined: no bound. */
    readonly maxParallelBuilds?: number;
}

/** The buildx engine's settings, validated, with the defaults filled in. */
export interface BuildxPlan {
    /** One or more; several build one image index. */
    readonly platforms: readonly string[];
    readonly cacheFrom: ReadonlyArray<pulumi.Input<string>>;
    readonly cacheTo: ReadonlyArray<pulumi.Input<string>>;
    readonly builder?: string;
    /** The component's netrc secret (the CLI's comes from a file). */
    readonly netrc?: pulumi.Input<string>;
}

/** The GitHub part: the workflow plan plus where its files and variables go. */
export interface GitHubPlan {
    readonly args: GitHubArgs;
    readonly branch: string;
    readonly manageSecrets: boolean;
    /** `https://github.com/<owner>/<repository>` when the owner is known: the image's default source label. */
    readonly sourceUrl?: string;
}

/**
 * Everything `resolve` produces: validated, every default filled in, every file placed and every
 * claim checked. What follows it (rendering, hashing, writing, registering) does not validate.
 */
export interface Plan {
    readonly name: string;
    readonly image: ImagePlan;
    /** The files Docker sends, as the ignore patterns in force select them. */
    readonly contextFiles: readonly ContextFile[];
    readonly files: FilePlan;
    readonly deployment: DeploymentPlan;
    readonly workflow?: WorkflowPlan;
    readonly github?: GitHubPlan;
    /** The buildx engine's settings, when the service builds with buildx. */
    readonly buildx?: BuildxPlan;
    /** Commits this plan's claims (paths, GitHub names) so later services in the process see them. */
    readonly claim: () => void;
}
