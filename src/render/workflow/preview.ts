import { PreviewPlan } from "../../resolve/preview";
import { checkout, expr } from "./jobs";
import { Job, Step, Workflow } from "./model";
import { pinned } from "./pins";
import { renderWorkflow } from "./yaml";

/** What installs the program's dependencies, by language: nothing but plain commands and pinned actions. */
function install(plan: PreviewPlan): Step[] {
    switch (plan.language) {
        case "nodejs":
            return [{ name: "Install the program's dependencies", run: "npm ci" }];
        case "python":
            return [{ name: "Install the program's dependencies", run: "python3 -m pip install --require-hashes -r requirements.txt" }];
        case "go": {
            const dir = plan.workDir === "." ? "" : `${plan.workDir}/`;
            return [{ name: "Set up Go from go.mod", uses: pinned("actions/setup-go"), with: { "go-version-file": `${dir}go.mod`, "cache-dependency-path": `${dir}go.sum` } }];
        }
        case "yaml":
            return [];
    }
}

/**
 * The infrastructure repository's workflow. Pull requests against the default branch (and merge
 * queue groups) run `pulumi preview --diff`, posted as a comment; a push to the default branch runs
 * `pulumi up` in the deployment environment `pulumi-<stack>`, whose protection rules and secrets
 * apply to it alone. Secrets reach the action through `env`, never `run:`. A pull request from a
 * fork gets no secrets from GitHub, so its preview job is skipped (a skipped required check passes;
 * a maintainer pushes the branch to the repository to preview it).
 */
export function previewWorkflowModel(plan: PreviewPlan): Workflow {
    const env: Record<string, string> = plan.backendUrl
        ? { PULUMI_CONFIG_PASSPHRASE: expr("secrets.PULUMI_CONFIG_PASSPHRASE") }
        : { PULUMI_ACCESS_TOKEN: expr("secrets.PULUMI_ACCESS_TOKEN") };
    const common = { "stack-name": plan.stack, "work-dir": plan.workDir, "pulumi-version": plan.pulumiVersion, ...(plan.backendUrl ? { "cloud-url": plan.backendUrl } : {}) };
    const job = (name: string, extra: Omit<Job, "name" | "runs-on" | "timeout-minutes" | "defaults" | "steps">, action: Step): Job => ({
        name,
        "runs-on": plan.runsOn,
        "timeout-minutes": 60,
        ...extra,
        defaults: { run: { "working-directory": plan.workDir } },
        steps: [checkout(), ...install(plan), action],
    });
    return {
        name: `pulumi ${plan.stack}`,
        on: { push: { branches: [plan.defaultBranch] }, pull_request: { branches: [plan.defaultBranch] }, merge_group: {} },
        permissions: {},
        // Updates of one stack queue and are never cancelled; a newer commit of a pull request cancels its older preview.
        concurrency: { group: `pulumi-${plan.environment.slice("pulumi-".length)}-${expr("github.event_name == 'push' && 'up' || github.ref")}`, "cancel-in-progress": expr("github.event_name != 'push'") },
        jobs: {
            preview: job(
                plan.checks.preview,
                {
                    if: "github.event_name == 'merge_group' || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository)",
                    permissions: { contents: "read", "pull-requests": "write" },
                },
                {
                    name: "pulumi preview --diff",
                    uses: pinned("pulumi/actions"),
                    with: { command: "preview", ...common, diff: true, "comment-on-pr": expr("github.event_name == 'pull_request'"), "edit-pr-comment": true, "github-token": expr("secrets.GITHUB_TOKEN") },
                    env,
                },
            ),
            up: job(
                plan.checks.up,
                {
                    if: `github.event_name == 'push' && github.ref == 'refs/heads/${plan.defaultBranch}'`,
                    environment: plan.environment,
                    permissions: { contents: "read" },
                },
                { name: "pulumi up", uses: pinned("pulumi/actions"), with: { command: "up", ...common }, env },
            ),
        },
    };
}

/** The workflow's text. */
export function renderPreviewWorkflow(plan: PreviewPlan): string {
    return renderWorkflow(previewWorkflowModel(plan));
}
