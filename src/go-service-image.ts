import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { GoServiceImageError, Problems, show } from "./errors";
import { FileOptions, planFiles, writeFiles } from "./generated-files";
import { imageBuildInputs, NetworkMode } from "./build-inputs";
import { imageRefFrom } from "./image-ref";
import { BuildSettings, ServiceOptions } from "./options";
import { resolve } from "./resolve";
import { ImagePlan } from "./plan";
import * as rules from "./resolve/rules";
import { buildSpec } from "./spec";
import { claimGitHub, GitHubArgs, GitHubResources, provisionGitHub, RepoFile, repositoryFiles } from "./github/provision";
import { resolveWorkflow, WorkflowPlan } from "./workflow/plan";
import { buildWorkflow } from "./workflow/build";
import { renderWorkflow } from "./workflow/render";

/** Registry credentials for the push. The password is always kept secret. */
export interface RegistryArgs {
    /**
     * Registry host, e.g. `ghcr.io` or `localhost:5000` (no scheme).
     * @default - the host of `repository`.
     */
    readonly server?: pulumi.Input<string>;
    /**
     * @default - the engine's own credentials (docker login) for the server.
     */
    readonly username?: pulumi.Input<string>;
    /**
     * Password or token. Wrapped with `pulumi.secret`, so it never reaches state in plaintext.
     * @default - the engine's own credentials (docker login) for the server.
     */
    readonly password?: pulumi.Input<string>;
}

/** Arguments of {@link GoServiceImage}. */
export interface GoServiceImageArgs extends ServiceOptions, BuildSettings, FileOptions {
    /**
     * The image repository to push to, without tag or digest, e.g. `ghcr.io/acme/api`.
     */
    readonly repository: pulumi.Input<string>;

    /**
     * Registry credentials.
     * @default - the engine's own credentials.
     */
    readonly registry?: RegistryArgs;

    /**
     * Network mode of the build's RUN steps: `default`, `host` or `none`. Engines started without
     * a default bridge (`dockerd --bridge=none`) need `host` to download modules.
     * @default - the engine's default.
     */
    readonly network?: NetworkMode;

    /**
     * Build on `pulumi preview` too, so a preview fails when the build would.
     * @default false
     */
    readonly buildOnPreview?: boolean;

    /**
     * Give the service a GitHub Actions workflow (test, lint, vulnerability check, image build and
     * push with the same Dockerfile) and keep it, the Dockerfile and the .dockerignore in its
     * repository, with the registry variables and secret the workflow reads.
     * @default - no GitHub resources
     */
    readonly github?: GitHubArgs;
}

/**
 * A Go service built into a small, non-root image from a generated multi-stage Dockerfile,
 * pushed to a registry and exposed by digest.
 *
 * Build-shaping settings are plain values: the Dockerfile is generated and written when the
 * program runs, also on `pulumi preview`, and the image tag is derived from the content of the
 * build, so an unchanged service shows no diff. Bad input throws a {@link GoServiceImageError}
 * before any resource is registered or any file written.
 */
export class GoServiceImage extends pulumi.ComponentResource {
    /** The pushed image by digest, `repository@sha256:…`: use this in deployments. */
    public readonly imageRef: pulumi.Output<string>;
    /** The manifest digest, `sha256:…`. */
    public readonly digest: pulumi.Output<string>;
    /** The pushed image with its content tag, `repository:content-…`. */
    public readonly imageName: pulumi.Output<string>;
    /** The content tag, `content-<16 hex>`. */
    public readonly tag: pulumi.Output<string>;
    /** The version stamped into the binary and the image label. */
    public readonly version: pulumi.Output<string>;
    /** The generated Dockerfile text. */
    public readonly dockerfile: pulumi.Output<string>;
    /** The generated .dockerignore text. */
    public readonly dockerignore: pulumi.Output<string>;
    /** Where the Dockerfile was written, relative to the program directory. */
    public readonly dockerfilePath: pulumi.Output<string>;
    /** The generated workflow text, when `github` is set. */
    public readonly workflow: pulumi.Output<string | undefined>;
    /** Where the workflow lives in the repository, e.g. `.github/workflows/api.yml`, when `github` is set. */
    public readonly workflowPath: pulumi.Output<string | undefined>;
    /** The workflow's job names: the status checks a branch protection should require. */
    public readonly statusChecks: pulumi.Output<string[]>;
    /** The `@pulumi/docker` Image that builds and pushes. */
    public readonly image: docker.Image;
    /** The GitHub resources, when `github` is set. */
    public readonly github?: GitHubResources;

    constructor(name: string, args: GoServiceImageArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything that can fail is checked before super(): a bad input registers nothing.
        const plan = resolve(name, args);
        checkDeployment(name, args);
        const spec = buildSpec(plan, args.writeDockerignore === false);
        const files = planFiles(name, args.context, spec, args);
        const wf = args.github ? workflowOf(name, args, plan, spec) : undefined;

        super("pulumi-go-service-image:index:GoServiceImage", name, {}, opts);

        writeFiles(files);
        const repository = pulumi.output(args.repository);
        const registry = args.registry;
        this.image = new docker.Image(
            name,
            {
                imageName: pulumi.interpolate`${repository}:${spec.tag}`,
                build: imageBuildInputs(args.context, files.dockerfilePath, spec, args.network),
                buildOnPreview: args.buildOnPreview ?? false,
                registry: registry && {
                    server: registry.server,
                    username: registry.username,
                    password: registry.password === undefined ? undefined : pulumi.secret(registry.password),
                },
            },
            { parent: this },
        );

        if (wf && args.github) {
            this.github = provisionGitHub(this, name, args.github, wf.plan, wf.files, {
                repository,
                server: registry?.server !== undefined ? pulumi.output(registry.server) : repository.apply(registryHost),
                username: registry?.username,
                password: registry?.password,
            });
        }

        const ref = pulumi.all([repository, this.image.repoDigest]).apply(([repo, repoDigest]) => imageRefFrom(name, repo, repoDigest));
        this.imageRef = ref.imageRef;
        this.digest = ref.digest;
        this.imageName = this.image.imageName;
        this.tag = pulumi.output(spec.tag);
        this.version = pulumi.output(spec.version);
        this.dockerfile = pulumi.output(spec.dockerfile);
        this.dockerignore = pulumi.output(spec.dockerignore);
        this.dockerfilePath = pulumi.output(files.dockerfilePath);
        this.workflow = pulumi.output(wf?.text);
        this.workflowPath = pulumi.output(wf?.plan.path);
        this.statusChecks = pulumi.output(wf ? [wf.plan.checks.test, wf.plan.checks.image] : []);
        this.registerOutputs({
            imageRef: this.imageRef,
            digest: this.digest,
            imageName: this.imageName,
            tag: this.tag,
            version: this.version,
            dockerfile: this.dockerfile,
            dockerignore: this.dockerignore,
            dockerfilePath: this.dockerfilePath,
            workflow: this.workflow,
            workflowPath: this.workflowPath,
            statusChecks: this.statusChecks,
        });
    }
}

/** Resolves and renders the workflow and claims its repository paths; throws on any problem. */
function workflowOf(name: string, args: GoServiceImageArgs, image: ImagePlan, spec: { dockerfile: string; dockerignore: string }): { plan: WorkflowPlan; text: string; files: RepoFile[] } {
    const gh = args.github as GitHubArgs;
    const plan = resolveWorkflow(image, gh);
    if (gh.manageSecrets !== false && (args.registry?.username === undefined || args.registry?.password === undefined)) {
        throw new GoServiceImageError(name, [{
            field: "registry",
            code: "missing",
            message: `'github' keeps the registry login in ${plan.prefix}_REGISTRY_USERNAME and the secret ${plan.prefix}_REGISTRY_PASSWORD: set registry.username and registry.password, or set github.manageSecrets: false and create them yourself.`,
        }]);
    }
    const text = renderWorkflow(buildWorkflow(plan));
    // A .dockerignore the user keeps (writeDockerignore: false) is theirs to commit, not ours.
    const files = repositoryFiles(plan, { workflow: text, ...spec }).filter((f) => f.key !== "dockerignore" || args.writeDockerignore !== false);
    claimGitHub(name, gh, plan, files);
    return { plan, text, files };
}

/** The registry host of a repository reference, as Docker reads it. */
export function registryHost(repository: string): string {
    const first = repository.split("/")[0];
    return repository.includes("/") && /[.:]|^localhost$/.test(first) ? first : "docker.io";
}

/** Checks the deployment values that are plain strings; Outputs are checked by the provider. */
function checkDeployment(name: string, args: GoServiceImageArgs): void {
    const problems = new Problems();
    const plain = (v: unknown): v is string => typeof v === "string";
    if (args.repository === undefined || args.repository === null || args.repository === "") {
        problems.add("repository", "missing", `'repository' is required: give the image repository without tag, e.g. "ghcr.io/acme/api".`);
    } else if (plain(args.repository)) {
        const bad = rules.repository("repository", args.repository);
        if (bad) problems.add("repository", "invalid", bad);
    }
    const reg = args.registry;
    if (reg !== undefined) {
        if (plain(reg.server)) {
            const bad = rules.registryServer("registry.server", reg.server);
            if (bad) problems.add("registry.server", "invalid", bad);
            else if (plain(args.repository) && !rules.repository("repository", args.repository) && !repositoryOnServer(args.repository, reg.server)) {
                problems.add("registry.server", "conflict", `'registry.server' ${show(reg.server)} is not the registry of 'repository' ${show(args.repository)}: prefix the repository with "${reg.server}/" or fix the server.`);
            }
        }
        if ((reg.username === undefined) !== (reg.password === undefined)) {
            const missing = reg.username === undefined ? "username" : "password";
            problems.add(`registry.${missing}`, "missing", `'registry.${missing}' is missing: give both username and password, or neither to use the engine's docker login.`);
        }
    }
    if (args.network !== undefined && !["default", "host", "none"].includes(args.network)) {
        problems.add("network", "invalid", `'network' must be "default", "host" or "none", got ${show(args.network)}.`);
    }
    if (args.generatedDir !== undefined && (typeof args.generatedDir !== "string" || args.generatedDir.trim() === "" || rules.oneLine("generatedDir", args.generatedDir))) {
        problems.add("generatedDir", "invalid", `'generatedDir' must be a non-empty one-line path, got ${show(args.generatedDir)}.`);
    }
    problems.throwIfAny(name);
}

function repositoryOnServer(repository: string, server: string): boolean {
    const norm = (h: string) => (h === "index.docker.io" || h === "registry-1.docker.io" ? "docker.io" : h);
    return norm(registryHost(repository)) === norm(server);
}
