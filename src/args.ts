import * as pulumi from "@pulumi/pulumi";

/**
 * Every default of the library, in one place: resolve fills them in from here, `--help` prints
 * them from here, and a unit test checks each TSDoc `@default` below against this table.
 */
export const DEFAULTS = {
    builderImage: "golang",
    builderTagSuffix: "-alpine",
    runtime: "scratch",
    cgo: false,
    versionVariable: "main.version",
    ldflags: [],
    buildTags: [],
    embedTzdata: true,
    port: 8080,
    user: 65532,
    command: [],
    env: {},
    labels: {},
    dockerignore: [],
    revision: "unknown",
    sourceDateEpoch: 0,
    platform: "linux/amd64",
    goEnv: {},
    buildArgs: {},
    generatedDir: ".go-service-image",
    buildOnPreview: false,
    deletePushedImage: false,
    buildx: {
        cacheFrom: [],
        cacheTo: [],
    },
    preview: {
        workDir: ".",
        language: "nodejs",
        defaultBranch: "main",
        pulumiVersion: "3.274.0",
        runsOn: "ubuntu-24.04",
        nodeVersion: "22",
        packageManager: "npm",
        pythonVersion: "3.12",
        mergeQueue: false,
        secretEnv: [],
    },
    github: {
        defaultBranch: "main",
        golangciLintVersion: "v2.15.0",
        govulncheck: true,
        govulncheckVersion: "v1.9.0",
        privateModules: false,
        dependabot: false,
        codeScanning: false,
        platforms: ["linux/amd64"],
        sbom: false,
        provenance: false,
        sign: false,
        attest: false,
        runsOn: "ubuntu-24.04",
        manageSecrets: true,
    },
} as const;

/**
 * Build-shaping settings of a Go service image. Plain values only: they decide the generated
 * files, so they must be known when the program runs (also in `pulumi preview`) and must not
 * depend on other resources. Shared by the component and the command-line tool.
 */
export interface ServiceOptions {
    /**
     * The Go module directory (the one with go.mod). It is the Docker build context.
     * Relative paths are relative to the current working directory (a Pulumi program's directory).
     */
    readonly context: string;

    /**
     * The main package to build, relative to the module root, e.g. `./cmd/api`. For several, use `mains`.
     * @default - `.` when the module root is `package main`, else the single `cmd/<name>` that is
     *   `package main` (build constraints honoured); several candidates or none is an error listing them.
     */
    readonly main?: string;

    /**
     * Several main packages shipped in one image, each built into `/usr/local/bin/<its directory name>`,
     * e.g. `["./cmd/api", "./cmd/worker"]`; `"./cmd/*"` stands for every main package under `cmd/`.
     * @default - the one `main` package.
     */
    readonly mains?: string[];

    /**
     * The binary the container runs (`ENTRYPOINT`), by name, when several are built.
     * @default - the first of `mains`.
     */
    readonly entrypoint?: string;

    /**
     * The repository root: local modules the service uses (`replace … => ../shared`, `go.work`)
     * must lie inside it. Relative to the working directory.
     * @default - the nearest directory at or above `context` holding `.git`.
     */
    readonly root?: string;

    /**
     * Build inside the go.work workspace that lists the module, as `go build` does in the
     * repository. Set false to build the module on its own (`GOWORK=off`, its own `replace`s).
     * A vendored module always builds on its own.
     * @default - true when a go.work at or above `context` (up to `root`) lists the module.
     */
    readonly workspace?: boolean;

    /**
     * Go version of the builder image, e.g. `1.22` or `1.22.5`.
     * @default - the `toolchain` line of go.mod if present, else its `go` line.
     */
    readonly goVersion?: string;

    /**
     * The builder image repository, used as `<builderImage>:<goVersion><builderTagSuffix>`. It must
     * have a POSIX shell and CA certificates at /etc/ssl/certs/ca-certificates.crt, as the official
     * golang images do.
     * @default "golang"
     */
    readonly builderImage?: string;

    /**
     * Suffix appended to the Go version to form the builder tag.
     * @default "-alpine"
     */
    readonly builderTagSuffix?: string;

    /**
     * The runtime base: `scratch` (no shell, no package manager; the library assembles CA
     * certificates, /etc/passwd, /etc/group and /tmp), `distroless`
     * (`gcr.io/distroless/static-debian12:nonroot`), `alpine` (`alpine:3.22`, which has a shell
     * and CA certificates), or any other image reference, e.g. `registry.example.com/base/static:1`.
     * @default "scratch"
     */
    readonly runtime?: string;

    /**
     * Pin base images by digest (`sha256:<64 hex>`): every `FROM` then names `image:tag@digest`,
     * which is immutable. Recommended for production.
     * @default - no pins: tags only.
     */
    readonly digests?: BaseDigests;

    /**
     * Build with cgo (`CGO_ENABLED=1`). Refused for `scratch` and `distroless`, which have no C
     * library; the build stage then runs on the target platform (emulated when it differs).
     * @default false
     */
    readonly cgo?: boolean;

    /**
     * The Go variable stamped with the version by `-ldflags -X`, as `importpath.name`.
     * @default "main.version"
     */
    readonly versionVariable?: string;

    /**
     * Extra `-ldflags` words, e.g. `["-X", "main.commit=abc"]`. Each word may hold letters,
     * digits and `_ . / = : , + @ % -` only: no spaces, quotes or `$`.
     * @default []
     */
    readonly ldflags?: string[];

    /**
     * Go build tags. `timetzdata` is added unless `embedTzdata` is false.
     * @default []
     */
    readonly buildTags?: string[];

    /**
     * Embed the time zone database in the binary (`-tags timetzdata`, about 450 KiB), so
     * `time.LoadLocation` works on `scratch`.
     * @default true
     */
    readonly embedTzdata?: boolean;

    /**
     * Port the service listens on, written as `EXPOSE`; `0` writes none.
     * @default 8080
     */
    readonly port?: number;

    /**
     * Numeric user id the container runs as (also its group id). Root (0) is refused.
     * @default 65532
     */
    readonly user?: number;

    /**
     * Name of the binary, installed as `/usr/local/bin/<binaryName>`.
     * @default - the last element of the main package path, or of the module path for `.`.
     */
    readonly binaryName?: string;

    /**
     * Arguments passed to the binary, written as `CMD` in exec form.
     * @default []
     */
    readonly command?: string[];

    /**
     * Environment variables of the runtime image (`ENV`), sorted by name in the output.
     * @default {}
     */
    readonly env?: Record<string, string>;

    /**
     * Extra image labels, sorted by name. `org.opencontainers.image.title`, `.version` and
     * `.revision` are always written (from the name, `version` and `revision`), `.source` from
     * `sourceUrl`: those four are refused here, with the setting to use instead.
     * @default {}
     */
    readonly labels?: Record<string, string>;

    /**
     * Repository URL written as the `org.opencontainers.image.source` label.
     * @default - no source label.
     */
    readonly sourceUrl?: string;

    /**
     * Extra exclude patterns, appended to the generated allow-list (`Dockerfile.dockerignore`),
     * e.g. `["internal/assets/big.bin"]`. A pattern that leaves out a file the build reads is an error.
     * @default []
     */
    readonly dockerignore?: string[];
}

/** The runtime keywords; anything else given as `runtime` is an image reference. */
export const RUNTIMES = ["scratch", "distroless", "alpine"] as const;

/** Digest pins (`sha256:<64 hex>`) of the base images. */
export interface BaseDigests {
    /** Pins the builder image. */
    readonly builder?: string;
    /** Pins the runtime image (not `scratch`, which is no image). */
    readonly runtime?: string;
}

/**
 * Build settings that do not change the generated files but do change the build: the values of
 * the Dockerfile's `ARG`s and the target platform. Plain values, so the image tag can be derived
 * from them and the build context.
 */
export interface BuildSettings {
    /**
     * Version stamped into the binary (`-X <versionVariable>=<version>`) and the
     * `org.opencontainers.image.version` label.
     * @default - the content tag of the build (`content-<16 hex>`), so it changes exactly when
     *   the build does.
     */
    readonly version?: string;

    /**
     * Source revision (e.g. the commit SHA) for the `org.opencontainers.image.revision` label.
     * @default "unknown"
     */
    readonly revision?: string;

    /**
     * Seconds since 1970 used as the time of every file in the runtime layer and passed to the
     * build as `SOURCE_DATE_EPOCH` (BuildKit 0.11+ then also fixes the image config's times), so
     * the same source gives the same image. The workflow passes the commit time.
     * @default 0
     */
    readonly sourceDateEpoch?: number;

    /**
     * Target platform, one of `linux/amd64`, `linux/arm64`, `linux/386`, `linux/ppc64le`,
     * `linux/s390x`, `linux/riscv64`. Always passed to the provider, so the image (and its tag) is
     * the same whatever machine runs `pulumi up`; the build stage cross-compiles.
     * @default "linux/amd64"
     */
    readonly platform?: string;

    /**
     * Go module settings passed as build args so corporate proxies and private modules work:
     * `GOPROXY`, `GOPRIVATE`, `GONOPROXY`, `GONOSUMDB`, `GOSUMDB`, `GOINSECURE`, `GOFLAGS`.
     * Never put credentials here (build args are visible in the image history and in state):
     * give private module credentials as the BuildKit secret `netrc` instead.
     * @default {}
     */
    readonly goEnv?: Record<string, string>;

    /**
     * Extra build args (`--build-arg`). Names of the library's own args are refused.
     * @default {}
     */
    readonly buildArgs?: Record<string, string>;
}

/** Go environment settings the generated Dockerfile passes through from build args. */
export const GO_ENV_NAMES = ["GOFLAGS", "GOINSECURE", "GONOPROXY", "GONOSUMDB", "GOPRIVATE", "GOPROXY", "GOSUMDB"] as const;

/** One of {@link GO_ENV_NAMES}. */
export type GoEnvName = (typeof GO_ENV_NAMES)[number];

/** Where the generated files go. Shared by the component and the `build` command. */
export interface FileOptions {
    /**
     * Directory (relative to the working directory) where the Dockerfile and its allow-list are
     * written as `<generatedDir>/<name>/Dockerfile` and `Dockerfile.dockerignore`. Regenerated on
     * every run, never part of any build context; a file in it that the library did not generate
     * is never overwritten. Nothing is written into the Go module.
     * @default ".go-service-image"
     */
    readonly generatedDir?: string;
}

/**
 * Build with BuildKit through buildx: `@pulumi/docker-build`'s Image in the component, `docker
 * buildx build` in the CLI. Setting it (even `{}`) chooses this engine over `@pulumi/docker`'s Image.
 */
export interface BuildxArgs {
    /**
     * Platforms of the image. Several build one image index, pushed by digest (`imageRef` is the
     * index's). The Dockerfile cross-compiles, so no emulator is needed. Instead of `platform`.
     * @default - [`platform`], i.e. ["linux/amd64"]
     */
    readonly platforms?: string[];
    /**
     * Cache imports, as buildx takes them: `type=registry,ref=<image>` or `type=local,src=<dir>`.
     * With a registry cache a `pulumi up` on a fresh runner reuses the last build's layers.
     * An Output (e.g. a repository URL interpolated) is passed as it is and checked by the provider.
     * @default []
     */
    readonly cacheFrom?: pulumi.Input<string>[];
    /**
     * Cache exports: `type=registry,ref=<image>[,mode=max]` or `type=local,dest=<dir>[,mode=max]`.
     * @default []
     */
    readonly cacheTo?: pulumi.Input<string>[];
    /**
     * The buildx builder to build on, by name: a `remote` builder (BuildKit over TCP, registered once
     * with `docker buildx create --name <name> --driver remote tcp://host:port`), a `kubernetes` one,
     * a `docker-container` one, or a Docker Build Cloud builder. The CLI's `--builder` also takes a
     * BuildKit endpoint (`tcp://…`, `unix://…`) and registers it itself.
     * @default - the provider's choice: the current builder if it can build images for push, else the
     *   first reachable one, else a new docker-container builder.
     */
    readonly builder?: string;
    /**
     * The netrc for private modules (`machine <host> login <user> password <token>`), given to the
     * build as the BuildKit secret `netrc`: never in a layer, the image history or a build arg.
     * Kept secret in state. The CLI reads it from a file instead (`--netrc`).
     * @default - no netrc secret
     */
    readonly netrc?: pulumi.Input<string>;
}

/** The buildx part of the CLI's build: the same settings, plain values. */
export interface BuildxOptions {
    readonly builder?: string;
    readonly platforms?: string[];
    readonly cacheFrom?: string[];
    readonly cacheTo?: string[];
}

/** Network modes a build's RUN steps may use (an enum in the package schema). */
export const NetworkMode = { Default: "default", Host: "host", None: "none" } as const;
/** One of {@link NetworkMode}'s values. */
export type NetworkMode = (typeof NetworkMode)[keyof typeof NetworkMode];

/**
 * The generated GitHub Actions workflow: plain values, so the file is known in preview and the
 * same on every run.
 */
export interface WorkflowOptions {
    /**
     * Path of the Go module inside the GitHub repository, e.g. `services/api`.
     * @default - the module's path inside the build context: `.` for a module on its own, e.g.
     *   `services/api` in a monorepo (the repository root is taken to be the build context).
     */
    readonly serviceDir?: string;
    /**
     * The branch that pushes images; pull requests build without pushing.
     * @default "main"
     */
    readonly defaultBranch?: string;
    /**
     * golangci-lint version the lint step runs (pinned, never `latest`).
     * @default "v2.15.0"
     */
    readonly golangciLintVersion?: string;
    /**
     * Run govulncheck: a check of its own on every pull request, merge group and push (nothing
     * needs it, so a new advisory without a fix never blocks a release), and every day in the
     * scan workflow `.github/workflows/<service>-scan.yml`.
     * @default true
     */
    readonly govulncheck?: boolean;
    /**
     * The daily scan reports to GitHub code scanning (SARIF upload; public repositories, or private
     * ones with GitHub Advanced Security) and stays green on findings. Off, it fails on a finding
     * and writes it to the run's summary, which works in every repository.
     * @default false
     */
    readonly codeScanning?: boolean;
    /**
     * Log the publish job in to a cloud registry with OpenID Connect instead of a stored password:
     * exactly one of `aws` (ECR), `gcp` (Artifact Registry) or `azure` (ACR). The job gets
     * `id-token: write`; trust the subject `repo:<owner>/<repo>:environment:<service>-publish`
     * only (the publish environment, which only the default branch may deploy to). No password is
     * stored, and `registry.username`/`registry.password` are not needed.
     * @default - ghcr.io logs in with GITHUB_TOKEN; other registries with the stored password
     */
    readonly registryOidc?: RegistryOidc;
    /**
     * govulncheck version (`golang.org/x/vuln/cmd/govulncheck`), run with the Go the job set up from go.mod.
     * @default "v1.9.0"
     */
    readonly govulncheckVersion?: string;
    /**
     * The service needs private modules: the workflow reads a netrc from the secret
     * `<prefix>_NETRC` for every step that downloads modules, and hands it to the image build as
     * the BuildKit secret `netrc`. With `github.netrc` set the secret is provisioned.
     * @default false
     */
    readonly privateModules?: boolean;
    /**
     * Platforms of the pushed image, e.g. `["linux/amd64", "linux/arm64"]`. The Dockerfile
     * cross-compiles, so no emulator is set up unless `cgo` is on.
     * @default ["linux/amd64"]
     */
    readonly platforms?: string[];
    /**
     * Attach an SBOM attestation to the pushed image.
     * @default false
     */
    readonly sbom?: boolean;
    /**
     * Attach a provenance attestation. Off by default: it makes the pushed digest differ between
     * otherwise identical builds.
     * @default false
     */
    readonly provenance?: boolean;
    /**
     * Sign the pushed digest with cosign, keyless (the publish job gets `id-token: write`). The
     * signing identity (the repository and workflow) goes to the public Rekor transparency log,
     * also for a private repository: there, prefer `attest`.
     * @default false
     */
    readonly sign?: boolean;
    /**
     * Attest the pushed digest's build provenance with GitHub's artifact attestations
     * (`actions/attest-build-provenance`, pushed beside the image). A private repository's
     * attestations stay private (GitHub Enterprise Cloud); a public one's go to the public Sigstore.
     * @default false
     */
    readonly attest?: boolean;
    /**
     * Also keep `.github/dependabot.yml` in the repository (github-actions, docker and gomod update
     * pull requests for this service). One file serves a repository: with several services in
     * one, set it on one of them, or commit your own.
     * @default false
     */
    readonly dependabot?: boolean;
    /**
     * Runner label of both jobs.
     * @default "ubuntu-24.04"
     */
    readonly runsOn?: string;
    /**
     * Prefix of the repository variables and secret the workflow reads:
     * `<prefix>_IMAGE_REPOSITORY`, `<prefix>_REGISTRY`, `<prefix>_REGISTRY_USERNAME` and the secret
     * `<prefix>_REGISTRY_PASSWORD`. One per service, so services sharing a repository and a
     * registry never overwrite each other's values.
     * @default - the service name in upper case, `-` and `.` as `_` (e.g. `HELLO_SERVICE`).
     */
    readonly variablePrefix?: string;
}

/** The publish job's OIDC login: one cloud. */
export interface RegistryOidc {
    /** ECR. */
    readonly aws?: AwsRegistryOidc;
    /** Artifact Registry. */
    readonly gcp?: GcpRegistryOidc;
    /** ACR. */
    readonly azure?: AzureRegistryOidc;
}

/** ECR through OIDC. */
export interface AwsRegistryOidc {
    /** The IAM role to assume, `arn:aws:iam::<account>:role/<name>`. */
    readonly roleToAssume: string;
    /** The registry's region, e.g. `eu-west-1`. */
    readonly region: string;
}

/** Artifact Registry through OIDC (workload identity federation). */
export interface GcpRegistryOidc {
    /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`. */
    readonly workloadIdentityProvider: string;
    /** The service account impersonated, e.g. `publish@my-project.iam.gserviceaccount.com`. */
    readonly serviceAccount: string;
}

/** ACR through OIDC (a federated credential of an app registration or managed identity). */
export interface AzureRegistryOidc {
    readonly clientId: string;
    readonly tenantId: string;
    readonly subscriptionId: string;
}

/** Where and how the generated files, variables and secret are kept in GitHub. */
export interface GitHubArgs extends WorkflowOptions {
    /**
     * The repository name, without owner (the github provider's `owner` applies). A plain string:
     * files of all services in one repository are committed one after another, in program order.
     */
    readonly repository: string;
    /**
     * The repository's owner (user or organization), as in `https://github.com/<owner>/<repository>`.
     * It names the repository in the image's `org.opencontainers.image.source` label (unless
     * `sourceUrl` is set), which links a ghcr.io package to the repository, so the workflow's
     * GITHUB_TOKEN may push to it. It does not choose the repository: the github provider's `owner` does.
     * @default - the owner in a ghcr.io repository (`ghcr.io/<owner>/…`); else no default label
     */
    readonly owner?: string;
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
     * The netrc for private modules (`machine <host> login <user> password <token>`), kept as the
     * secret `<prefix>_NETRC`. Needs `privateModules: true`.
     * @default - no netrc secret is provisioned (create it yourself if `privateModules` is true)
     */
    readonly netrc?: pulumi.Input<string>;
    /**
     * Protect `branch`, requiring exactly this service's two job checks. For several services in
     * one repository, create one `github.BranchProtection` yourself with the union of their
     * `statusChecks` instead (two components protecting one branch is an error).
     * @default - no branch protection
     */
    readonly branchProtection?: BranchProtectionArgs;
}

/** A branch protection requiring the service's checks. */
export interface BranchProtectionArgs {
    /** The repository's node id (`github.Repository.nodeId`). */
    readonly repositoryId: pulumi.Input<string>;
    /**
     * Require branches to be up to date before merging (the checks ran on the newest base). With a
     * merge queue it adds nothing and can be turned off.
     * @default - true (not the provider's own default, false): a pull request tested against an old
     *   base must not land untested on the new one.
     */
    readonly strict?: boolean;
}

/** The language of the infrastructure program (how its dependencies are installed). */
export const InfraLanguage = { Nodejs: "nodejs", Python: "python", Go: "go", Yaml: "yaml" } as const;
/** One of {@link InfraLanguage}'s values. */
export type InfraLanguage = (typeof InfraLanguage)[keyof typeof InfraLanguage];

/**
 * The infrastructure repository's workflow: `pulumi preview --diff` on pull requests (posted as a
 * comment) and `pulumi up` on the default branch behind a deployment environment. Plain values.
 */
export interface PreviewWorkflowOptions {
    /** The stack previewed and updated, e.g. `prod` or `acme/infra/prod`. */
    readonly stack: string;
    /**
     * The Pulumi project's directory in the repository.
     * @default "."
     */
    readonly workDir?: string;
    /**
     * The program's language: `nodejs`, `python`, `go` or `yaml`. Its toolchain is set up with its
     * pinned setup action and cache (setup-node, setup-python, setup-go), then `pulumi install`
     * installs the program's dependencies as Pulumi.yaml says (npm/yarn/pnpm; pip with its
     * `virtualenv`; go modules; the project's `packages:`).
     * @default "nodejs"
     */
    readonly language?: InfraLanguage;
    /**
     * Node.js major version for a `nodejs` program.
     * @default "22"
     */
    readonly nodeVersion?: string;
    /**
     * The `nodejs` program's package manager (its lock file is the cache key): `npm`, `yarn` or
     * `pnpm` (pnpm is enabled through corepack). Pulumi.yaml's `packagemanager` option should say the same.
     * @default "npm"
     */
    readonly packageManager?: PackageManager;
    /**
     * Python version for a `python` program (pip's cache keyed on requirements.txt).
     * @default "3.12"
     */
    readonly pythonVersion?: string;
    /**
     * The repository merges through a merge queue. A pull request from a fork (or by Dependabot)
     * gets no secrets, so it cannot preview: with a merge queue its check passes with a note and
     * the queue's `merge_group` run previews it with secrets; without, the check fails with what
     * to do, never skipping (a skipped required check passes).
     * @default false
     */
    readonly mergeQueue?: boolean;
    /**
     * OpenID Connect logins, each a short-lived credential for its job: Pulumi Cloud
     * (`pulumi/auth-actions`) and one cloud for the program's providers and a self-managed
     * backend. Preview and up get distinct identities (a preview's must not be able to update).
     * Both jobs get `id-token: write`.
     * @default - no OIDC: tokens come from secrets (see the README)
     */
    readonly oidc?: PreviewOidc;
    /**
     * Names of secrets handed to both jobs' `env` under the same name (e.g. `AWS_ACCESS_KEY_ID`,
     * `ARM_CLIENT_SECRET`): a secret stored in the `pulumi-<stack>` environment reaches `pulumi up`
     * only; one stored in the repository reaches both.
     * @default []
     */
    readonly secretEnv?: string[];
    /**
     * The branch `pulumi up` runs on; pull requests against it are previewed.
     * @default "main"
     */
    readonly defaultBranch?: string;
    /**
     * The Pulumi CLI version the action installs (pinned, never `latest`).
     * @default "3.274.0"
     */
    readonly pulumiVersion?: string;
    /**
     * A self-managed backend URL (`s3://…`, `azblob://…`, `gs://…`); its stack passphrase is read
     * from the secret `PULUMI_CONFIG_PASSPHRASE`.
     * @default - Pulumi Cloud, logged in with the secret `PULUMI_ACCESS_TOKEN`
     */
    readonly backendUrl?: string;
    /**
     * Runner label.
     * @default "ubuntu-24.04"
     */
    readonly runsOn?: string;
}

/** Where `PreviewWorkflow` commits the workflow. */
export interface PreviewWorkflowGitHubArgs {
    /** The infrastructure repository's name, without owner. */
    readonly repository: string;
    /**
     * @default - `defaultBranch`
     */
    readonly branch?: string;
    /** @default - "pulumi <stack>: update <file> (pulumi-go-service-image)" */
    readonly commitMessage?: string;
    /**
     * A Pulumi access token for previews (give it a team or role that cannot update the stack),
     * kept as the repository secret and the Dependabot secret `PULUMI_PREVIEW_ACCESS_TOKEN`.
     * Pulumi Cloud without `oidc.pulumi` only.
     * @default - not provisioned: create the secret yourself
     */
    readonly previewAccessToken?: pulumi.Input<string>;
    /**
     * The Pulumi access token of `pulumi up`, kept as the secret `PULUMI_UP_ACCESS_TOKEN` of the
     * `pulumi-<stack>` environment only, which only the default branch may deploy to.
     * @default - not provisioned: create the environment secret yourself
     */
    readonly upAccessToken?: pulumi.Input<string>;
    /**
     * The stack's passphrase with a self-managed backend, kept as the repository secret and the
     * Dependabot secret `PULUMI_CONFIG_PASSPHRASE` (previews decrypt the stack's secrets too).
     * @default - not provisioned: create the secret yourself
     */
    readonly configPassphrase?: pulumi.Input<string>;
}

/** Arguments of `PreviewWorkflow`. */
/** The preview workflow's OIDC logins: a preview identity and an up identity for each. */
export interface PreviewOidc {
    /** Pulumi Cloud: an organization token, or a team's for each job (a read-only team for previews). */
    readonly pulumi?: PulumiPreviewOidc;
    /** AWS: the roles preview and up assume. */
    readonly aws?: AwsPreviewOidc;
    /** Google Cloud: the service accounts preview and up impersonate. */
    readonly gcp?: GcpPreviewOidc;
    /** Azure: the client ids (federated credentials) of preview and up. */
    readonly azure?: AzurePreviewOidc;
}

/** Pulumi Cloud through OIDC (`pulumi/auth-actions`). */
export interface PulumiPreviewOidc {
    readonly organization: string;
    /** @default - an organization token */
    readonly previewTeam?: string;
    /** @default - an organization token */
    readonly upTeam?: string;
}

/** AWS through OIDC. */
export interface AwsPreviewOidc {
    readonly region: string;
    /** The role previews assume: read-only. */
    readonly previewRole: string;
    /** The role `pulumi up` assumes: trust only the subject `repo:<owner>/<repo>:environment:pulumi-<stack>`. */
    readonly upRole: string;
}

/** Google Cloud through OIDC. */
export interface GcpPreviewOidc {
    readonly workloadIdentityProvider: string;
    readonly previewServiceAccount: string;
    readonly upServiceAccount: string;
}

/** Azure through OIDC. */
export interface AzurePreviewOidc {
    readonly tenantId: string;
    readonly subscriptionId: string;
    readonly previewClientId: string;
    readonly upClientId: string;
}

/** The package managers of a Node.js infrastructure program (an enum in the package schema). */
export const PackageManager = { Npm: "npm", Yarn: "yarn", Pnpm: "pnpm" } as const;
/** One of {@link PackageManager}'s values. */
export type PackageManager = (typeof PackageManager)[keyof typeof PackageManager];

export interface PreviewWorkflowArgs extends PreviewWorkflowOptions {
    /**
     * Commit the workflow to this repository and create its deployment environment.
     * @default - the workflow is generated only (the `workflow` output)
     */
    readonly github?: PreviewWorkflowGitHubArgs;
}

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

/** Arguments of `GoServiceImage`. */
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
     * Build on `pulumi preview` too, so a preview fails when the build would. The image is built
     * but not pushed; `imageRef` and `digest` stay unknown in the preview.
     * @default false
     */
    readonly buildOnPreview?: boolean;

    /**
     * How many images may build at a time on this image's engine (the local Docker engine, or one
     * buildx builder), counting every GoServiceImage of the program: this image waits for the one
     * registered `maxParallelBuilds` images before it on the same engine (`dependsOn`). Services
     * on one builder share its build cache, so builds one after another compile the standard
     * library and shared modules once, where builds at once each compile them (README,
     * "Performance"). A failed build then holds back the images waiting on it.
     * @default - unbounded: every build starts at once (the engine's `--parallel` still applies).
     */
    readonly maxParallelBuilds?: number;

    /**
     * Let a delete of the image resource delete the pushed image from the registry: a
     * `pulumi destroy`, a rename or reparent of the component, and the delete half of a replace.
     * Off, the image child is registered with `retainOnDelete`, so the engine never calls the
     * provider's delete: a content tag is shared by every stack that deploys the same sources, and
     * `@pulumi/docker-build` deletes by digest, which would remove the image other stacks (and the
     * replacing resource itself) still run. `@pulumi/docker`'s Image deletes nothing from the
     * registry either way. Clean registries with the registry's own retention policy instead.
     * @default false
     * @see https://www.pulumi.com/docs/iac/concepts/resources/options/retainondelete/
     */
    readonly deletePushedImage?: boolean;

    /**
     * Build with BuildKit through buildx (`@pulumi/docker-build`) instead of `@pulumi/docker`'s
     * Image: several platforms in one image index, registry caches, the netrc as a build secret, a
     * named or remote builder. See the README's "Engines".
     * @default - `@pulumi/docker`'s Image: one platform, no cache export, no build secrets.
     */
    readonly buildx?: BuildxArgs;

    /**
     * Give the service a GitHub Actions workflow (test, lint, vulnerability check, image build and
     * push with the same Dockerfile) and keep it, the Dockerfile and the .dockerignore in its
     * repository, with the registry variables and secret the workflow reads.
     * @default - no GitHub resources
     */
    readonly github?: GitHubArgs;
}

/**
 * The nested arguments typed `pulumi.Input` (every other nested value is plain): what arrives from
 * another language inside an object that is an Output as a whole is taken apart along these paths
 * (`[]` is any element). A unit test compares them with the schema Pulumi infers.
 */
export const INPUT_PATHS: readonly string[] = [
    "registry.server", "registry.username", "registry.password",
    "buildx.cacheFrom[]", "buildx.cacheTo[]", "buildx.netrc",
    "github.netrc", "github.branchProtection.repositoryId",
];

/** The names `GoServiceImageArgs` accepts: anything else is a typo, refused by resolve. */
export const ARG_NAMES: Readonly<Record<string, string[]>> = {
    "": [
        "context", "main", "mains", "entrypoint", "root", "workspace", "goVersion", "builderImage", "builderTagSuffix", "runtime", "digests", "cgo", "versionVariable",
        "ldflags", "buildTags", "embedTzdata", "port", "user", "binaryName", "command", "env", "labels", "sourceUrl",
        "dockerignore", "version", "revision", "sourceDateEpoch", "platform", "goEnv", "buildArgs",
        "generatedDir", "repository", "registry", "network", "buildOnPreview", "deletePushedImage", "maxParallelBuilds", "buildx", "github",
    ],
    buildx: ["platforms", "cacheFrom", "cacheTo", "builder", "netrc"],
    digests: ["builder", "runtime"],
    registry: ["server", "username", "password"],
    github: [
        "serviceDir", "defaultBranch", "golangciLintVersion", "govulncheck", "govulncheckVersion", "privateModules", "netrc", "dependabot", "platforms", "sbom", "provenance", "sign", "attest", "runsOn",
        "variablePrefix", "repository", "owner", "branch", "commitMessage", "commitAuthor", "commitEmail", "manageSecrets", "branchProtection",
        "codeScanning", "registryOidc",
    ],
    "github.branchProtection": ["repositoryId", "strict"],
    "github.registryOidc": ["aws", "gcp", "azure"],
    "github.registryOidc.aws": ["roleToAssume", "region"],
    "github.registryOidc.gcp": ["workloadIdentityProvider", "serviceAccount"],
    "github.registryOidc.azure": ["clientId", "tenantId", "subscriptionId"],
};
