import { DEFAULTS, GoServiceImageArgs } from "../args";
import { Problems, show } from "../errors";
import { DeploymentPlan } from "../plan";
import { checkRegistryServer, checkRepository, registryHost, sameRegistry } from "../reference";
import { checkBoolean } from "./image";
import { isLater } from "./later";

const NETWORKS = ["default", "host", "none"];


/**
 * Checks the deployment values: the repository, the registry login, the build network. Plain
 * strings are checked here; Outputs are known only later and checked by the provider.
 */
export function resolveDeployment(args: GoServiceImageArgs, repositoryRequired: boolean, problems: Problems): DeploymentPlan {
    const plain = (v: unknown): v is string => typeof v === "string";
    const repo = args.repository;
    if (repo === undefined || repo === null || repo === "") {
        if (repositoryRequired) problems.add("repository", "missing", `'repository' is required: give the image repository without tag, e.g. "ghcr.io/acme/api".`);
    } else if (plain(repo) || !isLater(repo)) {
        const bad = checkRepository("repository", repo);
        if (bad) problems.add("repository", "invalid", bad);
    }
    const reg = args.registry;
    if (reg !== undefined) {
        if (typeof reg !== "object" || reg === null) {
            problems.add("registry", "invalid", `'registry' must be { server?, username?, password? }, got ${show(reg)}.`);
        } else {
            if (plain(reg.server)) {
                const bad = checkRegistryServer("registry.server", reg.server);
                if (bad) problems.add("registry.server", "invalid", bad);
                else if (plain(repo) && !checkRepository("repository", repo) && !sameRegistry(registryHost(repo), reg.server)) {
                    problems.add("registry.server", "conflict", `'registry.server' ${show(reg.server)} is not the registry of 'repository' ${show(repo)}: prefix the repository with "${reg.server}/" or fix the server.`);
                }
            }
            if ((reg.username === undefined) !== (reg.password === undefined)) {
                const missing = reg.username === undefined ? "username" : "password";
                problems.add(`registry.${missing}`, "missing", `'registry.${missing}' is missing: give both username and password, or neither to use the engine's docker login.`);
            }
        }
    }
    if (args.network !== undefined && !NETWORKS.includes(args.network)) {
        problems.add("network", "invalid", `'network' must be "default", "host" or "none", got ${show(args.network)}.`);
    }
    checkBoolean(problems, "buildOnPreview", args.buildOnPreview);
    checkBoolean(problems, "deletePushedImage", args.deletePushedImage);
    const limit = args.maxParallelBuilds;
    if (limit !== undefined && !(typeof limit === "number" && Number.isInteger(limit) && limit >= 1)) {
        problems.add("maxParallelBuilds", "invalid", `'maxParallelBuilds' must be a whole number of at least 1, got ${show(limit)}: leave it unset for no bound.`);
    }
    return { repository: repo, registry: reg, network: args.network, buildOnPreview: args.buildOnPreview ?? DEFAULTS.buildOnPreview, deletePushedImage: args.deletePushedImage ?? DEFAULTS.deletePushedImage, maxParallelBuilds: limit };
}
