/**
 * The subset of GitHub Actions workflow syntax the library generates. Field names are GitHub's own
 * keys, so the model renders to YAML as it is.
 * @see https://docs.github.com/actions/writing-workflows/workflow-syntax-for-github-actions
 */

export type Permission = "read" | "write" | "none";
export type Permissions = Readonly<Record<string, Permission>>;

export interface Step {
    readonly name: string;
    readonly id?: string;
    readonly if?: string;
    readonly uses?: string;
    readonly with?: Readonly<Record<string, string | number | boolean>>;
    readonly env?: Readonly<Record<string, string>>;
    /** A shell script: never holds a `${{ }}` expression; values arrive through `env`. */
    readonly run?: string;
}

export interface Job {
    readonly name: string;
    readonly "runs-on": string;
    readonly "timeout-minutes": number;
    readonly needs?: readonly string[];
    readonly if?: string;
    /** A deployment environment: its protection rules and secrets apply to this job alone. */
    readonly environment?: string;
    readonly permissions: Permissions;
    readonly env?: Readonly<Record<string, string>>;
    readonly outputs?: Readonly<Record<string, string>>;
    readonly defaults?: { readonly run: { readonly "working-directory": string } };
    readonly steps: readonly Step[];
}

export interface Trigger {
    readonly branches?: readonly string[];
    readonly tags?: readonly string[];
    readonly paths?: readonly string[];
}

export interface Workflow {
    readonly name: string;
    readonly on: {
        readonly push?: Trigger;
        readonly pull_request?: Trigger;
        readonly merge_group?: Record<string, never>;
        readonly schedule?: ReadonlyArray<{ readonly cron: string }>;
        readonly workflow_dispatch?: Record<string, never>;
    };
    readonly permissions: Permissions;
    readonly concurrency: { readonly group: string; readonly "cancel-in-progress": string | boolean };
    readonly jobs: Readonly<Record<string, Job>>;
}
