import { PreviewWorkflowArgs, PreviewWorkflowOptions } from "./args";
import { Problems } from "./errors";
import { renderPreviewWorkflow } from "./render/workflow/preview";
import { PreviewPlan, resolvePreview } from "./resolve/preview";

/** The generated preview workflow: where it goes in the repository, and its text. */
export interface GeneratedPreviewWorkflow {
    readonly plan: PreviewPlan;
    /** `.github/workflows/pulumi-<stack>.yml` */
    readonly path: string;
    readonly text: string;
}

export function generatePreview(name: string, args: PreviewWorkflowArgs, component: boolean): GeneratedPreviewWorkflow {
    const problems = new Problems();
    const plan = resolvePreview(args, problems, component);
    problems.throwIfAny(name, "PreviewWorkflow");
    return { plan: plan!, path: plan!.path, text: renderPreviewWorkflow(plan!) };
}

/**
 * The infrastructure repository's workflow, without Pulumi resources: `pulumi preview --diff` as a
 * pull request comment, `pulumi up` on the default branch behind a deployment environment. Pure:
 * the same options give the same bytes. Bad options throw one error listing every problem.
 */
export function previewWorkflow(options: PreviewWorkflowOptions): GeneratedPreviewWorkflow {
    return generatePreview(typeof options?.stack === "string" ? options.stack : "preview", options, false);
}

