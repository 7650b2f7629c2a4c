import { Problems, show } from "../errors";
import { WorkflowOptions } from "../options";
import { ImagePlan } from "../plan";
import * as rules from "../resolve/rules";

/** Everything the workflow generator needs, validated, with defaults filled in. */
export interface WorkflowPlan {
    readonly service: string;
    /** `.github/workflows/<service>.yml` */
    readonly path: string;
    readonly serviceDir: string;
    readonly defaultBranch: string;
    readonly golangciLintVersion: string;
    readonly govulncheck: boolean;
    readonly platforms: readonly string[];
    readonly sbom: boolean;
    readonly provenance: boolean;
    readonly sign: boolean;
    readonly runsOn: string;
    readonly prefix: string;
    readonly hasGoSum: boolean;
    readonly cgo: boolean;
    /** The jobs' display names: the status check contexts branch protection requires. */
    readonly checks: { readonly test: string; readonly image: string };
}

const DEFAULT_LINT = "v2.15.0";

const serviceDir = rules.matches(/^(\.|(?!\.\.?(\/|$))[A-Za-z0-9_.-]+(\/(?!\.\.?(\/|$))[A-Za-z0-9_.-]+)*)$/, 'a path inside the repository like "." or "services/api" (no "..", no leading or trailing "/")');
const lintVersion = rules.matches(/^v\d+\.\d+\.\d+$/, 'a golangci-lint release like "v2.15.0" (pinned: never "latest")');
const runner = rules.matches(/^[A-Za-z0-9._-]{1,64}$/, 'a runner label like "ubuntu-24.04"');
const prefix = rules.matches(/^(?!GITHUB_)[A-Z][A-Z0-9_]{0,40}$/, 'upper-case letters, digits and _, starting with a letter and not with GITHUB_ (GitHub reserves it)');
const serviceName = rules.matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/, "a name of letters, digits, . _ - (it names the workflow file)");

/** A file of the service as a path in the repository: `Dockerfile` or `services/api/Dockerfile`. */
export function inServiceDir(plan: WorkflowPlan, file: string): string {
    return plan.serviceDir === "." ? file : `${plan.serviceDir}/${file}`;
}

/** The variable prefix derived from a service name: `hello-service` → `HELLO_SERVICE`. */
export function defaultPrefix(service: string): string {
    const p = service.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    return /^[A-Z]/.test(p) ? p : `SVC_${p}`;
}

/** Validates the workflow options against the image plan; throws every problem at once. */
export function resolveWorkflow(plan: ImagePlan, options: WorkflowOptions = {}): WorkflowPlan {
    const problems = new Problems();
    const check = <T>(field: string, value: T | undefined, rule: rules.Rule<T>) => {
        if (value === undefined) return;
        const message = rule(field, value);
        if (message) problems.add(field, "invalid", message);
    };
    check("name", plan.name, serviceName);
    check("github.serviceDir", options.serviceDir, serviceDir);
    check("github.defaultBranch", options.defaultBranch, rules.branch);
    check("github.golangciLintVersion", options.golangciLintVersion, lintVersion);
    check("github.runsOn", options.runsOn, runner);
    check("github.variablePrefix", options.variablePrefix, prefix);
    const platforms = options.platforms ?? ["linux/amd64"];
    if (!Array.isArray(platforms) || platforms.length === 0) {
        problems.add("github.platforms", "invalid", `'github.platforms' must list at least one platform, e.g. ["linux/amd64"], got ${show(platforms)}.`);
    } else {
        platforms.forEach((p, i) => check(`github.platforms[${i}]`, p, rules.platform));
        if (new Set(platforms).size !== platforms.length) problems.add("github.platforms", "invalid", `'github.platforms' lists a platform twice: ${show(platforms)}.`);
    }
    for (const key of ["govulncheck", "sbom", "provenance", "sign"] as const) {
        if (options[key] !== undefined && typeof options[key] !== "boolean") problems.add(`github.${key}`, "invalid", `'github.${key}' must be true or false, got ${show(options[key])}.`);
    }
    const pre = options.variablePrefix ?? defaultPrefix(plan.name);
    if (options.variablePrefix === undefined && prefix("", pre)) {
        problems.add("github.variablePrefix", "invalid", `the name ${show(plan.name)} gives the variable prefix ${show(pre)}, which GitHub does not allow: set 'github.variablePrefix'.`);
    }
    problems.throwIfAny(plan.name);
    return {
        service: plan.name,
        path: `.github/workflows/${plan.name}.yml`,
        serviceDir: options.serviceDir ?? ".",
        defaultBranch: options.defaultBranch ?? "main",
        golangciLintVersion: options.golangciLintVersion ?? DEFAULT_LINT,
        govulncheck: options.govulncheck ?? true,
        platforms: [...platforms],
        sbom: options.sbom ?? false,
        provenance: options.provenance ?? false,
        sign: options.sign ?? false,
        runsOn: options.runsOn ?? "ubuntu-24.04",
        prefix: pre,
        hasGoSum: plan.module.hasGoSum,
        cgo: plan.cgo,
        checks: { test: `${plan.name}-test`, image: `${plan.name}-image` },
    };
}
