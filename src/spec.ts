import * as fs from "fs";
import * as path from "path";
import { contentTag } from "./content-tag";
import { buildDockerfile } from "./dockerfile/build";
import { dockerignorePatterns, renderDockerignore } from "./dockerfile/dockerignore";
import { renderDockerfile } from "./dockerfile/render";
import { ImagePlan } from "./plan";
import { byName } from "./order";

/** What a build is made of: the generated files, the tag and the build args to pass. */
export interface BuildSpec {
    readonly dockerfile: string;
    readonly dockerignore: string;
    /** `content-<16 hex>`: changes exactly when the build's inputs do. */
    readonly tag: string;
    /** The version stamped into the binary: the `version` setting, or the tag. */
    readonly version: string;
    /** Build args to pass, sorted by name: VERSION, SOURCE_DATE_EPOCH, REVISION when set, Go env and user args. */
    readonly buildArgs: Readonly<Record<string, string>>;
    readonly platform?: string;
}

/**
 * Renders the files of a plan and derives the content tag. `useOwnDockerignore` hashes the
 * context with the .dockerignore already in it (the user keeps their own) instead of ours.
 */
export function buildSpec(plan: ImagePlan, useOwnDockerignore = false): BuildSpec {
    const dockerfile = renderDockerfile(buildDockerfile(plan));
    const dockerignore = renderDockerignore(plan);
    const ownIgnore = useOwnDockerignore ? readIgnoreFile(plan.context) : undefined;
    const ignorePatterns = ownIgnore ? patternsOf(ownIgnore) : dockerignorePatterns(plan.dockerignoreExtra);
    const args = new Map<string, string>(plan.buildArgs);
    args.set("SOURCE_DATE_EPOCH", String(plan.sourceDateEpoch));
    if (plan.revision !== undefined) args.set("REVISION", plan.revision);
    if (plan.version !== undefined) args.set("VERSION", plan.version);
    const sorted = () => [...args.entries()].sort(byName);
    // The tag covers an explicit version; a defaulted version is the tag itself.
    const tag = contentTag(plan.context, ignorePatterns, { dockerfile, dockerignore: ownIgnore ?? dockerignore, buildArgs: sorted(), platform: plan.platform });
    const version = plan.version ?? tag;
    args.set("VERSION", version);
    return { dockerfile, dockerignore, tag, version, buildArgs: Object.fromEntries(sorted()), platform: plan.platform };
}

function readIgnoreFile(contextDir: string): string {
    try {
        return fs.readFileSync(path.join(contextDir, ".dockerignore"), "utf8");
    } catch {
        return "";
    }
}

function patternsOf(text: string): string[] {
    return text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#"));
}
