/**
 * The registry cache the generated publish job writes beside the image, `<repository>:buildcache`,
 * and the component's buildx build reads: with it, `pulumi up` on a fresh runner finds every step
 * of the build CI published (same Dockerfile, same build args) and compiles and fetches nothing.
 */
export const CI_CACHE_TAG = "buildcache";

/** The cache import of {@link CI_CACHE_TAG}: a missing cache is a warning, never a failed build. */
export function ciCacheFrom(repository: string): string {
    return `type=registry,ref=${repository}:${CI_CACHE_TAG}`;
}

/**
 * The cache export: every stage's layers (`mode=max`), stored as an image manifest with OCI media
 * types, the form every registry takes (ECR refuses BuildKit's own cache manifest list).
 * @see https://docs.docker.com/build/cache/backends/registry/
 */
export function ciCacheTo(repository: string): string {
    return `${ciCacheFrom(repository)},mode=max,image-manifest=true,oci-mediatypes=true`;
}
