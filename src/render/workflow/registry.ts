import { WorkflowPlan } from "../../plan/workflow";
import { Step } from "./model";
import { pinned } from "./pins";
import { expr, variableNames } from "./steps";

/**
 * The publish job's registry login. ghcr.io: GITHUB_TOKEN (`packages: write`). ECR, Artifact
 * Registry and ACR: OpenID Connect, a short-lived credential for this job alone (the job holds
 * `id-token: write`; the cloud's trust is meant for the subject
 * `repo:<owner>/<repo>:environment:<service>-publish`, which only the publish job, on the default
 * branch, presents). Anything else: the stored username variable and the environment's password secret.
 */
export function registryLogin(plan: WorkflowPlan): Step[] {
    const vars = variableNames(plan.prefix);
    const registry = expr(`vars.${vars.registry}`);
    const login = plan.registryLogin;
    switch (login.kind) {
        case "ghcr":
            return [{ name: "Log in to ghcr.io", uses: pinned("docker/login-action"), with: { registry: "ghcr.io", username: expr("github.actor"), password: expr("secrets.GITHUB_TOKEN") } }];
        case "password":
            return [{ name: "Log in to the registry", uses: pinned("docker/login-action"), with: { registry, username: expr(`vars.${vars.username}`), password: expr(`secrets.${vars.password}`) } }];
        case "aws":
            return [
                { name: "AWS credentials (OIDC)", uses: pinned("aws-actions/configure-aws-credentials"), with: { "role-to-assume": login.roleToAssume, "aws-region": login.region } },
                // ECR's 12-hour token, fetched now for this job: never a stored password.
                { name: "Log in to ECR", uses: pinned("aws-actions/amazon-ecr-login"), with: { "mask-password": true } },
            ];
        case "gcp":
            return [
                { name: "Google Cloud credentials (OIDC)", id: "gcp", uses: pinned("google-github-actions/auth"), with: { workload_identity_provider: login.workloadIdentityProvider, service_account: login.serviceAccount, token_format: "access_token" } },
                { name: "Log in to Artifact Registry", uses: pinned("docker/login-action"), with: { registry, username: "oauth2accesstoken", password: expr("steps.gcp.outputs.access_token") } },
            ];
        case "azure":
            return [
                { name: "Azure credentials (OIDC)", uses: pinned("azure/login"), with: { "client-id": login.clientId, "tenant-id": login.tenantId, "subscription-id": login.subscriptionId } },
                { name: "Log in to ACR", env: { REGISTRY: registry }, run: 'az acr login --name "${REGISTRY%%.*}"\n' },
            ];
    }
}
