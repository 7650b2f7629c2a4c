import { ImagePlan } from "../plan/image";
import { MARKER } from "./marker";

/**
 * The patterns of the generated `Dockerfile.dockerignore`, in order: everything out, then each file
 * the build reads back in (Docker walks into a left-out directory only for a pattern that names
 * something under it, so files are listed one by one), then the user's extra excludes.
 */
export function dockerignorePatterns(plan: Pick<ImagePlan, "dockerignoreExtra" | "contextAllowList">): string[] {
    return ["*", ...plan.contextAllowList.map((f) => `!${f}`), ...plan.dockerignoreExtra];
}

/**
 * Renders the allow-list that sits beside the generated Dockerfile as `Dockerfile.dockerignore`;
 * BuildKit, buildx and @pulumi/docker prefer it to the context's `.dockerignore`. Pure and deterministic.
 */
export function renderDockerignore(plan: Pick<ImagePlan, "dockerignoreExtra" | "contextAllowList">): string {
    const lines = [
        `# ${MARKER}`,
        "# An allow-list: the build context carries the files the build reads and nothing else",
        "# (go.mod, go.sum, go.work, the Go and other source files of the packages built, embedded files).",
        "*",
        ...plan.contextAllowList.map((f) => `!${f}`),
    ];
    if (plan.dockerignoreExtra.length > 0) lines.push("", "# Added by the 'dockerignore' argument.", ...plan.dockerignoreExtra);
    return lines.join("\n") + "\n";
}
