import { ARG_NAMES, DEFAULTS, InfraLanguage, PreviewWorkflowArgs } from "../args";
import { Problems, show } from "../errors";
import { checkNames } from "./names";
import * as rules from "./rules";

/** The preview workflow, validated, every default filled in. */
export interface PreviewPlan {
    readonly stack: string;
    readonly workDir: string;
    readonly language: InfraLanguage;
    readonly defaultBranch: string;
    readonly pulumiVersion: string;
    readonly backendUrl?: string;
    readonly runsOn: string;
    /** `.github/workflows/pulumi-<stack>.yml` */
    readonly path: string;
    /** The deployment environment `pulumi up` runs in: `pulumi-<stack>`. */
    readonly environment: string;
    /** The job names, the status checks a branch protection requires. */
    readonly checks: { readonly preview: string; readonly up: string };
}

const stack = rules.matches(/^([A-Za-z0-9_.-]{1,100}\/){0,2}[A-Za-z0-9_.-]{1,100}$/, 'a stack name like "prod" or "acme/infra/prod"');
const workDir = rules.repositoryPath('"infra"');
const cliVersion = rules.matches(/^\d+\.\d+\.\d+$/, 'a Pulumi CLI release like "3.274.0" (pinned: never "latest")');
const backend = rules.matches(/^(s3|azblob|gs|file):\/\/[A-Za-z0-9_.~:/?#@!$&'()*+,;=%-]+$/, 'a self-managed backend URL like "s3://acme-pulumi-state"');
const LANGUAGES: readonly string[] = Object.values(InfraLanguage);

/** `acme/infra/prod` → `acme-infra-prod`: a file and environment name. */
function slug(name: string): string {
    return name.replace(/[^A-Za-z0-9_.-]+/g, "-");
}

/** Validates the preview workflow's options; records problems and returns undefined when any. */
export function resolvePreview(args: PreviewWorkflowArgs, problems: Problems, component: boolean): PreviewPlan | undefined {
    if (typeof args !== "object" || args === null) {
        problems.add("args", "missing", `the arguments must be an object with at least 'stack', got ${show(args)}.`);
        return undefined;
    }
    const before = problems.count;
    checkNames(args, problems, "PreviewWorkflow", PREVIEW_NAMES);
    const check = <T>(field: string, value: unknown, rule: rules.Rule<T>, type: string) => {
        if (value === undefined) return;
        if (typeof value !== type) problems.add(field, "invalid", `'${field}' must be a ${type}, got ${show(value)}.`);
        else {
            const message = rule(field, value as T);
            if (message) problems.add(field, "invalid", message);
        }
    };
    if (args.stack === undefined) problems.add("stack", "missing", `'stack' is required: the stack to preview and update, e.g. "prod" or "acme/infra/prod".`);
    check("stack", args.stack, stack, "string");
    check("workDir", args.workDir, workDir, "string");
    check("defaultBranch", args.defaultBranch, rules.branch, "string");
    check("pulumiVersion", args.pulumiVersion, cliVersion, "string");
    const backendSecret = rules.noCredentials("the workflow is committed to the repository, where everyone who can read it sees them", "Give the backend's credentials to the job as secrets or through OIDC (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AZURE_STORAGE_KEY, GOOGLE_CREDENTIALS) and keep the URL plain, e.g. \"s3://acme-pulumi-state\".")("backendUrl", args.backendUrl);
    if (backendSecret) problems.add("backendUrl", "invalid", backendSecret);
    else check("backendUrl", args.backendUrl, backend, "string");
    check("runsOn", args.runsOn, rules.runnerLabel, "string");
    if (args.language !== undefined && !LANGUAGES.includes(args.language)) {
        problems.add("language", "invalid", `'language' must be one of ${LANGUAGES.map((l) => show(l)).join(", ")}, got ${show(args.language)}.`);
    }
    const gh = args.github;
    if (gh !== undefined) {
        if (!component) problems.add("github", "unsupported", "'github' provisions the workflow with @pulumi/github: use the PreviewWorkflow component.");
        else if (typeof gh !== "object" || gh === null || typeof gh.repository !== "string" || !/^[A-Za-z0-9_.-]{1,100}$/.test(gh.repository)) {
            problems.add("github.repository", "invalid", `'github.repository' must be a repository name without owner, like "infra", got ${show(gh && (gh as { repository?: unknown }).repository)}.`);
        } else {
            check("github.branch", gh.branch, rules.branch, "string");
            if (gh.commitMessage !== undefined) check("github.commitMessage", gh.commitMessage, rules.oneLine, "string");
        }
    }
    if (problems.count > before) return undefined;
    const name = slug(args.stack);
    return {
        stack: args.stack,
        workDir: args.workDir ?? DEFAULTS.preview.workDir,
        language: args.language ?? DEFAULTS.preview.language,
        defaultBranch: args.defaultBranch ?? DEFAULTS.preview.defaultBranch,
        pulumiVersion: args.pulumiVersion ?? DEFAULTS.preview.pulumiVersion,
        backendUrl: args.backendUrl,
        runsOn: args.runsOn ?? DEFAULTS.preview.runsOn,
        path: `.github/workflows/pulumi-${name}.yml`,
        environment: `pulumi-${name}`,
        checks: { preview: `pulumi-preview-${name}`, up: `pulumi-up-${name}` },
    };
}

/** The names `PreviewWorkflowArgs` accepts. */
export const PREVIEW_NAMES: typeof ARG_NAMES = {
    "": ["stack", "workDir", "language", "defaultBranch", "pulumiVersion", "backendUrl", "runsOn", "github"],
    github: ["repository", "branch", "commitMessage"],
};
