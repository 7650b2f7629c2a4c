import * as pulumi from "@pulumi/pulumi";
import { PreviewWorkflowArgs } from "./args";
import { actionsAndDependabotSecret, commitFile, deploymentEnvironment } from "./github/provision";
import { loadGitHub } from "./github/load";
import { generatePreview } from "./preview";
import { PREVIEW_SECRETS } from "./render/workflow/preview";
import { PreviewWorkflowGitHubArgs } from "./args";
import type * as github from "@pulumi/github";

/**
 * The preview workflow of an infrastructure repository (one per stack, for every service the
 * stack deploys), optionally committed to that repository with the deployment environment
 * `pulumi-<stack>` that only the default branch may deploy to. The stack's secrets
 * (`PULUMI_ACCESS_TOKEN`, or `PULUMI_CONFIG_PASSPHRASE` with a self-managed backend) are yours to
 * add: as environment secrets of `pulumi-<stack>` for `pulumi up`, and as repository secrets for
 * previews.
 */
export class PreviewWorkflow extends pulumi.ComponentResource {
    /** The workflow text. */
    public readonly workflow: pulumi.Output<string>;
    /** Its path in the repository. */
    public readonly workflowPath: pulumi.Output<string>;
    /** The deployment environment `pulumi up` runs in. */
    public readonly environment: pulumi.Output<string>;
    /** The job names: the status checks a branch protection should require (the preview's). */
    public readonly statusChecks: pulumi.Output<string[]>;

    constructor(name: string, args: PreviewWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
        if (args?.github !== undefined) loadGitHub(name, "PreviewWorkflow");
        const generated = generatePreview(name, args, true);
        super("pulumi-go-service-image:index:PreviewWorkflow", name, {}, opts);
        const { plan } = generated;
        const gh = args.github;
        if (gh) {
            const branch = gh.branch ?? plan.defaultBranch;
            commitFile(this, `${name}-workflow`, {
                repository: gh.repository,
                branch,
                file: plan.path,
                content: generated.text,
                commitMessage: gh.commitMessage ?? `pulumi ${plan.stack}: update ${plan.path} (pulumi-go-service-image)`,
            });
            const environment = deploymentEnvironment(this, name, gh.repository, plan.environment, plan.defaultBranch);
            provisionStackSecrets(this, name, gh, plan.environment, environment);
        }
        this.workflow = pulumi.output(generated.text);
        this.workflowPath = pulumi.output(plan.path);
        this.environment = pulumi.output(plan.environment);
        this.statusChecks = pulumi.output([plan.checks.preview, plan.checks.up]);
        this.registerOutputs({ workflow: this.workflow, workflowPath: this.workflowPath, environment: this.environment, statusChecks: this.statusChecks });
    }
}

/**
 * The stack's secrets, where given: the preview token and the passphrase as repository and
 * Dependabot secrets (previews of Dependabot's pull requests read the latter), the up token in
 * the deployment environment alone.
 */
function provisionStackSecrets(parent: pulumi.Resource, name: string, gh: PreviewWorkflowGitHubArgs, environmentName: string, environment: github.RepositoryEnvironment): void {
    const gitHub = loadGitHub(name, "PreviewWorkflow");
    if (gh.previewAccessToken !== undefined) actionsAndDependabotSecret(parent, `${name}-preview-token`, gh.repository, PREVIEW_SECRETS.preview, gh.previewAccessToken);
    if (gh.configPassphrase !== undefined) actionsAndDependabotSecret(parent, `${name}-passphrase`, gh.repository, PREVIEW_SECRETS.passphrase, gh.configPassphrase);
    if (gh.upAccessToken !== undefined) {
        new gitHub.ActionsEnvironmentSecret(`${name}-up-token`, { repository: gh.repository, environment: environmentName, secretName: PREVIEW_SECRETS.up, value: pulumi.secret(gh.upAccessToken) }, { parent, dependsOn: [environment] });
    }
}
