import { PreviewPlan } from "../../resolve/preview";
import { Job, Step, Workflow } from "./model";
import { pinned } from "./pins";
import { checkout, expr } from "./steps";
import { renderWorkflow } from "./yaml";

type Role = "preview" | "up";

/** The secrets each job reads when it logs in without OIDC: distinct, so the preview's token cannot run `pulumi up`. */
export const PREVIEW_SECRETS = { preview: "PULUMI_PREVIEW_ACCESS_TOKEN", up: "PULUMI_UP_ACCESS_TOKEN", passphrase: "PULUMI_CONFIG_PASSPHRASE" } as const;

/** The program's toolchain with its pinned setup action and cache, keyed on its lock file. */
function toolchain(plan: PreviewPlan): Step[] {
    const file = (f: string) => (plan.workDir === "." ? f : `${plan.workDir}/${f}`);
    switch (plan.language) {
        case "nodejs": {
            const lock = { npm: "package-lock.json", yarn: "yarn.lock", pnpm: "pnpm-lock.yaml" }[plan.packageManager];
            // pnpm is not on the runner: corepack (shipped with Node.js 22) provides it, after setup-node; its store is not cached.
            return plan.packageManager === "pnpm"
                ? [{ name: "Set up Node.js", uses: pinned("actions/setup-node"), with: { "node-version": plan.nodeVersion, "package-manager-cache": false } }, { name: "Enable pnpm", run: "corepack enable pnpm\n" }]
                : [{ name: "Set up Node.js", uses: pinned("actions/setup-node"), with: { "node-version": plan.nodeVersion, cache: plan.packageManager, "cache-dependency-path": file(lock) } }];
        }
        case "python":
            // Not the system Python: ubuntu-24.04's refuses pip installs (externally managed); Pulumi.yaml's virtualenv is made from this one.
            return [{ name: "Set up Python", uses: pinned("actions/setup-python"), with: { "python-version": plan.pythonVersion, cache: "pip", "cache-dependency-path": file("requirements.txt") } }];
        case "go":
            return [{ name: "Set up Go", uses: pinned("actions/setup-go"), with: { "go-version-file": file("go.mod"), "cache-dependency-path": file("go.sum") } }];
        case "yaml":
            return [];
    }
}

/** OIDC logins of one job: the cloud's (for the providers and a self-managed backend), then Pulumi Cloud's. */
function logins(plan: PreviewPlan, role: Role): Step[] {
    const { pulumi, aws, gcp, azure } = plan.oidc;
    const steps: Step[] = [];
    if (aws) steps.push({ name: "AWS credentials (OIDC)", uses: pinned("aws-actions/configure-aws-credentials"), with: { "role-to-assume": role === "up" ? aws.upRole : aws.previewRole, "aws-region": aws.region } });
    if (gcp) steps.push({ name: "Google Cloud credentials (OIDC)", uses: pinned("google-github-actions/auth"), with: { workload_identity_provider: gcp.workloadIdentityProvider, service_account: role === "up" ? gcp.upServiceAccount : gcp.previewServiceAccount } });
    if (azure) steps.push({ name: "Azure credentials (OIDC)", uses: pinned("azure/login"), with: { "client-id": role === "up" ? azure.upClientId : azure.previewClientId, "tenant-id": azure.tenantId, "subscription-id": azure.subscriptionId } });
    if (pulumi) {
        const team = role === "up" ? pulumi.upTeam : pulumi.previewTeam;
        steps.push({
            name: "Pulumi Cloud token (OIDC)",
            uses: pinned("pulumi/auth-actions"),
            with: team
                ? { organization: pulumi.organization, "requested-token-type": "urn:pulumi:token-type:access_token:team", scope: `team:${team}` }
                : { organization: pulumi.organization, "requested-token-type": "urn:pulumi:token-type:access_token:organization" },
        });
    }
    return steps;
}

/** What the pulumi steps read: the job's Pulumi token or passphrase, and the secrets passed through by name (no `env:` when none: actionlint refuses an empty one). */
function pulumiEnv(plan: PreviewPlan, role: Role): { env?: Record<string, string> } {
    const env: Record<string, string> = {};
    if (plan.backendUrl) env.PULUMI_CONFIG_PASSPHRASE = expr(`secrets.${PREVIEW_SECRETS.passphrase}`);
    else if (!plan.oidc.pulumi) env.PULUMI_ACCESS_TOKEN = expr(`secrets.${PREVIEW_SECRETS[role]}`);
    for (const name of plan.secretEnv) env[name] = expr(`secrets.${name}`);
    return Object.keys(env).length > 0 ? { env } : {};
}

/** The secret a preview cannot run without (none known with OIDC: GitHub then gives the job its token). */
function neededSecret(plan: PreviewPlan): string | undefined {
    return plan.backendUrl ? PREVIEW_SECRETS.passphrase : plan.oidc.pulumi ? undefined : PREVIEW_SECRETS.preview;
}

/**
 * The preview job's first step. A fork's pull request gets no secrets and no OIDC token, and
 * Dependabot's gets Dependabot secrets only: such a run cannot preview. It never skips (a skipped
 * required check passes): with a merge queue the check passes with a note and the `merge_group`
 * run previews with secrets; without, it fails saying what to do.
 */
function guard(plan: PreviewPlan): Step {
    const secret = neededSecret(plan);
    const script = [
        'if [ "$FORK" = true ]; then',
        '  if [ "$MERGE_QUEUE" = true ]; then',
        '    echo "::notice::A pull request from a fork gets no secrets, so it is not previewed here: the merge queue previews it, with secrets, before it lands."',
        '    echo "preview=false" >> "$GITHUB_OUTPUT"',
        "    exit 0",
        "  fi",
        '  echo "::error::A pull request from a fork gets no secrets, so it cannot be previewed: a maintainer pushes its branch to this repository, or the repository merges through a merge queue (PreviewWorkflow mergeQueue: true), whose merge_group run previews with secrets."',
        "  exit 1",
        "fi",
        'if [ "$HAS_SECRET" != true ]; then',
        '  if [ "$ACTOR" = "dependabot[bot]" ]; then',
        '    echo "::error::Dependabot\'s pull requests read Dependabot secrets, not Actions secrets: add $SECRET as a Dependabot secret of this repository too."',
        "  else",
        '    echo "::error::The secret $SECRET is empty or missing: add it as a repository secret (it reaches previews, so give it a token that cannot update the stack)."',
        "  fi",
        "  exit 1",
        "fi",
        'echo "preview=true" >> "$GITHUB_OUTPUT"',
        "",
    ].join("\n");
    return {
        name: "Can this run preview?",
        id: "can",
        env: {
            FORK: expr("github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name != github.repository"),
            MERGE_QUEUE: String(plan.mergeQueue),
            ACTOR: expr("github.actor"),
            SECRET: secret ?? "(none: OIDC)",
            HAS_SECRET: secret ? expr(`secrets.${secret} != ''`) : "true",
        },
        run: script,
    };
}

/**
 * The infrastructure repository's workflow. Pull requests against the default branch and merge
 * queue groups run `pulumi preview --diff`, posted as a comment; a push to the default branch runs
 * `pulumi up` in the deployment environment `pulumi-<stack>`, whose protection rules and secrets
 * apply to it alone. Each job sets up the program's toolchain, logs in (OIDC or its own secret),
 * installs the CLI and runs `pulumi install`. Secrets reach steps through `env`, never `run:`.
 */
export function previewWorkflowModel(plan: PreviewPlan): Workflow {
    const common = { "stack-name": plan.stack, "work-dir": plan.workDir, "pulumi-version": plan.pulumiVersion, ...(plan.backendUrl ? { "cloud-url": plan.backendUrl } : {}) };
    const oidc = Object.keys(plan.oidc).length > 0;
    const job = (role: Role, extra: Pick<Job, "if" | "environment" | "permissions" | "timeout-minutes">, action: Step, first: Step[] = []): Job => {
        const gated = (s: Step): Step => (first.length > 0 ? { ...s, if: "steps.can.outputs.preview == 'true'" } : s);
        return {
            name: role === "up" ? plan.checks.up : plan.checks.preview,
            "runs-on": plan.runsOn,
            ...extra,
            permissions: { ...extra.permissions, ...(oidc ? { "id-token": "write" } : {}) },
            defaults: { run: { "working-directory": plan.workDir } },
            steps: [
                ...first,
                ...[
                    checkout(),
                    ...toolchain(plan),
                    ...logins(plan, role),
                    // pulumi/actions without a command installs the pinned CLI, for `pulumi install`.
                    { name: "Install the Pulumi CLI", uses: pinned("pulumi/actions"), with: { "pulumi-version": plan.pulumiVersion } },
                    { name: "Install the program's dependencies", run: "pulumi install\n" },
                    action,
                ].map(gated),
            ],
        };
    };
    return {
        name: `pulumi ${plan.stack}`,
        on: { push: { branches: [plan.defaultBranch] }, pull_request: { branches: [plan.defaultBranch] }, merge_group: {} },
        permissions: {},
        // Updates of one stack queue and are never cancelled; a newer commit of a pull request cancels its older preview.
        concurrency: { group: `pulumi-${plan.environment.slice("pulumi-".length)}-${expr("github.event_name == 'push' && 'up' || github.ref")}`, "cancel-in-progress": expr("github.event_name != 'push'") },
        jobs: {
            preview: job(
                "preview",
                { if: "github.event_name == 'pull_request' || github.event_name == 'merge_group'", permissions: { contents: "read", "pull-requests": "write" }, "timeout-minutes": 60 },
                {
                    name: "pulumi preview --diff",
                    uses: pinned("pulumi/actions"),
                    with: { command: "preview", ...common, diff: true, "comment-on-pr": expr("github.event_name == 'pull_request'"), "edit-pr-comment": true, "github-token": expr("secrets.GITHUB_TOKEN") },
                    ...pulumiEnv(plan, "preview"),
                },
                [guard(plan)],
            ),
            up: job(
                "up",
                // Six hours, GitHub's limit for a hosted runner's job: a timeout kills an update mid-flight and leaves the stack locked with pending operations.
                { if: `github.event_name == 'push' && github.ref == 'refs/heads/${plan.defaultBranch}'`, environment: plan.environment, permissions: { contents: "read" }, "timeout-minutes": 360 },
                { name: "pulumi up", uses: pinned("pulumi/actions"), with: { command: "up", ...common }, ...pulumiEnv(plan, "up") },
            ),
        },
    };
}

/** The workflow's text. */
export function renderPreviewWorkflow(plan: PreviewPlan): string {
    return renderWorkflow(previewWorkflowModel(plan));
}
