import { ImagePlan } from "../plan/image";
import { MARKER } from "./marker";

/**
 * Patterns kept out of every build context. The list is a deny-list, not an allow-list, so files a
 * Go program embeds (`//go:embed`) stay in; go.mod, go.sum, vendor/ and sources are never matched,
 * and no pattern names a directory a Go package is commonly called (a `secrets` package must build).
 */
export const DEFAULT_IGNORES: ReadonlyArray<readonly [string, readonly string[]]> = [
    ["Version control and CI: not needed to build, and .git would stamp VCS state.", [".git", ".gitignore", ".gitattributes", ".github", ".gitlab-ci.yml"]],
    ["Secrets and local environment.", ["**/.env", "**/.env.*", "**/*.pem", "**/*.key", "**/*.p12", "**/*.pfx", "**/id_rsa*", "**/id_ed25519*", "**/.netrc", "**/.npmrc", "**/.docker", "**/*.secret"]],
    ["Editors and operating systems.", ["**/.idea", "**/.vscode", "**/*.swp", "**/*.swo", "**/*~", "**/.DS_Store", "**/Thumbs.db"]],
    ["Build output, test output and caches (not dist/: programs often embed it).", ["bin", "**/*.test", "**/*.out", "**/*.prof", "**/coverage.*", "**/__debug_bin*"]],
    ["Other ecosystems and infrastructure state.", ["**/node_modules", "**/.pulumi", "**/Pulumi.*.yaml", "**/.terraform", "**/*.tfstate", "**/*.tfstate.*", "**/.go-service-image"]],
    // Dockerfiles and .dockerignore stay in: @pulumi/docker re-adds them and warns on every build when they are ignored.
    ["Local container tooling.", ["**/docker-compose*.yml", "**/compose*.yaml"]],
];

const LAYOUT_COMMENT = "The Pulumi program and generated files inside this directory: not part of the service.";

/** The ignore patterns, in order: the defaults, the layout's, then the user's extras. */
export function dockerignorePatterns(plan: Pick<ImagePlan, "dockerignoreExtra" | "layoutIgnores">): string[] {
    return [...DEFAULT_IGNORES.flatMap(([, patterns]) => patterns), ...plan.layoutIgnores, ...plan.dockerignoreExtra];
}

/** Renders the .dockerignore. Pure and deterministic. */
export function renderDockerignore(plan: Pick<ImagePlan, "dockerignoreExtra" | "layoutIgnores">): string {
    const lines = [`# ${MARKER}`];
    for (const [why, patterns] of DEFAULT_IGNORES) {
        lines.push("", `# ${why}`, ...patterns);
    }
    if (plan.layoutIgnores.length > 0) lines.push("", `# ${LAYOUT_COMMENT}`, ...plan.layoutIgnores);
    if (plan.dockerignoreExtra.length > 0) {
        lines.push("", "# Added by the 'dockerignore' argument.", ...plan.dockerignoreExtra);
    }
    return lines.join("\n") + "\n";
}
