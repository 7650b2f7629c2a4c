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
