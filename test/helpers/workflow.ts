import { parse } from "yaml";
import { PreviewWorkflowOptions, WorkflowOptions } from "../../src/args";
import { generate, Options } from "./generate";

/** Resolves a module and renders its workflow (and the scheduled scan's and dependabot.yml), as the component and the CLI do. */
export function workflowFor(context: string, options: WorkflowOptions = {}, image: Options = {}, name = "svc"): { text: string; doc: any; scan?: { text: string; doc: any }; dependabot: string; dockerfile: string } {
    const prepared = generate(context, image, name, options);
    const text = prepared.workflow as string;
    return { text, doc: parse(text), scan: prepared.scan === undefined ? undefined : { text: prepared.scan, doc: parse(prepared.scan) }, dependabot: prepared.dependabot as string, dockerfile: prepared.dockerfile };
}

/** Every step of every job, with its job id. */
export function allSteps(doc: any): Array<{ job: string; step: any }> {
    return Object.entries(doc.jobs).flatMap(([job, j]: [string, any]) => j.steps.map((step: any) => ({ job, step })));
}

/** Option combinations every property below must hold for. */
export const MATRIX: Array<[string, WorkflowOptions, Options?]> = [
    ["defaults", {}],
    ["monorepo service dir", { serviceDir: "services/api", defaultBranch: "trunk" }],
    ["two platforms", { platforms: ["linux/amd64", "linux/arm64"] }],
    ["attestations", { sbom: true, provenance: true }],
    ["signing", { sign: true }],
    ["attestation on ghcr.io", { attest: true }, { repository: "ghcr.io/acme/api" }],
    ["no govulncheck", { govulncheck: false }],
    ["cgo on arm64", { platforms: ["linux/amd64", "linux/arm64"] }, { cgo: true, runtime: "alpine" }],
    ["everything", { serviceDir: "svc", platforms: ["linux/arm64"], sbom: true, provenance: true, sign: true, runsOn: "ubuntu-22.04", variablePrefix: "API", golangciLintVersion: "v2.14.0" }],
    ["ghcr with GITHUB_TOKEN", { defaultBranch: "trunk" }, { repository: "ghcr.io/acme/api" }],
    ["private modules", { privateModules: true }, { goEnv: { GOPRIVATE: "example.com/private/*" } }],
    ["code scanning in a service dir", { codeScanning: true, serviceDir: "services/api" }],
    ["ECR with OIDC", { registryOidc: { aws: { roleToAssume: "arn:aws:iam::123456789012:role/publish-api", region: "eu-west-1" } } }, { repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api" }],
    ["Artifact Registry with OIDC", { registryOidc: { gcp: { workloadIdentityProvider: "projects/123456789/locations/global/workloadIdentityPools/github/providers/acme", serviceAccount: "publish@acme-images.iam.gserviceaccount.com" } } }, { repository: "europe-docker.pkg.dev/acme-images/services/api" }],
    ["ACR with OIDC and signing", { sign: true, registryOidc: { azure: { clientId: "00000000-0000-4000-8000-000000000001", tenantId: "00000000-0000-4000-8000-000000000002", subscriptionId: "00000000-0000-4000-8000-000000000003" } } }, { repository: "acme.azurecr.io/api" }],
];

/** The preview workflow's option combinations the unit, actionlint and Scorecard checks run over. */
export const PREVIEW_MATRIX: Array<[string, PreviewWorkflowOptions]> = [
    ["defaults (Node.js, Pulumi Cloud)", { stack: "prod" }],
    ["Python in infra/, an org stack", { stack: "acme/infra/prod", workDir: "infra", language: "python" }],
    ["Go, another default branch", { stack: "staging", language: "go", workDir: "deploy/pulumi", defaultBranch: "trunk" }],
    ["YAML on a self-managed backend", { stack: "dev", language: "yaml", backendUrl: "s3://acme-pulumi-state", pulumiVersion: "3.200.1", runsOn: "ubuntu-22.04" }],
    ["Python on S3 with AWS OIDC and a merge queue", { stack: "prod", language: "python", pythonVersion: "3.13", backendUrl: "s3://acme-pulumi-state", mergeQueue: true, oidc: { aws: { region: "eu-west-1", previewRole: "arn:aws:iam::123456789012:role/pulumi-preview", upRole: "arn:aws:iam::123456789012:role/pulumi-up" } } }],
    ["pnpm with Pulumi Cloud OIDC teams and GCP", { stack: "acme/web/prod", packageManager: "pnpm", nodeVersion: "24", oidc: { pulumi: { organization: "acme", previewTeam: "ci-preview", upTeam: "ci-deploy" }, gcp: { workloadIdentityProvider: "projects/123456789/locations/global/workloadIdentityPools/github/providers/acme", previewServiceAccount: "preview@acme-infra.iam.gserviceaccount.com", upServiceAccount: "deploy@acme-infra.iam.gserviceaccount.com" } } }],
    ["yarn on Azure with passed-through secrets", { stack: "staging", packageManager: "yarn", workDir: "infra", secretEnv: ["ARM_CLIENT_SECRET", "DATADOG_API_KEY"], oidc: { pulumi: { organization: "acme" }, azure: { tenantId: "00000000-0000-4000-8000-000000000002", subscriptionId: "00000000-0000-4000-8000-000000000003", previewClientId: "00000000-0000-4000-8000-000000000004", upClientId: "00000000-0000-4000-8000-000000000005" } } }],
];

