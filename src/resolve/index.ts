import * as fs from "fs";
import * as path from "path";
import { DEFAULTS, GoServiceImageArgs, WorkflowOptions } from "../args";
import { Problems, show } from "../errors";
import { Plan } from "../plan";
import { ImagePlan } from "../plan/image";
import { WorkflowPlan } from "../plan/workflow";
import { dockerignorePatterns } from "../render/dockerignore";
import { Claims, processClaims } from "./claims";
import { contextFiles } from "./context";
import { resolveDeployment } from "./deployment";
import { placeFiles } from "./files";
import { resolveGitHub } from "./github";
import { resolveImage } from "./image";
import { checkNames } from "./names";
import { checkSent, neededFiles } from "./sources";
import { resolveBuildx } from "./buildx";
import { resolveWorkflow } from "./workflow";
import { ciArgs } from "./ci-args";
import { LIBRARY_VERSION } from "../version";

/** What is being resolved, for whom. */
export interface ResolveRequest {
    /** The service name: the component's resource name, or the CLI's `--name`. */
    readonly name: string;
    readonly args: GoServiceImageArgs;
    /**
     * `component`: GoServiceImage (repository required, GitHub claims); `build`: the CLI's build
     * (repository required, no GitHub); `render`: the CLI's render (files under `out`, workflow always);
     * `inputs`: the CLI's inputs (what the component builds, for CI: files under `out`, no workflow, no repository).
     */
    readonly purpose: "component" | "build" | "render" | "inputs";
    /** The working directory relative paths start from. @default process.cwd() */
    readonly cwd?: string;
    /** render and inputs: where the Dockerfile and .dockerignore go. @default the module dir */
    readonly out?: string;
    /** render: where the workflow goes (`<repoRoot>/.github/workflows/<name>.yml`). @default out */
    readonly repoRoot?: string;
    /** render: the workflow's options (the component reads them from `args.github`). */
    readonly workflow?: WorkflowOptions;
    /** build: a netrc file given to the build as the BuildKit secret "netrc". */
    readonly netrc?: string;
    /** build: whether the result is pushed. */
    readonly push?: boolean;
    /** Claims already made in this process. @default the process-wide claims */
    readonly claims?: Claims;
}

/**
 * The only validator. Checks everything the component and the CLI accept (the image and the Go
 * module, the deployment values, where the files go, the workflow, the GitHub claims), reads the
 * module and the build context, fills in every default and places every file. Collects every
 * problem and throws one GoServiceImageError listing them all; writes and registers nothing.
 */
export function resolve(request: ResolveRequest): Plan {
    const { name, purpose } = request;
    const cwd = path.resolve(request.cwd ?? process.cwd());
    // Every path is read relative to the working directory given, not the process's: messages name absolute paths.
    const given = request.args;
    // Paths are the working directory's, context and root alike: both resolved before anything reads them.
    const resolved = (key: "context" | "root") => {
        const p = (given as Partial<GoServiceImageArgs>)[key];
        return typeof p === "string" && p !== "" ? { [key]: path.resolve(cwd, p) } : {};
    };
    const args: GoServiceImageArgs = typeof given === "object" && given !== null ? { ...given, ...resolved("context"), ...resolved("root") } : given;
    const claims = request.claims ?? processClaims;
    const owner = Symbol(name);
    const problems = new Problems();

    if (typeof name !== "string" || name.trim() === "") {
        problems.add("name", "missing", `the resource name must be a non-empty string, got ${show(name)}.`);
    }
    if (typeof args !== "object" || args === null) {
        problems.add("args", "missing", `the arguments must be an object with at least 'context' and 'repository', got ${show(args)}.`);
        problems.throwIfAny(String(name));
    }
    checkNames(args, problems);
    const buildx = args.buildx === undefined
        ? undefined
        : resolveBuildx(args.buildx, typeof args.platform === "string" ? args.platform : undefined, DEFAULTS.platform, { cli: purpose !== "component", push: purpose === "component" || request.push === true }, problems);
    // With several platforms the first is the target the module is read for (the allow-list covers them all).
    const { plan: image, complete } = resolveImage(name, buildx && args.buildx?.platforms ? { ...args, platform: buildx.platforms[0] } : args, problems);
    const deployment = resolveDeployment(args, purpose === "component" || purpose === "build", problems);
    if (request.netrc !== undefined) checkNetrc(request.netrc, problems);
    const generatedDir = args.generatedDir ?? DEFAULTS.generatedDir;

    let plan: ImagePlan | undefined;
    let sent: Plan["contextFiles"] = [];
    if (image) {
        // The context and the sources are read only for a valid image plan: their checks need its main packages and target.
        const { files: needed, external } = complete ? neededFiles({ ...image, versionVariableGiven: args.versionVariable !== undefined }, problems) : { files: new Map<string, string>(), external: [] };
        plan = { ...image, contextAllowList: [...needed.keys()], dependencyPackages: external };
        if (complete) {
            sent = contextFiles(image.contextDir, dockerignorePatterns(plan), problems);
            checkSent(needed, sent, plan.dockerignoreExtra, problems);
        }
    }

    let workflow: Omit<WorkflowPlan, "inputs"> | undefined;
    const workflowOptions = purpose === "render" ? request.workflow ?? {} : purpose === "component" ? args.github : undefined;
    if (plan && workflowOptions !== undefined) {
        if (typeof workflowOptions !== "object" || workflowOptions === null) problems.add("github", "invalid", `'github' must be an object with at least 'repository', got ${show(workflowOptions)}.`);
        else workflow = resolveWorkflow(plan, workflowOptions, problems, typeof args.repository === "string" ? args.repository : undefined);
    }
    const files = plan && placeFiles(
        {
            name,
            cwd,
            context: plan.context,
            purpose,
            generatedDir,
            out: request.out && path.resolve(cwd, request.out),
            repoRoot: request.repoRoot && path.resolve(cwd, request.repoRoot),
        },
        purpose === "render" ? { workflow: workflow?.path, scan: workflow?.scanPath } : {},
        owner,
        claims,
        problems,
    );
    const github = purpose === "component" && args.github && typeof args.github === "object"
        ? resolveGitHub(args.github, workflow, deployment.registry, args.repository, owner, claims, problems)
        : undefined;

    problems.throwIfAny(name);
    const toClaim = [...(files?.claims ?? []), ...(github?.claims ?? [])];
    // With GitHub, the image's source label names the repository (a ghcr.io package links to it), unless sourceUrl says otherwise.
    const final = plan && plan.sourceUrl === undefined && github?.plan.sourceUrl ? { ...plan, sourceUrl: github.plan.sourceUrl } : (plan as ImagePlan);
    return {
        name,
        image: final,
        contextFiles: sent,
        files: { dockerfile: files!.dockerfile, dockerignore: files!.dockerignore, workflow: files!.workflow, scan: files!.scan },
        deployment,
        workflow: workflow && { ...workflow, inputs: { args: ciArgs(args, final), library: LIBRARY_VERSION } },
        github: github?.plan,
        buildx,
        claim: () => toClaim.forEach((key) => claims.claim(key, owner, name)),
    };
}

function checkNetrc(file: string, problems: Problems): void {
    try {
        if (!fs.statSync(file).isFile()) throw Object.assign(new Error(), { code: "EISDIR" });
        fs.accessSync(file, fs.constants.R_OK);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        problems.add("netrc", code === "ENOENT" ? "not-found" : "unreadable", code === "ENOENT"
            ? `--netrc ${show(file)} does not exist: give the netrc file with your private module credentials (e.g. ~/.netrc).`
            : `--netrc ${show(file)} cannot be read (${code}): give a readable netrc file.`);
    }
}
