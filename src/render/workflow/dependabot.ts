import { WorkflowPlan } from "../../plan/workflow";
import { generatedYaml } from "./yaml";

/**
 * The Dependabot configuration of a service's repository (version 2): update pull requests for
 * the pinned actions (by SHA, in the workflows), the images the Dockerfile names (`FROM` tags and
 * digests) and the Go modules the image reads. Its pull requests touch generated files: they say
 * what changed upstream; take the change through the component's arguments (`digests`,
 * `golangciLintVersion`) or a library release, which regenerate the files.
 */
export function renderDependabot(plan: WorkflowPlan): string {
    const dir = (d: string) => (d === "." ? "/" : `/${d}`);
    const weekly = { interval: "weekly" };
    const config = {
        version: 2,
        updates: [
            { "package-ecosystem": "github-actions", directory: "/", schedule: weekly },
            { "package-ecosystem": "docker", directory: dir(plan.serviceDir), schedule: weekly },
            { "package-ecosystem": "gomod", directories: plan.moduleDirs.map(dir), schedule: weekly },
        ],
    };
    return generatedYaml(config);
}
