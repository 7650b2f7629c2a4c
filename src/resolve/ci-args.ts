import { ARG_NAMES, GoServiceImageArgs } from "../args";
import { ImagePlan } from "../plan/image";

/**
 * Arguments that decide where the image goes or how it deploys, not its bytes, or that CI gives
 * otherwise: the module directory and the repository root are the checkout's, the platforms the
 * workflow's own (`--platforms`).
 */
const NOT_FOR_CI = new Set(["context", "root", "generatedDir", "repository", "registry", "network", "buildOnPreview", "deletePushedImage", "buildx", "github", "platform"]);

/** A value with every object's keys sorted, so the same arguments give the same text. */
function sortedKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortedKeys);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]));
}

/**
 * The component's image-shaping arguments as the CLI's `--args` JSON: what the publish job gives
 * `go-service-image inputs` so it resolves the very build the component does. Defaults the
 * component fills from where it runs (the source label from `github`) are written out resolved.
 */
export function ciArgs(args: GoServiceImageArgs, image: ImagePlan): string {
    const out: Record<string, unknown> = {};
    for (const key of ARG_NAMES[""]) {
        const value = (args as unknown as Record<string, unknown>)[key];
        if (!NOT_FOR_CI.has(key) && value !== undefined) out[key] = value;
    }
    if (image.sourceUrl !== undefined) out.sourceUrl = image.sourceUrl;
    return JSON.stringify(sortedKeys(out));
}
