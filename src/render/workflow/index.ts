import { WorkflowPlan } from "../../plan/workflow";
import { renderDependabot } from "./dependabot";
import { workflowModel } from "./jobs";
import { renderWorkflow } from "./yaml";

/** The service's workflow and its Dependabot configuration, as text. */
export function render(plan: WorkflowPlan): { workflow: string; dependabot: string } {
    return { workflow: renderWorkflow(workflowModel(plan)), dependabot: renderDependabot(plan) };
}
