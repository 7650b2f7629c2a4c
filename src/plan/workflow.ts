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
    readonly cgo: boolean;
    /** The jobs' display names: the status check contexts branch protection requires. */
    readonly checks: { readonly test: string; readonly image: string };
}
