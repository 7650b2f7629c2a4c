import { Published } from "./published";

/**
 * What `pulumi up` will do with the image, as a preview says it: whether it deploys the build CI
 * published for this content, or builds one of its own. Pure: the registry's answer is given (with
 * buildx; the Docker engine path asks nothing).
 *
 * - buildx with `github`: the publish job pushed the content tag and its registry cache; if the
 *   tag is there, up rebuilds from that cache (every step a hit: nothing compiled, nothing
 *   fetched) and pushes the same bytes, so the digest is CI's.
 * - The Docker engine (`@pulumi/docker`, BuildKit 20.10) builds itself and is not reproducible
 *   across engines: its digest is its own, whatever CI published.
 */
export function deployNote(imageName: string, published: Published | "docker engine"): string {
    if (published === "docker engine") {
        return `${imageName}: up builds it with the Docker engine, which reads no registry cache and is not reproducible across engines: the digest it pushes is its own, not one CI published. Set 'buildx' to deploy the digest CI published for this content.`;
    }
    if (published.digest !== undefined) {
        return `${imageName}: CI published this content as ${published.digest}: up builds it from CI's registry cache (nothing compiled, no module fetched) and deploys that digest.`;
    }
    if ("missing" in published) return `${imageName}: CI has not published this content (the registry has no such tag): up builds it.`;
    return `${imageName}: could not ask the registry whether CI published this content (${published.error}): up builds it, from CI's registry cache where it has one.`;
}
