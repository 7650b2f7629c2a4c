import { parse } from "yaml";
import { PreviewWorkflowOptions, WorkflowOptions } from "../../src/args";
import { generate, Options } from "./generate";

/** Resolves a module and renders its workflow, as the component and the CLI do. */
export function workflowFor(context: string, options: WorkflowOptions = {}, image: Options = {}, name = "svc"): { text: string; doc: any } {
    const text = generate(context, image, name, options).workflow as string;
    return { text, doc: parse(text) };
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
    ["no govulncheck", { govulncheck: false }],
    ["cgo on arm64", { platforms: ["linux/amd64", "linux/arm64"] }, { cgo: true, runtime: "alpine" }],
    ["everything", { serviceDir: "svc", platforms: ["linux/arm64"], sbom: true, provenance: true, sign: true, runsOn: "ubuntu-22.04", variablePrefix: "API", golangciLintVersion: "v2.14.0" }],
    ["ghcr with GITHUB_TOKEN", { defaultBranch: "trunk" }, { repository: "ghcr.io/acme/api" }],
    ["private modules", { privateModules: true }, { goEnv: { GOPRIVATE: "example.com/private/*" } }],
];

/** The preview workflow's option combinations the unit, actionlint and Scorecard checks run over. */
export const PREVIEW_MATRIX: Array<[string, PreviewWorkflowOptions]> = [
    ["defaults (Node.js, Pulumi Cloud)", { stack: "prod" }],
    ["Python in infra/, an org stack", { stack: "acme/infra/prod", workDir: "infra", language: "python" }],
    ["Go, another default branch", { stack: "staging", language: "go", workDir: "deploy/pulumi", defaultBranch: "trunk" }],
    ["YAML on a self-managed backend", { stack: "dev", language: "yaml", backendUrl: "s3://acme-pulumi-state", pulumiVersion: "3.200.1", runsOn: "ubuntu-22.04" }],
];

