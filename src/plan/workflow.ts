/** How the publish job logs in to the registry. */
export type RegistryLogin =
    | { readonly kind: "ghcr" }
    | { readonly kind: "password" }
    | { readonly kind: "aws"; readonly roleToAssume: string; readonly region: string }
    | { readonly kind: "gcp"; readonly workloadIdentityProvider: string; readonly serviceAccount: string }
    | { readonly kind: "azure"; readonly clientId: string; readonly tenantId: string; readonly subscriptionId: string };

/** Everything the workflow renderer needs, validated, with defaults filled in. */
export interface WorkflowPlan {
    readonly service: string;
    /** `.github/workflows/<service>.yml` */
    readonly path: string;
    readonly serviceDir: string;
    readonly defaultBranch: string;
    readonly golangciLintVersion: string;
    readonly govulncheck: boolean;
    readonly platforms: readonly string[];
    readonly sbom: boolean;
    readonly provenance: boolean;
    readonly sign: boolean;
    /** GitHub artifact attestation of the pushed digest (actions/attest-build-provenance). */
    readonly attest: boolean;
    readonly runsOn: string;
    readonly prefix: string;
    /** The build context's path in the repository (`.` for a repository-root context). */
    readonly contextDir: string;
    /** Every local module the image reads, as repository paths: change detection and the Go cache follow them. */
    readonly moduleDirs: readonly string[];
    /** The go.sum files of those modules (and go.work.sum), as repository paths. */
    readonly sumFiles: readonly string[];
    /** go.work as a repository path in workspace mode; undefined: the image builds with GOWORK=off, and so does CI. */
    readonly goWork?: string;
    /** The build tags of the image: every Go step of CI uses them too. */
    readonly buildTags: readonly string[];
    /** The Go module settings of the image (GOPROXY, GOPRIVATE, …): every Go step of CI uses them too. */
    readonly goEnv: ReadonlyArray<readonly [string, string]>;
    /** Private modules: a netrc kept as the secret `<prefix>_NETRC`, for the Go steps and the image build. */
    readonly netrc: boolean;
    /** How the publish job logs in: GITHUB_TOKEN for ghcr.io, OIDC for a cloud registry, else the stored password. */
    readonly registryLogin: RegistryLogin;
    /** The scheduled scan reports to code scanning (SARIF); without, it fails on a finding and writes it to the step summary. */
    readonly codeScanning: boolean;
    /** `.github/workflows/<service>-scan.yml`, the scheduled scan's own file; undefined without govulncheck. */
    readonly scanPath?: string;
    /** Hosts of the private modules (from GOPRIVATE): Dependabot's `registries` entries. */
    readonly privateHosts: readonly string[];
    /** The deployment environment of the publish job (limited to the default branch). */
    readonly environment: string;
    /** The daily vulnerability scan, `m h * * *`, spread by the service name. */
    readonly schedule: string;
    /** Keep .github/dependabot.yml in the repository too. */
    readonly dependabot: boolean;
    /** govulncheck, pinned. */
    readonly govulncheckVersion: string;
    readonly cgo: boolean;
    /**
     * What the publish job gives `go-service-image inputs` (the same library version) so it
     * pushes the build the component deploys: the component's image-shaping arguments as JSON and
     * the library version. Filled in by resolve once the GitHub settings are (the source label).
     */
    readonly inputs: { readonly args: string; readonly library: string };
    /**
     * The jobs' display names, which are their status check contexts. `required` is the gate, the
     * one check branch protection requires; publish runs on the default branch only; vulnerabilities
     * is a check of its own that nothing needs; scan is the scheduled scan's job.
     */
    readonly checks: { readonly required: string; readonly test: string; readonly image: string; readonly publish: string; readonly vulnerabilities: string; readonly scan: string };
}
