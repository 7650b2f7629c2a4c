import { GitHubArgs, RegistryArgs } from "../args";
import { Problems, show } from "../errors";
import { GitHubPlan } from "../plan";
import { WorkflowPlan } from "../plan/workflow";
import { inServiceDir } from "../render/workflow/steps";
import { checkBoolean } from "./image";
import { parseReference } from "../reference";
import { Claims } from "./claims";
import * as rules from "./rules";

/** The files a service commits to its repository, by resource key, in commit order. */
export const REPO_FILE_KEYS = ["workflow", "scan", "dockerfile", "dockerignore", "dependabot"] as const;
export type RepoFileKey = (typeof REPO_FILE_KEYS)[number];

/** The repository paths of the committed files: the workflow, the Dockerfile with its allow-list beside it, and the optional Dependabot configuration. */
export function repositoryPaths(plan: Pick<WorkflowPlan, "path" | "serviceDir" | "scanPath" | "dependabot">): Array<[RepoFileKey, string]> {
    const out: Array<[RepoFileKey, string]> = [
        ["workflow", plan.path],
        ["dockerfile", inServiceDir(plan.serviceDir, "Dockerfile")],
        ["dockerignore", inServiceDir(plan.serviceDir, "Dockerfile.dockerignore")],
    ];
    if (plan.scanPath) out.push(["scan", plan.scanPath]);
    if (plan.dependabot) out.push(["dependabot", ".github/dependabot.yml"]);
    return out;
}

/**
 * Checks the GitHub arguments that the workflow does not cover, and that this service's files,
 * variable prefix and branch protection do not collide with another service's in the same
 * repository. Records problems; returns the plan and the claims to commit.
 */
export function resolveGitHub(
    gh: GitHubArgs,
    workflow: Omit<WorkflowPlan, "inputs"> | undefined,
    registry: RegistryArgs | undefined,
    repository: unknown,
    owner: symbol,
    claims: Claims,
    problems: Problems,
): { plan: GitHubPlan; claims: string[] } | undefined {
    const before = problems.count;
    if (typeof gh.repository !== "string" || !/^[A-Za-z0-9._-]{1,100}$/.test(gh.repository)) {
        problems.add("github.repository", "invalid", `'github.repository' must be a repository name without owner, like "api", got ${show(gh.repository)}.`);
    }
    const badBranch = gh.branch === undefined ? undefined : rules.branch("github.branch", gh.branch);
    if (badBranch) problems.add("github.branch", "invalid", badBranch);
    for (const [field, value] of [["github.commitMessage", gh.commitMessage], ["github.commitAuthor", gh.commitAuthor], ["github.commitEmail", gh.commitEmail]] as const) {
        if (value !== undefined && (typeof value !== "string" || value.trim() === "" || (/[\r\n]/.test(value) && field !== "github.commitMessage"))) {
            problems.add(field, "invalid", `'${field}' must be a non-empty string${field === "github.commitMessage" ? "" : " on one line"}, got ${show(value)}.`);
        }
    }
    checkBoolean(problems, "github.manageSecrets", gh.manageSecrets);
    const protection = gh.branchProtection;
    if (protection !== undefined && (typeof protection !== "object" || protection === null || protection.repositoryId === undefined)) {
        problems.add("github.branchProtection", "invalid", `'github.branchProtection' must be { repositoryId, strict? }, got ${show(protection)}.`);
    }
    const manageSecrets = gh.manageSecrets ?? true;
    const badNetrc = rules.netrcText("github.netrc", gh.netrc as string);
    if (badNetrc) problems.add("github.netrc", "invalid", badNetrc);
    if (gh.netrc !== undefined && gh.privateModules !== true) {
        problems.add("github.netrc", "conflict", `'github.netrc' is set but 'github.privateModules' is not: set privateModules: true so the workflow reads it, or drop the netrc.`);
    }
    if (manageSecrets === true && workflow !== undefined && workflow.registryLogin.kind === "password" && (registry?.username === undefined || registry?.password === undefined)) {
        const prefix = workflow?.prefix ?? "<PREFIX>";
        problems.add("registry", "missing", `'github' keeps the registry login in ${prefix}_REGISTRY_USERNAME and the environment secret ${prefix}_REGISTRY_PASSWORD: set registry.username and registry.password (a ghcr.io repository needs neither: the workflow logs in with GITHUB_TOKEN; nor does 'github.registryOidc'), or set github.manageSecrets: false and create them yourself.`);
    }
    const badOwner = gh.owner === undefined ? undefined : rules.matches(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'a GitHub user or organization name like "acme"')("github.owner", gh.owner);
    if (badOwner) problems.add("github.owner", "invalid", badOwner);
    if (!workflow || problems.count > before) return undefined;

    const branch = gh.branch ?? workflow.defaultBranch;
    const keys: Array<[string, string]> = [
        ...repositoryPaths(workflow).map(([, p]): [string, string] => [`github-file:${gh.repository}@${branch}:${p}`, `file ${show(p)}`]),
        [`github-prefix:${gh.repository}:${workflow.prefix}`, `variable prefix ${show(workflow.prefix)}`],
    ];
    if (protection) keys.push([`github-protect:${gh.repository}:${branch}`, `branch protection of ${show(branch)}`]);
    for (const [key, what] of keys) {
        const other = claims.clash(key, owner);
        if (other !== undefined) {
            problems.add("github", "conflict", `the ${what} in repository ${show(gh.repository)} is also GoServiceImage ${show(other)}'s: give each service its own 'github.serviceDir' and 'github.variablePrefix'; for branch protection of several services use one github.BranchProtection with all their statusChecks.`);
        }
    }
    if (problems.count > before) return undefined;
    const repoOwner = gh.owner ?? ghcrOwner(repository);
    const sourceUrl = repoOwner === undefined ? undefined : `https://github.com/${repoOwner}/${gh.repository}`;
    return { plan: { args: gh, branch, manageSecrets, sourceUrl }, claims: keys.map(([key]) => key) };
}

/** The owner in a ghcr.io repository (`ghcr.io/acme/api` → `acme`): GitHub names packages after their owner. */
function ghcrOwner(repository: unknown): string | undefined {
    if (typeof repository !== "string") return undefined;
    const ref = parseReference(repository);
    return typeof ref !== "string" && ref.domain === "ghcr.io" ? ref.path.split("/")[0] : undefined;
}
