/**
 * Pinned GitHub Actions, copied from shared/data/action-pins.json (each SHA read from the
 * action's own release tag). A unit test checks this copy against that file. Only these are used;
 * a newer release comes in through that file, never by hand.
 */
export interface ActionPin {
    readonly tag: string;
    readonly sha: string;
    /** Input names the action declares: `with:` keys are checked against them. */
    readonly inputs: readonly string[];
}

export const ACTION_PINS = {
    "actions/checkout": { tag: "v7.0.1", sha: "3d3c42e5aac5ba805825da76410c181273ba90b1", inputs: ["repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user", "persist-credentials", "path", "clean", "filter", "sparse-checkout", "sparse-checkout-cone-mode", "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules", "set-safe-directory", "github-server-url", "allow-unsafe-pr-checkout"] },
    "actions/setup-go": { tag: "v7.0.0", sha: "b7ad1dad31e06c5925ef5d2fc7ad053ef454303e", inputs: ["go-version", "go-version-file", "check-latest", "token", "cache", "cache-dependency-path", "architecture", "go-download-base-url"] },
    "golangci/golangci-lint-action": { tag: "v9.3.0", sha: "ba0d7d2ec06a0ea1cb5fa41b2e4a3ab91d21278a", inputs: ["version", "version-file", "install-mode", "install-only", "working-directory", "github-token", "verify", "only-new-issues", "args", "skip-cache", "skip-save-cache", "cache-invalidation-interval", "problem-matchers", "debug", "experimental"] },
    "golang/govulncheck-action": { tag: "v1.0.4", sha: "b625fbe08f3bccbe446d94fbf87fcc875a4f50ee", inputs: ["go-version-input", "check-latest", "cache", "go-package", "work-dir", "repo-checkout", "go-version-file", "output-format", "output-file"] },
    "docker/setup-buildx-action": { tag: "v4.3.0", sha: "37fe631027851001ddb9b187196cc803df7f5f0e", inputs: ["version", "driver", "driver-opts", "buildkitd-flags", "buildkitd-config", "buildkitd-config-inline", "use", "name", "endpoint", "platforms", "append", "keep-state", "cache-binary", "cleanup"] },
    "docker/setup-qemu-action": { tag: "v4.2.0", sha: "96fe6ef7f33517b61c61be40b68a1882f3264fb8", inputs: ["image", "platforms", "reset", "cache-image"] },
    "docker/login-action": { tag: "v4.1.0", sha: "4907a6ddec9925e35a0a9e82d7399ccc52663121", inputs: ["registry", "username", "password", "ecr", "scope", "logout", "registry-auth"] },
    "docker/build-push-action": { tag: "v7.3.0", sha: "53b7df96c91f9c12dcc8a07bcb9ccacbed38856a", inputs: ["add-hosts", "allow", "annotations", "attests", "build-args", "build-contexts", "builder", "cache-from", "cache-to", "call", "cgroup-parent", "context", "file", "labels", "load", "network", "no-cache", "no-cache-filters", "outputs", "platforms", "provenance", "pull", "push", "sbom", "secrets", "secret-envs", "secret-files", "shm-size", "ssh", "tags", "target", "ulimit", "github-token"] },
    "sigstore/cosign-installer": { tag: "v4.1.2", sha: "6f9f17788090df1f26f669e9d70d6ae9567deba6", inputs: ["cosign-release", "install-dir", "use-sudo"] },
    "actions/cache": { tag: "v5.0.5", sha: "27d5ce7f107fe9357f9df03efb73ab90386fccae", inputs: ["path", "key", "restore-keys", "upload-chunk-size", "enableCrossOsArchive", "fail-on-cache-miss", "lookup-only", "save-always"] },
    "reproducible-containers/buildkit-cache-dance": { tag: "v3.2.0", sha: "653a570f730e3b9460adc576db523788ba59a0d7", inputs: ["cache-map", "dockerfile", "cache-source", "cache-target", "scratch-dir", "skip-extraction", "save-always", "utility-image", "builder"] },
    "github/codeql-action/upload-sarif": { tag: "v4.36.2", sha: "8aad20d150bbac5944a9f9d289da16a4b0d87c1e", inputs: ["sarif_file", "checkout_path", "ref", "sha", "token", "matrix", "category", "wait-for-processing"] },
    "pulumi/actions": { tag: "v7.0.0", sha: "8e5e406f4007fca908480587cb9893c07090f58d", inputs: ["command", "stack-name", "pulumi-version", "pulumi-version-file", "work-dir", "comment-on-pr", "comment-on-pr-number", "comment-on-summary", "github-token", "cloud-url", "secrets-provider", "parallel", "message", "config-map", "expect-no-changes", "diff", "replace", "exclude", "exclude-dependents", "target", "target-dependents", "policyPacks", "policyPackConfigs", "refresh", "upsert", "remove", "edit-pr-comment", "color", "exclude-protected", "plan", "suppress-outputs", "suppress-progress", "always-include-summary", "continue-on-error", "log-verbosity", "log-flow", "debug"] },
    "actions/cache/restore": { tag: "v5.0.5", sha: "27d5ce7f107fe9357f9df03efb73ab90386fccae", inputs: ["path", "key", "restore-keys", "enableCrossOsArchive", "fail-on-cache-miss", "lookup-only"] },
    "actions/setup-node": { tag: "v7.0.0", sha: "820762786026740c76f36085b0efc47a31fe5020", inputs: ["node-version", "node-version-file", "architecture", "check-latest", "registry-url", "scope", "token", "cache", "package-manager-cache", "cache-dependency-path", "mirror", "mirror-token"] },
    "actions/setup-python": { tag: "v7.0.0", sha: "5fda3b95a4ea91299a34e894583c3862153e4b97", inputs: ["python-version", "python-version-file", "cache", "architecture", "check-latest", "token", "cache-dependency-path", "update-environment", "allow-prereleases", "freethreaded", "pip-version"] },
    "pulumi/auth-actions": { tag: "v2.1.0", sha: "141415910c3beb54e03b48e9057c204c97b956f2", inputs: ["organization", "requested-token-type", "scope", "token-expiration", "export-environment-variables", "cloud-url"] },
    "aws-actions/configure-aws-credentials": { tag: "v6.2.3", sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c", inputs: ["aws-region", "aws-profile", "overwrite-aws-profile", "role-to-assume", "aws-access-key-id", "aws-secret-access-key", "aws-session-token", "web-identity-token-file", "role-chaining", "audience", "http-proxy", "no-proxy", "mask-aws-account-id", "role-duration-seconds", "role-external-id", "role-session-name", "role-skip-session-tagging", "transitive-tag-keys", "inline-session-policy", "managed-session-policies", "output-credentials", "output-env-credentials", "unset-current-credentials", "disable-retry", "retry-max-attempts", "special-characters-workaround", "use-existing-credentials", "allowed-account-ids", "force-skip-oidc", "action-timeout-s", "custom-tags", "sts-endpoint"] },
    "aws-actions/amazon-ecr-login": { tag: "v2.1.7", sha: "03f1aad4c6c7ffd436567f42f9384779290529bd", inputs: ["http-proxy", "mask-password", "registries", "registry-type", "skip-logout"] },
    "google-github-actions/auth": { tag: "v3.0.0", sha: "7c6bc770dae815cd3e89ee6cdf493a5fab2cc093", inputs: ["project_id", "workload_identity_provider", "service_account", "audience", "credentials_json", "create_credentials_file", "export_environment_variables", "token_format", "delegates", "universe", "request_reason", "cleanup_credentials", "access_token_lifetime", "access_token_scopes", "access_token_subject", "id_token_audience", "id_token_include_email"] },
    "azure/login": { tag: "v3.0.1", sha: "f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca", inputs: ["creds", "client-id", "tenant-id", "subscription-id", "enable-AzPSSession", "environment", "allow-no-subscriptions", "audience", "auth-type"] },
    "docker/metadata-action": { tag: "v6.2.0", sha: "dc802804100637a589fabce1cb79ff13a1411302", inputs: ["context", "images", "tags", "flavor", "labels", "annotations", "sep-tags", "sep-labels", "sep-annotations", "bake-target", "github-token"] },
    "actions/attest-build-provenance": { tag: "v4.1.0", sha: "a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32", inputs: ["subject-path", "subject-digest", "subject-name", "subject-checksums", "predicate-type", "predicate", "predicate-path", "push-to-registry", "create-storage-record", "show-summary", "github-token"] },
} as const satisfies Record<string, ActionPin>;

/** An action this library uses. */
export type ActionName = keyof typeof ACTION_PINS;

/** `owner/repo@<sha>`: the only immutable way to reference an action. */
export function pinned(action: ActionName): string {
    return `${action}@${ACTION_PINS[action].sha}`;
}
