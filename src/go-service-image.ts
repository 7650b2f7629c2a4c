import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as dockerbuild from "@pulumi/docker-build";
import { GoServiceImageArgs } from "./args";
import { GitHubResources, provisionGitHub } from "./github/provision";
import { loadGitHub } from "./github/load";
import { deployNote } from "./image/deploy-note";
import { imageRefFrom } from "./image/image-ref";
import { publishedDigest } from "./image/published";
import { providerImage } from "./image/provider-image";
import { lateArgs, unfoldArgs } from "./late-args";
import { prepare, Prepared, writeGenerated } from "./pipeline";
import { registryHost } from "./reference";

/**
 * The child resources, kept beside the component rather than as properties: the package schema
 * (inferred from this class for Python, Go, YAML and C#) describes plain outputs only, and a
 * property typed as one of two resource classes has no schema type.
 */
const CHILDREN = new WeakMap<GoServiceImage, { image: docker.Image | dockerbuild.Image; github?: GitHubResources }>();

/**
 * A Go service built into a small, non-root image from a generated multi-stage Dockerfile,
 * pushed to a registry and exposed by digest.
 *
 * Build-shaping settings are plain values: the Dockerfile is generated and written when the
 * program runs, also on `pulumi preview`, and the image tag is derived from the content of the
 * build, so an unchanged service shows no diff. Bad input throws a {@link GoServiceImageError}
 * listing every problem, before any resource is registered or any file written.
 */
export class GoServiceImage extends pulumi.ComponentResource {
    /** The pushed image by digest, `repository@sha256:…`: use this in deployments. Unknown in previews. */
    public readonly imageRef: pulumi.Output<string>;
    /** The manifest digest, `sha256:…`. Unknown in previews. */
    public readonly digest: pulumi.Output<string>;
    /** The pushed image with its content tag, `repository:content-…`. */
    public readonly imageName: pulumi.Output<string>;
    /** The content tag, `content-<16 hex>`. */
    public readonly tag: pulumi.Output<string>;
    /** The version stamped into the binary and the image label. */
    public readonly version: pulumi.Output<string>;
    /** The target platform the image is built for (the first of `platforms`). */
    public readonly platform: pulumi.Output<string>;
    /** Every platform of the image: one, or several in one image index (`buildx.platforms`). */
    public readonly platforms: pulumi.Output<string[]>;
    /** The generated Dockerfile text. */
    public readonly dockerfile: pulumi.Output<string>;
    /** The generated allow-list, `Dockerfile.dockerignore`, beside the Dockerfile. */
    public readonly dockerignore: pulumi.Output<string>;
    /** Where the Dockerfile was written, relative to the program directory. */
    public readonly dockerfilePath: pulumi.Output<string>;
    /** The generated workflow text, when `github` is set. */
    public readonly workflow: pulumi.Output<string | undefined>;
    /** Where the workflow lives in the repository, e.g. `.github/workflows/api.yml`, when `github` is set. */
    public readonly workflowPath: pulumi.Output<string | undefined>;
    /** The one status check a branch protection should require: the workflow's gate, `<name>-checks`. */
    public readonly statusChecks: pulumi.Output<string[]>;
    /** The image resource that builds and pushes: `@pulumi/docker`'s Image, or `@pulumi/docker-build`'s with `buildx`. */
    get image(): docker.Image | dockerbuild.Image {
        return CHILDREN.get(this)!.image;
    }
    /** The GitHub resources, when `github` is set. */
    get github(): GitHubResources | undefined {
        return CHILDREN.get(this)!.github;
    }

    constructor(name: string, args: GoServiceImageArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything that can fail is done before super(): bad input registers and writes nothing,
        // and a file that cannot be written registers nothing either.
        // @pulumi/github is an optional peer dependency: without it, 'github' fails here, first.
        if (args?.github !== undefined) loadGitHub(name, "GoServiceImage");
        const late = lateArgs(args);
        const prepared = late.length === 0 ? prepareAndWrite(name, args) : undefined;
        super("pulumi-go-service-image:index:GoServiceImage", name, {}, opts);

        // From another language a nested argument may arrive as one Output (src/late-args.ts): then
        // resolve runs once its plain parts are known, and a bad input fails the component's
        // registration instead of preceding it.
        const outputs = prepared
            ? pulumi.output(registerChildren(this, name, prepared, args))
            : pulumi.output(unfoldArgs(args).then((unfolded) => registerChildren(this, name, prepareAndWrite(name, unfolded), unfolded)));
        this.imageRef = outputs.imageRef;
        this.digest = outputs.digest;
        this.imageName = outputs.imageName;
        this.tag = outputs.tag;
        this.version = outputs.version;
        this.platform = outputs.platform;
        this.platforms = outputs.platforms;
        this.dockerfile = outputs.dockerfile;
        this.dockerignore = outputs.dockerignore;
        this.dockerfilePath = outputs.dockerfilePath;
        this.workflow = outputs.workflow;
        this.workflowPath = outputs.workflowPath;
        this.statusChecks = outputs.statusChecks;
        this.registerOutputs({
            imageRef: this.imageRef,
            digest: this.digest,
            imageName: this.imageName,
            tag: this.tag,
            version: this.version,
            platform: this.platform,
            platforms: this.platforms,
            dockerfile: this.dockerfile,
            dockerignore: this.dockerignore,
            dockerfilePath: this.dockerfilePath,
            workflow: this.workflow,
            workflowPath: this.workflowPath,
            statusChecks: this.statusChecks,
        });
    }
}

/** The component's outputs, as registered. */
interface Outputs {
    imageRef: pulumi.Output<string>;
    digest: pulumi.Output<string>;
    imageName: pulumi.Output<string>;
    tag: string;
    version: string;
    platform: string;
    platforms: string[];
    dockerfile: string;
    dockerignore: string;
    dockerfilePath: string;
    workflow: string | undefined;
    workflowPath: string | undefined;
    statusChecks: string[];
}

function prepareAndWrite(name: string, args: GoServiceImageArgs): Prepared {
    const prepared = prepare({ name, args, purpose: "component" });
    writeGenerated(prepared);
    return prepared;
}

/** Logs, in a preview, whether up deploys the digest CI published (src/image/deploy-note.ts); asks the registry with buildx only. */
function sayWhatUpDoes(parent: GoServiceImage, prepared: Prepared, repository: pulumi.Output<string>, registry: GoServiceImageArgs["registry"]): void {
    pulumi.all([repository, registry?.username, registry?.password]).apply(async ([repo, username, password]) => {
        const published = prepared.plan.buildx ? await publishedDigest(repo, prepared.tag, { username, password }) : "docker engine";
        await pulumi.log.info(deployNote(`${repo}:${prepared.tag}`, published), parent);
    });
}

/** Registers the image (and the GitHub resources) under the component; returns its outputs. */
function registerChildren(parent: GoServiceImage, name: string, prepared: Prepared, args: GoServiceImageArgs): Outputs {
    const { plan } = prepared;
    const repository = pulumi.output(args.repository);
    const registry = args.registry;
    const image = providerImage(name, prepared, repository, registry, parent);
    const children: { image: docker.Image | dockerbuild.Image; github?: GitHubResources } = { image: image.resource };
    CHILDREN.set(parent, children);

    if (plan.github && plan.workflow && prepared.workflow && prepared.dependabot) {
        children.github = provisionGitHub(
            parent,
            name,
            plan.github,
            plan.workflow,
            { workflow: prepared.workflow, scan: prepared.scan, dockerfile: prepared.dockerfile, dockerignore: prepared.dockerignore, dependabot: prepared.dependabot },
            {
                repository,
                server: registry?.server !== undefined ? pulumi.output(registry.server) : repository.apply(registryHost),
                username: registry?.username,
                password: registry?.password,
            },
        );
    }

    // A preview pushes nothing: whatever digest an engine reports then names no pushed image.
    const preview = pulumi.runtime.isDryRun();
    // With a workflow that publishes, a preview says whether up deploys what CI published.
    if (preview && plan.workflow) sayWhatUpDoes(parent, prepared, repository, registry);
    const ref = pulumi.all([repository, image.repoDigest]).apply(([repo, repoDigest]) => {
        const r = preview ? undefined : imageRefFrom(name, repo, repoDigest);
        // A preview that built without pushing has no pushed digest: unknown, as without buildOnPreview.
        return r ? pulumi.output(r) : pulumi.output(pulumi.unknown as unknown as { imageRef: string; digest: string });
    });
    return {
        imageRef: ref.imageRef,
        digest: ref.digest,
        imageName: image.imageName,
        tag: prepared.tag,
        version: prepared.version,
        platform: plan.image.platform,
        platforms: [...(plan.buildx?.platforms ?? [plan.image.platform])],
        dockerfile: prepared.dockerfile,
        dockerignore: prepared.dockerignore,
        dockerfilePath: plan.files.dockerfile,
        workflow: prepared.workflow,
        workflowPath: plan.workflow?.path,
        statusChecks: plan.workflow ? [plan.workflow.checks.required] : [],
    };
}
