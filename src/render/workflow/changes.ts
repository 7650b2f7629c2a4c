import * as path from "path";
import { WorkflowPlan } from "../../plan/workflow";
import { Job } from "./model";
import { checkout, expr } from "./steps";

/** What the changes job watches: module directories (a trailing /), go.work files and the workflow itself; `*` is everything. */
export function watched(plan: WorkflowPlan): string[] {
    return [...plan.moduleDirs.map((d) => (d === "." ? "*" : `${d}/`)), ...(plan.goWork ? [plan.goWork, `${plan.goWork}.sum`] : []), plan.path];
}

/**
 * The change detection script. It sets `run=false` only when it compared two commits and none of
 * the watched paths differs; whatever it cannot tell runs the work.
 *
 * - Pull requests and merge groups compare with the base the event names.
 * - A push compares with the newest commit of a *successful* push or manual run of this workflow
 *   on the branch (the Actions API's workflow runs). GitHub keeps one running and one pending run
 *   per concurrency group and a newer push replaces the pending one, so `github.event.before`
 *   would skip the replaced push's changes; a failed run published nothing, so its changes stay
 *   in the next comparison. A successful run either published its commit or found nothing to
 *   publish since the one before it, so the deployed image was built from the files at that
 *   commit. Runs of other repositories (a fork's branch of the same name) are not counted.
 * - A manual run (`workflow_dispatch`) and a release tag's push always run: someone asked for them.
 *
 * The clone is shallow (one commit); the base commit is fetched alone, by id (GitHub serves any
 * reachable commit), with the job's token, and only the two trees are compared: no history is
 * needed, and a force push is compared by content like any other. git matches each watched path
 * itself: no file name is printed or parsed, so quoted non-ASCII names and rename pairs (a file
 * moved out lists only its new path) cannot hide a change; `--no-renames` counts a move as a
 * delete and an add; literal pathspecs keep `* ? [` in a name literal. Any error of git, curl or
 * jq leaves `run=true`.
 */
export function changesScript(): string {
    return [
        "run=true",
        "base=",
        'case "$EVENT" in',
        "  pull_request|merge_group)",
        '    base=$REVIEW_BASE',
        "    ;;",
        "  push)",
        // A release tag's push always publishes; the branch compares with its last successful run.
        '    if [ "$REF" = "refs/heads/$BRANCH" ] && runs=$(curl -fsS --retry 3 --max-time 30 -G -H "Authorization: Bearer $GH_TOKEN" -H "Accept: application/vnd.github+json" \\',
        '        --data-urlencode "branch=$BRANCH" --data-urlencode status=success --data-urlencode exclude_pull_requests=true --data-urlencode per_page=100 \\',
        '        "$GITHUB_API_URL/repos/$GITHUB_REPOSITORY/actions/workflows/$WORKFLOW/runs"); then',
        '      base=$(jq -r --arg repo "$GITHUB_REPOSITORY" \'first(.workflow_runs[] | select((.event == "push" or .event == "workflow_dispatch") and .head_repository.full_name == $repo) | .head_sha) // empty\' <<< "$runs") || base=',
        "    fi",
        "    ;;",
        "esac",
        'if [ -n "$base" ] && [ "$base" != 0000000000000000000000000000000000000000 ]; then',
        '  auth=$(printf \'x-access-token:%s\' "$GH_TOKEN" | base64 | tr -d \'\\n\')',
        '  if git cat-file -e "$base^{commit}" 2>/dev/null ||',
        '    GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="http.$GITHUB_SERVER_URL/.extraheader" GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $auth" \\',
        '      git fetch --quiet --no-tags --no-recurse-submodules --depth=1 origin "$base"; then',
        "    run=false",
        "    while IFS= read -r w; do",
        '      [ -n "$w" ] || continue',
        '      if [ "$w" = "*" ] || ! git --literal-pathspecs diff --quiet --no-renames "$base" "$HEAD" -- "$w"; then run=true; fi',
        '    done <<< "$WATCH"',
        "  fi",
        "fi",
        'echo "run=$run" >> "$GITHUB_OUTPUT"',
        'echo "Compared ${base:-nothing} with $HEAD: the service changed: $run" >> "$GITHUB_STEP_SUMMARY"',
        "",
    ].join("\n");
}

/** The job that decides whether the service's work runs (the other jobs run unless it said `false`). */
export function changesJob(plan: WorkflowPlan): Job {
    return {
        name: `${plan.service}-changes`,
        "runs-on": plan.runsOn,
        "timeout-minutes": 5,
        permissions: { contents: "read", actions: "read" },
        outputs: { run: expr("steps.diff.outputs.run") },
        steps: [
            checkout(),
            {
                name: "Did anything the image reads change?",
                id: "diff",
                env: {
                    EVENT: expr("github.event_name"),
                    REVIEW_BASE: expr("github.event.pull_request.base.sha || github.event.merge_group.base_sha"),
                    HEAD: expr("github.sha"),
                    REF: expr("github.ref"),
                    BRANCH: plan.defaultBranch,
                    WORKFLOW: path.posix.basename(plan.path),
                    GH_TOKEN: expr("github.token"),
                    WATCH: watched(plan).join("\n") + "\n",
                },
                run: changesScript(),
            },
        ],
    };
}
