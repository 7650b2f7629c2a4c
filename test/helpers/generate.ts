import { resolve, ResolveInput } from "../../src/resolve";
import { buildSpec, BuildSpec } from "../../src/spec";
import { ImagePlan } from "../../src/plan";

/** Resolves and renders in one step, as the component and the CLI do. */
export function generate(context: string, options: Partial<ResolveInput> = {}, name = "svc"): BuildSpec & { plan: ImagePlan } {
    const plan = resolve(name, { context, ...options });
    return { ...buildSpec(plan), plan };
}
