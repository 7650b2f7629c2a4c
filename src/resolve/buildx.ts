import type * as pulumi from "@pulumi/pulumi";
import { BuildxArgs } from "../args";
import { Problems, show } from "../errors";
import { BuildxPlan } from "../plan";
import { checkImageReference } from "../reference";
import { isLater } from "./later";
import { netrcText, noCredentials, PLATFORMS, platformList, showRedacted } from "./rules";

const BUILDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENDPOINT = /^(tcp:\/\/[A-Za-z0-9.-]+:\d{1,5}|tcp:\/\/\[[0-9a-fA-F:]+\]:\d{1,5}|unix:\/\/\/[A-Za-z0-9._/-]+)$/;
const FLAGS: Readonly<Record<keyof BuildxArgs, string>> = { platforms: "--platforms", cacheFrom: "--cache-from", cacheTo: "--cache-to", builder: "--builder", netrc: "--netrc" };

/** Who asks: the component (fields `buildx.*`) or the CLI's build (flags), and whether it pushes. */
export interface BuildxCaller {
    readonly cli: boolean;
    readonly push: boolean;
}


/** A cache entry `k=v,k=v`: the type and the keys it needs, values without commas, quotes or spaces. */
function checkCache(label: string, field: string, entry: string, direction: "from" | "to", problems: Problems): void {
    const secret = noCredentials("a cache spec is an engine input stored in Pulumi state and shown in build logs", "Log in to the cache's registry as for the push ('registry', or docker login) instead.")(field, entry);
    if (secret) {
        problems.add(field, "invalid", secret.replace(`'${field}'`, label));
        return;
    }
    const pairs = entry.split(",").map((p) => p.split("="));
    const map = new Map(pairs.map(([k, ...v]) => [k, v.join("=")]));
    const type = map.get("type");
    const need = type === "registry" ? "ref" : type === "local" ? (direction === "from" ? "src" : "dest") : undefined;
    const example = direction === "from" ? "type=registry,ref=ghcr.io/acme/api:cache" : "type=registry,ref=ghcr.io/acme/api:cache,mode=max";
    if (pairs.some((p) => p.length < 2 || p[0] === "" || /[\s"'\n]/.test(p.join("="))) || !need || !map.get(need)) {
        problems.add(field, "invalid", `${label} must be a buildx cache like ${show(example)} (type=registry with ref, or type=local with ${direction === "from" ? "src" : "dest"}), got ${show(entry)}.`);
        return;
    }
    if (type === "registry") {
        const bad = checkImageReference(field, map.get("ref"));
        if (bad) problems.add(field, "invalid", bad);
    }
}

function checkCaches(label: string, field: string, list: unknown, direction: "from" | "to", problems: Problems): ReadonlyArray<pulumi.Input<string>> {
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
        problems.add(field, "invalid", `${label} must be a list of buildx caches, got ${show(list)}.`);
        return [];
    }
    list.forEach((entry) => {
        if (typeof entry === "string") checkCache(label, field, entry, direction, problems);
        else if (!isLater(entry)) problems.add(field, "invalid", `${label} entries must be strings like "type=registry,ref=ghcr.io/acme/api:cache", got ${show(entry)}.`);
    });
    return list as ReadonlyArray<pulumi.Input<string>>;
}

/**
 * Validates the buildx settings (the component's `buildx`, the CLI's buildx flags) and fills in
 * their defaults. `platform` is the single platform of the args, which `platforms` replaces.
 */
export function resolveBuildx(given: BuildxArgs, platform: string | undefined, defaultPlatform: string, caller: BuildxCaller, problems: Problems): BuildxPlan | undefined {
    const label = (field: keyof BuildxArgs) => (caller.cli ? `'buildx.${field}' (${FLAGS[field]})` : `'buildx.${field}'`);
    if (typeof given !== "object" || given === null || Array.isArray(given)) {
        problems.add("buildx", "invalid", `'buildx' must be an object such as { platforms: ["linux/amd64", "linux/arm64"] } (or {} for the defaults), got ${show(given)}.`);
        return undefined;
    }
    const before = problems.count;
    const { builder, platforms, netrc } = given;
    if (builder !== undefined) {
        if (caller.cli ? !BUILDER_NAME.test(builder) && !ENDPOINT.test(builder) : typeof builder !== "string" || !BUILDER_NAME.test(builder)) {
            const endpoint = typeof builder === "string" && ENDPOINT.test(builder);
            problems.add("buildx.builder", "invalid", caller.cli
                ? `${label("builder")} must be a buildx builder name or a BuildKit endpoint like "tcp://buildkit.internal:1234" or "unix:///run/buildkit/buildkitd.sock", got ${showRedacted(builder)}.`
                : endpoint
                    ? `'buildx.builder' must name a buildx builder, got the endpoint ${show(builder)}: register it once with \`docker buildx create --name buildkit --driver remote ${builder}\` and give builder: "buildkit".`
                    : `'buildx.builder' must be the name of a buildx builder (letters, digits, '.', '_', '-'), e.g. "buildkit", got ${showRedacted(builder)}.`);
        }
    }
    let list: readonly string[] = [platform ?? defaultPlatform];
    if (platforms !== undefined) {
        const shape = platformList("buildx.platforms", platforms);
        if (shape || !Array.isArray(platforms)) {
            problems.add("buildx.platforms", "invalid", caller.cli ? shape!.replace("'buildx.platforms'", label("platforms")) : shape!);
        } else {
            platforms.forEach((p) => {
                if (!(PLATFORMS as readonly string[]).includes(p)) problems.add("buildx.platforms", "invalid", `${label("platforms")} has ${show(p)}: each must be one of ${PLATFORMS.join(", ")}.`);
            });
            if (new Set(platforms).size !== platforms.length) problems.add("buildx.platforms", "invalid", `${label("platforms")} lists a platform twice: ${show(platforms.join(","))}.`);
            if (platform !== undefined) problems.add("buildx.platforms", "conflict", `${label("platforms")} and ${caller.cli ? "'platform' (--platform)" : "'platform'"} are both given: give every platform in ${label("platforms")} only.`);
            if (platforms.length > 1 && !caller.push) problems.add("buildx.platforms", "unsupported", `${label("platforms")} ${show(platforms.join(","))} builds an image index, which cannot be loaded into the local engine: add --push.`);
            list = platforms;
        }
    }
    const cacheFrom = checkCaches(label("cacheFrom"), "buildx.cacheFrom", given.cacheFrom, "from", problems);
    const cacheTo = checkCaches(label("cacheTo"), "buildx.cacheTo", given.cacheTo, "to", problems);
    if (netrc !== undefined) {
        if (caller.cli) problems.add("buildx.netrc", "unsupported", `'buildx.netrc' is the component's: the CLI reads the netrc from a file, give --netrc <file> instead.`);
        else if (!(typeof netrc === "string" && netrc.trim() !== "") && !isLater(netrc)) {
            problems.add("buildx.netrc", "invalid", `'buildx.netrc' must be the text of a netrc file ("machine <host> login <user> password <token>"), e.g. config.requireSecret("netrc"), got ${show(typeof netrc === "string" ? netrc : typeof netrc)}.`);
        } else {
            const bad = netrcText("buildx.netrc", netrc as string);
            if (bad) problems.add("buildx.netrc", "invalid", bad);
        }
    }
    if (problems.count > before) return undefined;
    return { platforms: list, cacheFrom, cacheTo, builder, netrc };
}
