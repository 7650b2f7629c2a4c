import { ARG_NAMES, DEFAULTS, InfraLanguage, PackageManager, PreviewOidc, PreviewWorkflowArgs } from "../args";
import { checkPreviewOidc } from "./oidc";
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
    readonly nodeVersion: string;
    readonly packageManager: PackageManager;
    readonly pythonVersion: string;
    readonly mergeQueue: boolean;
    readonly oidc: PreviewOidc;
    readonly secretEnv: readonly string[];
}

const stack = rules.matches(/^([A-Za-z0-9_.-]{1,100}\/){0,2}[A-Za-z0-9_.-]{1,100}$/, 'a stack name like "prod" or "acme/infra/prod"');
const workDir = rules.repositoryPath('"infra"');
const cliVersion = rules.matches(/^\d+\.\d+\.\d+$/, 'a Pulumi CLI release like "3.274.0" (pinned: never "latest")');
const backend = rules.matches(/^(s3|azblob|gs|file):\/\/[A-Za-z0-9_.~:/?#@!$&'()*+,;=%-]+$/, 'a self-managed backend URL like "s3://acme-pulumi-state"');
const LANGUAGES: readonly string[] = Object.values(InfraLanguage);
const PACKAGE_MANAGERS: readonly string[] = Object.values(PackageManager);
const nodeVersion = rules.matches(/^\d{2}(\.\d+){0,2}$/, 'a Node.js version like "22" or "22.11.0"');
const pythonVersion = rules.matches(/^3\.\d{1,2}(\.\d+)?$/, 'a Python version like "3.12"');
// GitHub's secret names: letters, digits and _, not starting with a digit or GITHUB_.
const secretName = rules.matches(/^(?!GITHUB_)[A-Za-z_][A-Za-z0-9_]{0,99}$/i, "a secret name of letters, digits and _, not starting with a digit or GITHUB_");

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
    check("nodeVersion", args.nodeVersion, nodeVersion, "string");
    check("pythonVersion", args.pythonVersion, pythonVersion, "string");
    if (args.packageManager !== undefined && !PACKAGE_MANAGERS.includes(args.packageManager)) {
        problems.add("packageManager", "invalid", `'packageManager' must be one of ${PACKAGE_MANAGERS.map((m) => show(m)).join(", ")}, got ${show(args.packageManager)}.`);
    }
    if (args.mergeQueue !== undefined && typeof args.mergeQueue !== "boolean") problems.add("mergeQueue", "invalid", `'mergeQueue' must be true or false, got ${show(args.mergeQueue)}.`);
    checkPreviewOidc(args.oidc, problems);
    if (args.backendUrl !== undefined && args.oidc?.pulumi !== undefined) {
        problems.add("oidc.pulumi", "conflict", "'oidc.pulumi' logs in to Pulumi Cloud, but 'backendUrl' names a self-managed backend: drop one of them (a self-managed backend logs in with the cloud's credentials: oidc.aws, oidc.gcp or oidc.azure).");
    }
    if (args.secretEnv !== undefined) {
        if (!Array.isArray(args.secretEnv)) problems.add("secretEnv", "invalid", `'secretEnv' must be a list of secret names, got ${show(args.secretEnv)}.`);
        else args.secretEnv.forEach((n, i) => check(`secretEnv[${i}]`, n, secretName, "string"));
    }
    const gh = args.github;
    if (gh !== undefined) {
        if (!component) problems.add("github", "unsupported", "'github' provisions the workflow with @pulumi/github: use the PreviewWorkflow component.");
        else if (typeof gh !== "object" || gh === null || typeof gh.repository !== "string" || !/^[A-Za-z0-9_.-]{1,100}$/.test(gh.repository)) {
            problems.add("github.repository", "invalid", `'github.repository' must be a repository name without owner, like "infra", got ${show(gh && (gh as { repository?: unknown }).repository)}.`);
        } else {
            check("github.branch", gh.branch, rules.branch, "string");
            if (gh.commitMessage !== undefined) check("github.commitMessage", gh.commitMessage, rules.oneLine, "string");
            const cloudTokens = !args.backendUrl && args.oidc?.pulumi === undefined;
            for (const key of ["previewAccessToken", "upAccessToken"] as const) {
                if (gh[key] !== undefined && !cloudTokens) problems.add(`github.${key}`, "conflict", `'github.${key}' is a Pulumi Cloud token, but the workflow logs in ${args.backendUrl ? "to the self-managed backend 'backendUrl'" : "with OIDC ('oidc.pulumi')"}: drop it.`);
            }
            if (gh.configPassphrase !== undefined && !args.backendUrl) problems.add("github.configPassphrase", "conflict", "'github.configPassphrase' is a self-managed backend's stack passphrase, but no 'backendUrl' is set: drop it, or set backendUrl.");
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
        nodeVersion: args.nodeVersion ?? DEFAULTS.preview.nodeVersion,
        packageManager: args.packageManager ?? DEFAULTS.preview.packageManager,
        pythonVersion: args.pythonVersion ?? DEFAULTS.preview.pythonVersion,
        mergeQueue: args.mergeQueue ?? DEFAULTS.preview.mergeQueue,
        oidc: args.oidc ?? {},
        secretEnv: [...(args.secretEnv ?? DEFAULTS.preview.secretEnv)],
    };
}

/** The names `PreviewWorkflowArgs` accepts. */
export const PREVIEW_NAMES: typeof ARG_NAMES = {
    "": ["stack", "workDir", "language", "defaultBranch", "pulumiVersion", "backendUrl", "runsOn", "nodeVersion", "packageManager", "pythonVersion", "mergeQueue", "oidc", "secretEnv", "github"],
    github: ["repository", "branch", "commitMessage", "previewAccessToken", "upAccessToken", "configPassphrase"],
    oidc: ["pulumi", "aws", "gcp", "azure"],
    "oidc.pulumi": ["organization", "previewTeam", "upTeam"],
    "oidc.aws": ["region", "previewRole", "upRole"],
    "oidc.gcp": ["workloadIdentityProvider", "previewServiceAccount", "upServiceAccount"],
    "oidc.azure": ["tenantId", "subscriptionId", "previewClientId", "upClientId"],
};
