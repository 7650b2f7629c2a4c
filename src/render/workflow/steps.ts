import { WorkflowPlan } from "../../plan/workflow";
import { Step } from "./model";
import { pinned } from "./pins";

/** A file of the service as a path in the repository: `Dockerfile` or `services/api/Dockerfile`. */
export function inServiceDir(serviceDir: string, file: string): string {
    return serviceDir === "." ? file : `${serviceDir}/${file}`;
}

/** A `${{ }}` expression. The one place workflow expressions are written. */
export function expr(body: string): string {
    return "${{ " + body + " }}";
}

/** The names of the repository variables and secrets a service's workflow reads. */
export function variableNames(prefix: string) {
    return {
        repository: `${prefix}_IMAGE_REPOSITORY`,
        registry: `${prefix}_REGISTRY`,
        username: `${prefix}_REGISTRY_USERNAME`,
        password: `${prefix}_REGISTRY_PASSWORD`,
        netrc: `${prefix}_NETRC`,
    };
}

/** The Dependabot secret holding a private module host's token: `<PREFIX>_MODULES_TOKEN_GITHUB_COM`. */
export function modulesTokenName(prefix: string, host: string): string {
    return `${prefix}_MODULES_TOKEN_${host.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`;
}

/** True on the events whose runs may write caches: pushes to the default branch (the only push the workflow runs on). */
export const SAVES_CACHES = "github.event_name == 'push'";

export function checkout(): Step {
    return { name: "Check out", uses: pinned("actions/checkout"), with: { "persist-credentials": false } };
}

/** The Go settings of the image, for every Go step: the same module set, build tags and module settings. */
export function goEnv(plan: WorkflowPlan): Record<string, string> {
    const env: Record<string, string> = {};
    if (!plan.goWork) env.GOWORK = "off";
    for (const [k, v] of plan.goEnv) env[k] = v;
    if (plan.buildTags.length > 0) env.GOFLAGS = [env.GOFLAGS, `-tags=${plan.buildTags.join(",")}`].filter(Boolean).join(" ");
    return env;
}

/**
 * Writes the netrc secret for private modules under `$RUNNER_TEMP` (never `$HOME`, which a
 * self-hosted runner keeps between jobs) and points Go at it with `NETRC`. Empty on forks, where
 * no secret is given; Dependabot's runs read the Dependabot secret of the same name.
 */
export function netrcSteps(plan: WorkflowPlan): { write: Step[]; remove: Step[] } {
    if (!plan.netrc) return { write: [], remove: [] };
    return {
        write: [{
            name: "Private module credentials",
            env: { NETRC_TEXT: expr(`secrets.${variableNames(plan.prefix).netrc}`) },
            run: ['umask 077', 'printf \'%s\\n\' "$NETRC_TEXT" > "$RUNNER_TEMP/netrc"', 'echo "NETRC=$RUNNER_TEMP/netrc" >> "$GITHUB_ENV"', ""].join("\n"),
        }],
        remove: [{ name: "Remove the module credentials", if: "always()", run: 'rm -f "$RUNNER_TEMP/netrc"\n' }],
    };
}

/** Go from go.mod. Its own cache stays off: {@link goCaches} restores everywhere and saves on the default branch only. */
export function setupGo(plan: WorkflowPlan): Step {
    return { name: "Set up Go", uses: pinned("actions/setup-go"), with: { "go-version-file": inServiceDir(plan.serviceDir, "go.mod"), cache: false } };
}

/** The key of a Go cache (the service, the runner, the go.sum files, or the go.mod without any) and the prefix that restores an older entry. */
export function cacheKeys(plan: WorkflowPlan, what: string): { key: string; restoreKeys: string } {
    const files = plan.sumFiles.length > 0 ? plan.sumFiles : [inServiceDir(plan.serviceDir, "go.mod")];
    const prefix = `${what}-${plan.service}-${expr("runner.os")}-${expr("runner.arch")}-`;
    return { key: `${prefix}${expr(`hashFiles('${files.join("', '")}')`)}`, restoreKeys: `${prefix}\n` };
}

/**
 * A cache restored on every event and saved on the default branch only: entries saved under
 * `refs/pull/…` or a merge queue's ref serve no other branch and evict the default branch's
 * (GitHub's cache is 10 GB a repository; a branch reads its own and the default branch's entries).
 */
export function cacheSteps(id: string, name: string, path: string, keys: { key: string; restoreKeys: string }): Step[] {
    const inputs = { path, key: keys.key, "restore-keys": keys.restoreKeys };
    return [
        { name, id, if: SAVES_CACHES, uses: pinned("actions/cache"), with: inputs },
        { name: `${name} (restore only)`, id: `${id}-restore`, if: `!(${SAVES_CACHES})`, uses: pinned("actions/cache/restore"), with: inputs },
    ];
}

/** The Go module and build caches of the test jobs (none without a go.sum: nothing to key them on). */
export function goCaches(plan: WorkflowPlan): Step[] {
    if (plan.sumFiles.length === 0) return [];
    return [
        { name: "Go cache directories", id: "go-dirs", run: ['echo "mod=$(go env GOMODCACHE)" >> "$GITHUB_OUTPUT"', 'echo "build=$(go env GOCACHE)" >> "$GITHUB_OUTPUT"', ""].join("\n") },
        ...cacheSteps("go-cache", "Go caches", `${expr("steps.go-dirs.outputs.mod")}\n${expr("steps.go-dirs.outputs.build")}\n`, cacheKeys(plan, "go-test")),
    ];
}

/**
 * The steps of a Go job around its work: check out, Go from go.mod, the netrc, the caches, then
 * `work`, and last the netrc removed whatever happened. With {@link goEnv} and the service
 * directory as the job's working directory, every Go job runs as the image builds.
 */
export function goSteps(plan: WorkflowPlan, work: Step[]): Step[] {
    const netrc = netrcSteps(plan);
    return [checkout(), setupGo(plan), ...netrc.write, ...goCaches(plan), ...work, ...netrc.remove];
}

/** govulncheck pinned and run with the Go set up from go.mod: the standard library checked is the one the image ships. */
export function govulncheck(plan: WorkflowPlan, format?: string): string {
    return `go run golang.org/x/vuln/cmd/govulncheck@${plan.govulncheckVersion}${format ? ` -format ${format}` : ""} ./...`;
}

/**
 * govulncheck in text form: exits non-zero on a finding in code the service calls, prints it and
 * writes it to the step summary (a private repository without code scanning has nowhere else).
 */
export function textScan(plan: WorkflowPlan): Step {
    return {
        name: "Check for known vulnerabilities",
        run: [
            "status=0",
            `${govulncheck(plan)} > "$RUNNER_TEMP/govulncheck.txt" 2>&1 || status=$?`,
            'cat "$RUNNER_TEMP/govulncheck.txt"',
            "{",
            `  echo "### govulncheck (${plan.service})"`,
            "  echo '```'",
            '  cat "$RUNNER_TEMP/govulncheck.txt"',
            "  echo '```'",
            '} >> "$GITHUB_STEP_SUMMARY"',
            'exit "$status"',
            "",
        ].join("\n"),
    };
}
