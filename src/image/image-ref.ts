/** A pushed image named by content: `repo@sha256:<64 hex>`, and its digest alone. */
export interface ImageRef {
    readonly imageRef: string;
    readonly digest: string;
}

const REPO_DIGEST = /^([^@\s]+)@(sha256:[a-f0-9]{64})$/;

/**
 * Builds the by-digest reference from what `@pulumi/docker` reports as `repoDigest`
 * (`<repository>@sha256:<hex>`). After an update it throws rather than pass on a missing, `<none>`
 * or malformed digest, so no downstream resource ever deploys an image that was not pushed. In a
 * preview it returns undefined instead: with `buildOnPreview` the provider builds without pushing
 * and reports the local image id (`sha256:…`, no repository), which names no pushed image.
 *
 * The repository part is always `repository`: the provider takes the first of the engine's
 * RepoDigests, which names another repository when the same image was also pushed elsewhere;
 * the manifest digest is the same in both, so it is rebased onto the repository we pushed to.
 */
export function imageRefFrom(resourceName: string, repository: string, repoDigest: string | undefined, preview = false): ImageRef | undefined {
    const m = REPO_DIGEST.exec(repoDigest ?? "");
    if (!m) {
        if (preview) return undefined;
        throw new Error(
            `GoServiceImage "${resourceName}": the registry did not report a usable digest for ${repository} ` +
                `(got ${JSON.stringify(repoDigest ?? null)}, expected "<repository>@sha256:<64 hex>"). ` +
                `The push may have failed or been skipped: check the registry credentials and the docker engine's log, then run \`pulumi up\` again.`,
        );
    }
    return { imageRef: `${repository}@${m[2]}`, digest: m[2] };
}
