import { parse } from "yaml";
import { resolve, ResolveInput } from "../../src/resolve";
import { WorkflowOptions } from "../../src/options";
import { resolveWorkflow } from "../../src/workflow/plan";
import { buildWorkflow } from "../../src/workflow/build";
import { renderWorkflow } from "../../src/workflow/render";

/** Resolves a module and renders its workflow, as the component and the CLI do. */
export function workflowFor(context: string, options: WorkflowOptions = {}, image: Partial<ResolveInput> = {}, name = "svc"): { text: string; doc: any } {
    const text = renderWorkflow(buildWorkflow(resolveWorkflow(resolve(name, { context, ...image }), options)));
    return { text, doc: parse(text) };
}

/** Every step of every job, with its job id. */
export function allSteps(doc: any): Array<{ job: string; step: any }> {
    return Object.entries(doc.jobs).flatMap(([job, j]: [string, any]) => j.steps.map((step: any) => ({ job, step })));
}

/** Option combinations every property below must hold for. */
export const MATRIX: Array<[string, WorkflowOptions, object?]> = [
    ["defaults", {}],
    ["monorepo service dir", { serviceDir: "services/api", defaultBranch: "trunk" }],
    ["two platforms", { platforms: ["linux/amd64", "linux/arm64"] }],
    ["attestations", { sbom: true, provenance: true }],
    ["signing", { sign: true }],
    ["no govulncheck", { govulncheck: false }],
    ["cgo on arm64", { platforms: ["linux/amd64", "linux/arm64"] }, { cgo: true, runtime: "alpine" }],
    ["everything", { serviceDir: "svc", platforms: ["linux/arm64"], sbom: true, provenance: true, sign: true, runsOn: "ubuntu-22.04", variablePrefix: "API", golangciLintVersion: "v2.14.0" }],
];
