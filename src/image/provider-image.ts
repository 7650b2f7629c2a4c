import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as dockerbuild from "@pulumi/docker-build";
import { RegistryArgs } from "../args";
import { Prepared } from "../pipeline";
import { ciCacheFrom } from "../ci-cache";
import { engineOf, Lanes } from "./lanes";
import { registryHost } from "../reference";

/** The image resource of one of the two engines, and what it reports as pushed (`repo@sha256:…`). */
export interface ProviderImage {
    readonly resource: docker.Image | dockerbuild.Image;
    readonly imageName: pulumi.Output<string>;
    /** What the provider reports as pushed, to be checked by imageRefFrom; may name nothing pushed in a preview. */
    readonly repoDigest: pulumi.Output<string | undefined>;
}

const secret = (value: pulumi.Input<string> | undefined) => (value === undefined ? undefined : pulumi.secret(value));

/**
 * The image child's options. `retainOnDelete` unless `deletePushedImage`: the engine then never
 * calls the provider's delete (destroy, rename, reparent, the delete half of a replace), so a
 * pushed digest that another stack or the replacement still runs stays in the registry. Set here,
 * not inherited, so it holds whatever the component's own options say.
 */
function childOptions(prepared: Prepared, parent: pulumi.Resource, waitFor: pulumi.Resource | undefined): pulumi.CustomResourceOptions {
    return { parent, retainOnDelete: !prepared.plan.deployment.deletePushedImage, ...(waitFor ? { dependsOn: [waitFor] } : {}) };
}

/** Every image of the program, per engine: what bounds the builds at a time (src/image/lanes.ts). */
const LANES = new Lanes<ProviderImage>();

/** `@pulumi/docker`'s Image: the default engine, one platform, the local engine's BuildKit. */
function dockerImage(name: string, prepared: Prepared, repository: pulumi.Output<string>, registry: RegistryArgs | undefined, parent: pulumi.Resource, waitFor?: pulumi.Resource): ProviderImage {
    const image = new docker.Image(
        name,
        {
            imageName: pulumi.interpolate`${repository}:${prepared.tag}`,
            build: prepared.build,
            buildOnPreview: prepared.plan.deployment.buildOnPreview,
            registry: registry && { server: registry.server, username: registry.username, password: secret(registry.password) },
        },
        childOptions(prepared, parent, waitFor),
    );
    return { resource: image, imageName: image.imageName, repoDigest: image.repoDigest };
}

/**
 * `@pulumi/docker-build`'s Image: buildx as a library, so several platforms (one index), registry
 * caches, build secrets and any buildx builder. Given exactly what the CLI's buildx build is given:
 * the same context, Dockerfile, build args and platforms, pushed under the content tag.
 */
function buildxImage(name: string, prepared: Prepared, repository: pulumi.Output<string>, registry: RegistryArgs | undefined, parent: pulumi.Resource, waitFor?: pulumi.Resource): ProviderImage {
    const { build, plan } = prepared;
    const buildx = plan.buildx!;
    const tag = pulumi.interpolate`${repository}:${prepared.tag}`;
    const image = new dockerbuild.Image(
        name,
        {
            tags: [tag],
            push: true,
            context: { location: build.context },
            dockerfile: { location: build.dockerfile },
            buildArgs: build.args,
            platforms: buildx.platforms as dockerbuild.Platform[],
            network: build.network as dockerbuild.NetworkMode | undefined,
            cacheFrom: cacheFrom(prepared, repository),
            cacheTo: buildx.cacheTo.length > 0 ? buildx.cacheTo.map((raw) => ({ raw })) : undefined,
            builder: buildx.builder === undefined ? undefined : { name: buildx.builder },
            secrets: buildx.netrc === undefined ? undefined : { netrc: secret(buildx.netrc)! },
            // A short-lived token in the netrc changes every run and changes no byte of the image
            // (the content tag covers what the build reads): no diff, no rebuild.
            ignoreSecretsInDiffCalculation: buildx.netrc === undefined ? undefined : ["netrc"],
            registries: registry && [{
                address: registry.server ?? repository.apply(registryHost),
                username: registry.username,
                password: secret(registry.password),
            }],
            // The provider builds on preview unless told not to: the library's default (false) holds for both engines.
            buildOnPreview: plan.deployment.buildOnPreview,
        },
        childOptions(prepared, parent, waitFor),
    );
    return {
        resource: image,
        imageName: tag,
        repoDigest: pulumi.all([repository, image.digest]).apply(([repo, digest]) => (digest ? `${repo}@${digest}` : undefined)),
    };
}

/**
 * The caches the build reads: the ones given, then with `github` the registry cache the publish job
 * writes (src/ci-cache.ts), so pulumi up of what CI published compiles and fetches nothing.
 */
function cacheFrom(prepared: Prepared, repository: pulumi.Output<string>): Array<{ raw: pulumi.Input<string> }> | undefined {
    const given = prepared.plan.buildx!.cacheFrom;
    const all: Array<pulumi.Input<string>> = prepared.plan.workflow ? [...given, repository.apply(ciCacheFrom)] : [...given];
    return all.length > 0 ? all.map((raw) => ({ raw })) : undefined;
}

/** Registers the image with the engine the args choose: buildx when `buildx` is set. */
export function providerImage(name: string, prepared: Prepared, repository: pulumi.Output<string>, registry: RegistryArgs | undefined, parent: pulumi.Resource): ProviderImage {
    const { buildx, deployment } = prepared.plan;
    return LANES.admit(engineOf(buildx), deployment.maxParallelBuilds, (waitFor) => (buildx ? buildxImage : dockerImage)(name, prepared, repository, registry, parent, waitFor?.resource));
}
