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
    readonly hasGoSum: boolean;
    readonly cgo: boolean;
    /** The jobs' display names: the status check contexts branch protection requires. */
    readonly checks: { readonly test: string; readonly image: string };
}
