import { BuildxOptions } from "../args";
import { Problems, show } from "../errors";
import { checkImageReference } from "../reference";
import { PLATFORMS } from "./rules";

const BUILDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENDPOINT = /^(tcp:\/\/[A-Za-z0-9.-]+:\d{1,5}|tcp:\/\/\[[0-9a-fA-F:]+\]:\d{1,5}|unix:\/\/\/[A-Za-z0-9._/-]+)$/;

/** A cache entry `k=v,k=v`: the type and the keys it needs, values without commas, quotes or spaces. */
function checkCache(field: string, entry: string, direction: "from" | "to", problems: Problems): void {
    const pairs = entry.split(",").map((p) => p.split("="));
    const map = new Map(pairs.map(([k, ...v]) => [k, v.join("=")]));
    const type = map.get("type");
    const need = type === "registry" ? "ref" : type === "local" ? (direction === "from" ? "src" : "dest") : undefined;
    const example = direction === "from" ? "type=registry,ref=ghcr.io/acme/api:cache" : "type=registry,ref=ghcr.io/acme/api:cache,mode=max";
    if (pairs.some((p) => p.length < 2 || p[0] === "" || /[\s"'\n]/.test(p.join("="))) || !need || !map.get(need)) {
        problems.add(field, "invalid", `'${field}' must be a buildx cache like ${show(example)} (type=registry with ref, or type=local with ${direction === "from" ? "src" : "dest"}), got ${show(entry)}.`);
        return;
    }
    if (type === "registry") {
        const bad = checkImageReference(field, map.get("ref"));
        if (bad) problems.add(field, "invalid", bad);
    }
}

/** Validates the buildx options of a build; `push` because an image index cannot be loaded into an engine. */
export function checkBuildx(options: BuildxOptions, push: boolean, problems: Problems): void {
    const { builder, platforms, cacheFrom, cacheTo } = options;
    if (builder !== undefined && !BUILDER_NAME.test(builder) && !ENDPOINT.test(builder)) {
        problems.add("builder", "invalid", `--builder must be a buildx builder name or a BuildKit endpoint like "tcp://buildkit.internal:1234" or "unix:///run/buildkit/buildkitd.sock", got ${show(builder)}.`);
    }
    if (platforms !== undefined) {
        if (platforms.length === 0) problems.add("platforms", "invalid", `--platforms must list at least one platform, e.g. "linux/amd64,linux/arm64".`);
        platforms.forEach((p) => {
            if (!(PLATFORMS as readonly string[]).includes(p)) problems.add("platforms", "invalid", `--platforms has ${show(p)}: each must be one of ${PLATFORMS.join(", ")}.`);
        });
        if (new Set(platforms).size !== platforms.length) problems.add("platforms", "invalid", `--platforms lists a platform twice: ${show(platforms.join(","))}.`);
        if (platforms.length > 1 && !push) problems.add("platforms", "unsupported", `--platforms ${show(platforms.join(","))} builds an image index, which cannot be loaded into the local engine: add --push.`);
    }
    cacheFrom?.forEach((c) => checkCache("cacheFrom", c, "from", problems));
    cacheTo?.forEach((c) => checkCache("cacheTo", c, "to", problems));
}
