import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as dockerbuild from "@pulumi/docker-build";
import { GoServiceImageArgs } from "./args";
import { GitHubResources, provisionGitHub } from "./github/provision";
import { imageRefFrom } from "./image/image-ref";
import { providerImage } from "./image/provider-image";
import { prepare, writeGenerated } from "./pipeline";
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
    /** The workflow's job names: the status checks a branch protection should require. */
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
        const prepared = prepare({ name, args, purpose: "component" });
        writeGenerated(prepared);
        super("pulumi-go-service-image:index:GoServiceImage", name, {}, opts);

        const { plan } = prepared;
        const repository = pulumi.output(args.repository);
        const registry = args.registry;
        const image = providerImage(name, prepared, repository, registry, this);
        const children: { image: docker.Image | dockerbuild.Image; github?: GitHubResources } = { image: image.resource };
        CHILDREN.set(this, children);

        if (plan.github && plan.workflow && prepared.workflow && prepared.dependabot) {
            children.github = provisionGitHub(
                this,
                name,
                plan.github,
                plan.workflow,
                { workflow: prepared.workflow, dockerfile: prepared.dockerfile, dockerignore: prepared.dockerignore, dependabot: prepared.dependabot },
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
        const ref = pulumi.all([repository, image.repoDigest]).apply(([repo, repoDigest]) => {
            const r = preview ? undefined : imageRefFrom(name, repo, repoDigest);
            // A preview that built without pushing has no pushed digest: unknown, as without buildOnPreview.
            return r ? pulumi.output(r) : pulumi.output(pulumi.unknown as unknown as { imageRef: string; digest: string });
        });
        this.imageRef = ref.imageRef;
        this.digest = ref.digest;
        this.imageName = image.imageName;
        this.tag = pulumi.output(prepared.tag);
        this.version = pulumi.output(prepared.version);
        this.platform = pulumi.output(plan.image.platform);
        this.platforms = pulumi.output([...(plan.buildx?.platforms ?? [plan.image.platform])]);
        this.dockerfile = pulumi.output(prepared.dockerfile);
        this.dockerignore = pulumi.output(prepared.dockerignore);
        this.dockerfilePath = pulumi.output(plan.files.dockerfile);
        this.workflow = pulumi.output(prepared.workflow);
        this.workflowPath = pulumi.output(plan.workflow?.path);
        this.statusChecks = pulumi.output(plan.workflow ? [plan.workflow.checks.test, plan.workflow.checks.image] : []);
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
