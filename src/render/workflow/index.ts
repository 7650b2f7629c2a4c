import { WorkflowPlan } from "../../plan/workflow";
import { renderDependabot } from "./dependabot";
import { workflowModel } from "./jobs";
import { scanWorkflowModel } from "./scan";
import { renderWorkflow } from "./yaml";

/** The service's workflow, its scheduled scan (with govulncheck) and its Dependabot configuration, as text. */
export function render(plan: WorkflowPlan): { workflow: string; scan?: string; dependabot: string } {
    return {
        workflow: renderWorkflow(workflowModel(plan)),
        scan: plan.scanPath ? renderWorkflow(scanWorkflowModel(plan)) : undefined,
        dependabot: renderDependabot(plan),
    };
}
