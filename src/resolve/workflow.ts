import * as crypto from "crypto";
import { DEFAULTS, GO_ENV_NAMES, WorkflowOptions } from "../args";
import { registryHost } from "../reference";
import { Problems, show } from "../errors";
import { ImagePlan } from "../plan/image";
import { WorkflowPlan } from "../plan/workflow";
import { resolveRegistryLogin } from "./oidc";
import * as rules from "./rules";

const serviceDir = rules.repositoryPath('"services/api"');
const toolVersion = rules.matches(/^v\d+\.\d+\.\d+$/, 'a govulncheck release like "v1.9.0" (pinned: never "latest")');
const lintVersion = rules.matches(/^v\d+\.\d+\.\d+$/, 'a golangci-lint release like "v2.15.0" (pinned: never "latest")');
const prefix = rules.matches(/^(?!GITHUB_)[A-Z][A-Z0-9_]{0,40}$/, 'upper-case letters, digits and _, starting with a letter and not with GITHUB_ (GitHub reserves it)');
const serviceName = rules.matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/, "a name of letters, digits, . _ - (it names the workflow file)");

/** The variable prefix derived from a service name: `hello-service` → `HELLO_SERVICE`. */
export function defaultPrefix(service: string): string {
    const p = service.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    return /^[A-Z]/.test(p) ? p : `SVC_${p}`;
}

/** The workflow's path in the repository, known from the service name alone. */
export function workflowPath(service: string): string {
    return `.github/workflows/${service}.yml`;
}

/** Validates the workflow options against the image plan, recording problems; undefined when any. */
export function resolveWorkflow(plan: ImagePlan, options: WorkflowOptions, problems: Problems, repository?: string): Omit<WorkflowPlan, "inputs"> | undefined {
    const before = problems.count;
    const check = <T>(field: string, value: T | undefined, rule: rules.Rule<T>) => {
        if (value === undefined) return;
        const message = rule(field, value);
        if (message) problems.add(field, "invalid", message);
    };
    check("name", plan.name, serviceName);
    check("github.serviceDir", options.serviceDir, serviceDir);
    check("github.defaultBranch", options.defaultBranch, rules.branch);
    check("github.golangciLintVersion", options.golangciLintVersion, lintVersion);
    check("github.runsOn", options.runsOn, rules.runnerLabel);
    check("github.variablePrefix", options.variablePrefix, prefix);
    const platforms = options.platforms ?? [...DEFAULTS.github.platforms];
    const shape = rules.platformList("github.platforms", platforms);
    if (shape) {
        problems.add("github.platforms", "invalid", shape);
    } else {
        platforms.forEach((p, i) => check(`github.platforms[${i}]`, p, rules.platform));
        if (new Set(platforms).size !== platforms.length) problems.add("github.platforms", "invalid", `'github.platforms' lists a platform twice: ${show(platforms)}.`);
    }
    check("github.govulncheckVersion", options.govulncheckVersion, toolVersion);
    for (const key of ["govulncheck", "sbom", "provenance", "sign", "privateModules", "dependabot", "codeScanning", "attest"] as const) {
        if (options[key] !== undefined && typeof options[key] !== "boolean") problems.add(`github.${key}`, "invalid", `'github.${key}' must be true or false, got ${show(options[key])}.`);
    }
    const pre = options.variablePrefix ?? defaultPrefix(plan.name);
    if (options.variablePrefix === undefined && prefix("", pre)) {
        problems.add("github.variablePrefix", "invalid", `the name ${show(plan.name)} gives the variable prefix ${show(pre)}, which GitHub does not allow: set 'github.variablePrefix'.`);
    }
    const dir = options.serviceDir ?? plan.serviceDir;
    // The module sits at plan.serviceDir inside the build context, so the context's repository path is what precedes it.
    const contextDir = plan.serviceDir === "." ? dir : dir === plan.serviceDir ? "." : dir.endsWith("/" + plan.serviceDir) ? dir.slice(0, -plan.serviceDir.length - 1) : undefined;
    if (contextDir === undefined && typeof dir === "string") {
        problems.add("github.serviceDir", "invalid", `'github.serviceDir' ${show(dir)} cannot hold the build context: the module is at ${show(plan.serviceDir)} inside it (with the local modules it uses), so its path in the repository must end with ${show(plan.serviceDir)}.`);
    }
    const host = typeof repository === "string" ? registryHost(repository) : undefined;
    const registryLogin = resolveRegistryLogin(options.registryOidc, host, problems);
    if (problems.count > before || contextDir === undefined || registryLogin === undefined) return undefined;
    const inRepo = (p: string) => (contextDir === "." ? p : p === "." ? contextDir : `${contextDir}/${p}`);
    const file = (d: string, f: string) => (d === "." ? f : `${d}/${f}`);
    const d = DEFAULTS.github;
    const govulncheck = options.govulncheck ?? d.govulncheck;
    return {
        service: plan.name,
        path: workflowPath(plan.name),
        serviceDir: dir,
        defaultBranch: options.defaultBranch ?? d.defaultBranch,
        golangciLintVersion: options.golangciLintVersion ?? d.golangciLintVersion,
        govulncheck,
        platforms: [...platforms],
        sbom: options.sbom ?? d.sbom,
        provenance: options.provenance ?? d.provenance,
        sign: options.sign ?? d.sign,
        attest: options.attest ?? d.attest,
        runsOn: options.runsOn ?? d.runsOn,
        prefix: pre,
        contextDir,
        moduleDirs: plan.goModules.map((m) => inRepo(m.dir)),
        sumFiles: [
            ...plan.goModules.filter((m) => m.hasGoSum).map((m) => file(inRepo(m.dir), "go.sum")),
            ...(plan.workspace?.hasSum ? [file(inRepo(plan.workspace.dir), "go.work.sum")] : []),
        ],
        goWork: plan.workspace && file(inRepo(plan.workspace.dir), "go.work"),
        buildTags: plan.buildTags,
        goEnv: plan.buildArgs.filter(([k]) => (GO_ENV_NAMES as readonly string[]).includes(k)),
        netrc: options.privateModules ?? d.privateModules,
        registryLogin,
        codeScanning: options.codeScanning ?? d.codeScanning,
        scanPath: govulncheck ? scanPath(plan.name) : undefined,
        privateHosts: privateHosts(plan.buildArgs.find(([k]) => k === "GOPRIVATE")?.[1]),
        environment: `${plan.name}-publish`,
        schedule: scheduleOf(plan.name),
        govulncheckVersion: options.govulncheckVersion ?? d.govulncheckVersion,
        dependabot: options.dependabot ?? d.dependabot,
        cgo: plan.cgo,
        checks: checkNames(plan.name),
    };
}

/** The jobs' display names (their status check contexts), known from the service name alone. */
export function checkNames(service: string): WorkflowPlan["checks"] {
    return {
        required: `${service}-checks`,
        test: `${service}-test`,
        image: `${service}-image`,
        publish: `${service}-publish`,
        vulnerabilities: `${service}-vulnerabilities`,
        scan: `${service}-scan`,
    };
}

/** The scheduled scan's own workflow file. */
export function scanPath(service: string): string {
    return `.github/workflows/${service}-scan.yml`;
}

/**
 * The hosts of GOPRIVATE's patterns (`github.com/acme/*,git.example.com` → github.com,
 * git.example.com), in order, once each; a pattern whose host is a glob names no one host.
 */
export function privateHosts(goprivate: string | undefined): string[] {
    const hosts = (goprivate ?? "").split(",").map((p) => p.trim().split("/")[0]).filter((h) => h !== "" && !/[*?[\\]/.test(h));
    return [...new Set(hosts)];
}

/** A daily time for the scheduled scan, spread by the service name so many services do not start at once; the same on every run. */
export function scheduleOf(service: string): string {
    const h = crypto.createHash("sha256").update(service).digest();
    return `${h[0] % 60} ${h[1] % 24} * * *`;
}
