import * as pulumi from "@pulumi/pulumi";
import type * as github from "@pulumi/github";
import { loadGitHub } from "./load";
import { GitHubPlan } from "../plan";
import { WorkflowPlan } from "../plan/workflow";
import { modulesTokenName, variableNames } from "../render/workflow/steps";
import { RELEASE_TAGS } from "../render/workflow/jobs";
import { passwordFor } from "./netrc";
import { RepoFileKey, repositoryPaths } from "../resolve/github";

/** The provider's classes, loaded on first use: the components check that it is installed before anything else (src/github/load.ts). */
const gitHub = () => loadGitHub("github", "GoServiceImage");

/** The last file resource committed to each repository branch: the next one waits for it (GitHub answers 409 to concurrent commits). */
const lastCommit = new Map<string, pulumi.Resource>();

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
    /** The deployment environment the publish job runs in, limited to the default branch. */
    readonly environment: github.RepositoryEnvironment;
    readonly variables: github.ActionsVariable[];
    /** The registry password, an environment secret: only the publish job on the default branch can read it. */
    readonly secret?: github.ActionsEnvironmentSecret;
    /** The netrc for private modules, a repository secret (the test job needs it too). */
    readonly netrc?: github.ActionsSecret;
    /** The netrc again, and each private module host's token, as Dependabot secrets. */
    readonly dependabot: github.DependabotSecret[];
    readonly protection?: github.BranchProtection;
}

/** One file committed to a repository branch, after the last one committed there by this program (and after `after`). */
export function commitFile(parent: pulumi.Resource, name: string, args: github.RepositoryFileArgs & { repository: string; branch: string }, after: pulumi.Resource[] = []): github.RepositoryFile {
    const chainKey = `${args.repository}@${args.branch}`;
    const previous = lastCommit.get(chainKey);
    const resource = new (gitHub().RepositoryFile)(name, args, { parent, dependsOn: [...(previous ? [previous] : []), ...after] });
    lastCommit.set(chainKey, resource);
    return resource;
}

/**
 * A deployment environment only the default branch may deploy to. Whoever can push a branch can
 * edit the workflow on it: secrets kept in the environment stay out of every other branch's runs.
 */
export function deploymentEnvironment(parent: pulumi.Resource, name: string, repository: string, environment: string, branch: string, tagPattern?: string): github.RepositoryEnvironment {
    const made = new (gitHub().RepositoryEnvironment)(
        `${name}-environment`,
        { repository, environment, deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true } },
        { parent },
    );
    new (gitHub().RepositoryEnvironmentDeploymentPolicy)(`${name}-environment-branch`, { repository, environment, branchPattern: branch }, { parent, dependsOn: [made] });
    // Release tags publish too: whoever may push such a tag may publish (protect them with a tag ruleset).
    if (tagPattern) new (gitHub().RepositoryEnvironmentDeploymentPolicy)(`${name}-environment-tags`, { repository, environment, tagPattern }, { parent, dependsOn: [made] });
    return made;
}

/**
 * Registers the repository files (one after another, after any earlier service's in the same
 * branch), the variables and secret, and the optional branch protection. Called at the top level
 * of the component's constructor: never inside an apply.
 */
export function provisionGitHub(
    parent: pulumi.Resource,
    name: string,
    { args: gh, branch, manageSecrets }: GitHubPlan,
    plan: WorkflowPlan,
    texts: Readonly<Partial<Record<RepoFileKey, string>>>,
    registry: RegistryValues,
): GitHubResources {
    const environment = deploymentEnvironment(parent, name, gh.repository, plan.environment, plan.defaultBranch, RELEASE_TAGS);

    const names = variableNames(plan.prefix);
    const variables: github.ActionsVariable[] = [];
    let secret: github.ActionsEnvironmentSecret | undefined;
    if (manageSecrets) {
        const variable = (suffix: string, variableName: string, value: pulumi.Input<string>) =>
            new (gitHub().ActionsVariable)(`${name}-${suffix}`, { repository: gh.repository, variableName, value }, { parent });
        variables.push(variable("image-repository", names.repository, registry.repository));
        // GHCR logs in with GITHUB_TOKEN: no stored login at all. OIDC needs the registry's address, no login.
        if (plan.registryLogin.kind !== "ghcr") variables.push(variable("registry", names.registry, registry.server));
        if (plan.registryLogin.kind === "password") {
            variables.push(variable("registry-username", names.username, registry.username as pulumi.Input<string>));
            secret = new (gitHub().ActionsEnvironmentSecret)(
                `${name}-registry-password`,
                { repository: gh.repository, environment: plan.environment, secretName: names.password, value: pulumi.secret(registry.password as pulumi.Input<string>) },
                { parent, dependsOn: [environment] },
            );
        }
    }
    const shared = gh.netrc !== undefined ? actionsAndDependabotSecret(parent, `${name}-netrc`, gh.repository, names.netrc, gh.netrc) : undefined;
    const netrc = shared?.actions;
    const dependabot = shared && gh.netrc !== undefined ? [shared.dependabot, ...modulesTokens(parent, name, gh.repository, gh.netrc, plan)] : [];

    // The workflow is committed last, after the files it builds and the settings it reads: its own
    // commit is the push that starts its first run, which then finds the Dockerfile, the
    // environment, the variables and the secrets in place (each file is a commit of its own).
    const settings: pulumi.Resource[] = [environment, ...variables, ...(secret ? [secret] : []), ...(netrc ? [netrc] : []), ...dependabot];
    const paths = repositoryPaths(plan);
    const ordered = [...paths.filter(([key]) => key !== "workflow"), ...paths.filter(([key]) => key === "workflow")];
    const made = ordered.map(([key, file]) =>
        commitFile(parent, `${name}-${key}`, {
            repository: gh.repository,
            branch,
            file,
            content: texts[key] as string,
            commitMessage: gh.commitMessage ?? `${name}: update ${file} (pulumi-go-service-image)`,
            commitAuthor: gh.commitAuthor,
            commitEmail: gh.commitEmail,
        }, key === "workflow" ? settings : []),
    );

    const protection = gh.branchProtection
        ? new (gitHub().BranchProtection)(
              `${name}-branch-protection`,
              {
                  repositoryId: gh.branchProtection.repositoryId,
                  pattern: branch,
                  // Admins (the token committing the files) may still push; everyone else needs green checks.
                  enforceAdmins: false,
                  requiredStatusChecks: [{ strict: gh.branchProtection.strict ?? true, contexts: [plan.checks.required] }],
              },
              { parent, dependsOn: made },
          )
        : undefined;
    return { files: made, environment, variables, secret, netrc, dependabot, protection };
}

/**
 * One secret under one name for Actions runs and for Dependabot's (its pull requests' runs get
 * Dependabot secrets, not Actions secrets): the resources `<resource>` and `<resource>-dependabot`.
 */
export function actionsAndDependabotSecret(parent: pulumi.Resource, resource: string, repository: string, secretName: string, value: pulumi.Input<string>): { actions: github.ActionsSecret; dependabot: github.DependabotSecret } {
    return {
        actions: new (gitHub().ActionsSecret)(resource, { repository, secretName, value: pulumi.secret(value) }, { parent }),
        dependabot: new (gitHub().DependabotSecret)(`${resource}-dependabot`, { repository, secretName, value: pulumi.secret(value) }, { parent }),
    };
}

/** For dependabot.yml's `registries`: each private module host's token, from the netrc's entry for it, as a Dependabot secret. */
function modulesTokens(parent: pulumi.Resource, name: string, repository: string, netrc: pulumi.Input<string>, plan: WorkflowPlan): github.DependabotSecret[] {
    const text = pulumi.output(netrc);
    return (plan.dependabot ? plan.privateHosts : []).map((host) =>
        new (gitHub().DependabotSecret)(`${name}-dependabot-modules-${host}`, { repository, secretName: modulesTokenName(plan.prefix, host), value: pulumi.secret(text.apply((t) => passwordFor(t, host))) }, { parent }));
}
