import * as pulumi from "@pulumi/pulumi";
import * as github from "@pulumi/github";
import { GoServiceImageError, Problem, show } from "../errors";
import { WorkflowOptions } from "../options";
import * as rules from "../resolve/rules";
import { variableNames } from "../workflow/build";
import { inServiceDir, WorkflowPlan } from "../workflow/plan";

/** Where and how the generated files, variables and secret are kept in GitHub. */
export interface GitHubArgs extends WorkflowOptions {
    /**
     * The repository name, without owner (the github provider's `owner` applies). A plain string:
     * files of all services in one repository are committed one after another, in program order.
     */
    readonly repository: string;
    /**
     * Branch the files are committed to.
     * @default - `defaultBranch`
     */
    readonly branch?: string;
    /**
     * @default - "<service>: update <file> (pulumi-go-service-image)"
     */
    readonly commitMessage?: string;
    /** @default - the token's user */
    readonly commitAuthor?: string;
    /** @default - the token's user */
    readonly commitEmail?: string;
    /**
     * Create the repository variables and the secret the workflow reads (see `variablePrefix`).
     * Needs `registry.username` and `registry.password`.
     * @default true
     */
    readonly manageSecrets?: boolean;
    /**
     * Protect `branch`, requiring exactly this service's two job checks. For several services in
     * one repository, create one `github.BranchProtection` yourself with the union of their
     * `statusChecks` instead (two components protecting one branch is an error).
     * @default - no branch protection
     */
    readonly branchProtection?: { readonly repositoryId: pulumi.Input<string>; readonly strict?: boolean };
}

/** A file committed to the repository; `key` names its resource. */
export interface RepoFile {
    readonly key: "workflow" | "dockerfile" | "dockerignore";
    readonly path: string;
    readonly content: string;
}

/** The files committed for a service, in commit order. */
export function repositoryFiles(plan: WorkflowPlan, texts: { workflow: string; dockerfile: string; dockerignore: string }): RepoFile[] {
    const under = (f: string) => inServiceDir(plan, f);
    return [
        { key: "workflow", path: plan.path, content: texts.workflow },
        { key: "dockerfile", path: under("Dockerfile"), content: texts.dockerfile },
        { key: "dockerignore", path: under(".dockerignore"), content: texts.dockerignore },
    ];
}

/** Claims in this process: repository paths and names, so services never overwrite each other. */
const claimed = new Map<string, string>();
/** The last file resource committed to each repository branch: the next one waits for it (GitHub answers 409 to concurrent commits). */
const lastCommit = new Map<string, pulumi.Resource>();

/**
 * Checks that this service's files, variable names and branch protection do not collide with
 * another service's in the same repository. Throws before anything is registered.
 */
export function claimGitHub(name: string, gh: GitHubArgs, plan: WorkflowPlan, files: readonly RepoFile[]): void {
    const problems: Problem[] = [];
    if (typeof gh.repository !== "string" || !/^[A-Za-z0-9._-]{1,100}$/.test(gh.repository)) {
        problems.push({ field: "github.repository", code: "invalid", message: `'github.repository' must be a repository name without owner, like "api", got ${show(gh.repository)}.` });
    }
    const badBranch = gh.branch === undefined ? undefined : rules.branch("github.branch", gh.branch);
    if (badBranch) problems.push({ field: "github.branch", code: "invalid", message: badBranch });
    for (const [field, value] of [["github.commitMessage", gh.commitMessage], ["github.commitAuthor", gh.commitAuthor], ["github.commitEmail", gh.commitEmail]] as const) {
        if (value !== undefined && (typeof value !== "string" || value.trim() === "" || /[\r\n]/.test(value) && field !== "github.commitMessage")) {
            problems.push({ field, code: "invalid", message: `'${field}' must be a non-empty string${field === "github.commitMessage" ? "" : " on one line"}, got ${show(value)}.` });
        }
    }
    const branch = gh.branch ?? plan.defaultBranch;
    const keys: Array<[string, string]> = [
        ...files.map((f): [string, string] => [`file:${gh.repository}@${branch}:${f.path}`, `file ${show(f.path)}`]),
        [`prefix:${gh.repository}:${plan.prefix}`, `variable prefix ${show(plan.prefix)}`],
    ];
    if (gh.branchProtection) keys.push([`protect:${gh.repository}:${branch}`, `branch protection of ${show(branch)}`]);
    for (const [key, what] of keys) {
        const owner = claimed.get(key);
        if (owner !== undefined && owner !== name) {
            problems.push({ field: "github", code: "conflict", message: `the ${what} in repository ${show(gh.repository)} is also GoServiceImage "${owner}"'s: give each service its own 'github.serviceDir' and 'github.variablePrefix'; for branch protection of several services use one github.BranchProtection with all their statusChecks.` });
        }
    }
    if (problems.length > 0) throw new GoServiceImageError(name, problems);
    for (const [key] of keys) claimed.set(key, name);
}

/** Deployment values the variables and secret carry. */
export interface RegistryValues {
    readonly repository: pulumi.Output<string>;
    readonly server: pulumi.Output<string>;
    readonly username?: pulumi.Input<string>;
    readonly password?: pulumi.Input<string>;
}

/** The resources made for a service's repository. */
export interface GitHubResources {
    readonly files: github.RepositoryFile[];
    readonly variables: github.ActionsVariable[];
    readonly secret?: github.ActionsSecret;
    readonly protection?: github.BranchProtection;
}

/**
 * Registers the repository files (one after another, after any earlier service's in the same
 * branch), the variables and secret, and the optional branch protection. Called at the top level
 * of the component's constructor: never inside an apply.
 */
export function provisionGitHub(parent: pulumi.Resource, name: string, gh: GitHubArgs, plan: WorkflowPlan, files: readonly RepoFile[], registry: RegistryValues): GitHubResources {
    const branch = gh.branch ?? plan.defaultBranch;
    const chainKey = `${gh.repository}@${branch}`;
    const made: github.RepositoryFile[] = [];
    for (const { key, path: file, content } of files) {
        const previous = lastCommit.get(chainKey);
        const resource = new github.RepositoryFile(
            `${name}-${key}`,
            {
                repository: gh.repository,
                branch,
                file,
                content,
                commitMessage: gh.commitMessage ?? `${name}: update ${file} (pulumi-go-service-image)`,
                commitAuthor: gh.commitAuthor,
                commitEmail: gh.commitEmail,
            },
            { parent, dependsOn: previous ? [previous] : [] },
        );
        lastCommit.set(chainKey, resource);
        made.push(resource);
    }

    const names = variableNames(plan.prefix);
    const variables: github.ActionsVariable[] = [];
    let secret: github.ActionsSecret | undefined;
    if (gh.manageSecrets !== false) {
        const variable = (suffix: string, variableName: string, value: pulumi.Input<string>) =>
            new github.ActionsVariable(`${name}-${suffix}`, { repository: gh.repository, variableName, value }, { parent });
        variables.push(variable("image-repository", names.repository, registry.repository), variable("registry", names.registry, registry.server));
        variables.push(variable("registry-username", names.username, registry.username as pulumi.Input<string>));
        secret = new github.ActionsSecret(
            `${name}-registry-password`,
            { repository: gh.repository, secretName: names.password, value: pulumi.secret(registry.password as pulumi.Input<string>) },
            { parent },
        );
    }

    const protection = gh.branchProtection
        ? new github.BranchProtection(
              `${name}-branch-protection`,
              {
                  repositoryId: gh.branchProtection.repositoryId,
                  pattern: branch,
                  // Admins (the token committing the files) may still push; everyone else needs green checks.
                  enforceAdmins: false,
                  requiredStatusChecks: [{ strict: gh.branchProtection.strict ?? true, contexts: [plan.checks.test, plan.checks.image] }],
              },
              { parent, dependsOn: made },
          )
        : undefined;
    return { files: made, variables, secret, protection };
}
