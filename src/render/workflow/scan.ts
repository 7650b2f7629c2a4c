import { WorkflowPlan } from "../../plan/workflow";
import { Step, Workflow } from "./model";
import { pinned } from "./pins";
import { expr, goEnv, goSteps, govulncheck, inServiceDir, textScan } from "./steps";

/**
 * The daily vulnerability scan, in a workflow file of its own (schedule and manual runs only). In
 * a public repository GitHub disables a workflow with a `schedule` after 60 days without activity,
 * and the disabled state covers the whole file: kept apart, that stops the scan alone, never the
 * service's checks or its publishing. Its concurrency group is its own, so it never replaces a
 * pending push run of the service workflow.
 *
 * With code scanning (public repositories, or GitHub Advanced Security) findings go to it as SARIF
 * and the run stays green; without, the scan fails on a finding and writes it to the step summary.
 */
export function scanWorkflowModel(plan: WorkflowPlan): Workflow {
    const report: Step[] = plan.codeScanning
        ? [
              { name: "Scan for known vulnerabilities (SARIF)", run: `${govulncheck(plan, "sarif")} > "$RUNNER_TEMP/govulncheck.sarif"\n` },
              ...sarifPaths(plan),
              { name: "Report to code scanning", uses: pinned("github/codeql-action/upload-sarif"), with: { sarif_file: `${expr("runner.temp")}/govulncheck.sarif`, category: `govulncheck-${plan.service}` } },
          ]
        : [textScan(plan)];
    return {
        name: `${plan.service} vulnerability scan`,
        on: { schedule: [{ cron: plan.schedule }], workflow_dispatch: {} },
        permissions: {},
        concurrency: { group: `go-service-image-${plan.service}-scan`, "cancel-in-progress": false },
        jobs: {
            scan: {
                name: plan.checks.scan,
                "runs-on": plan.runsOn,
                "timeout-minutes": 20,
                // actions: read lets upload-sarif read the run it reports from (private repositories need it).
                permissions: plan.codeScanning ? { contents: "read", actions: "read", "security-events": "write" } : { contents: "read" },
                env: goEnv(plan),
                defaults: { run: { "working-directory": plan.serviceDir } },
                steps: goSteps(plan, report),
            },
        },
    };
}

/**
 * govulncheck writes the service's own locations relative to the module it scanned (`go.mod`,
 * `internal/api/api.go`, with `uriBaseId: "%SRCROOT%"`); code scanning reads them relative to the
 * repository root. In a service directory those get its path in front; the standard library's
 * (`%GOROOT%`) and dependencies' (`%GOMODCACHE%`) are left alone.
 */
function sarifPaths(plan: WorkflowPlan): Step[] {
    if (plan.serviceDir === ".") return [];
    return [{
        name: "Locations relative to the repository",
        env: { DIR: inServiceDir(plan.serviceDir, "") },
        run: [
            'jq --arg dir "$DIR" \'walk(if type == "object" and .uriBaseId? == "%SRCROOT%" and (.uri | type) == "string" then .uri = $dir + .uri else . end)\' "$RUNNER_TEMP/govulncheck.sarif" > "$RUNNER_TEMP/govulncheck.sarif.tmp"',
            'mv "$RUNNER_TEMP/govulncheck.sarif.tmp" "$RUNNER_TEMP/govulncheck.sarif"',
            "",
        ].join("\n"),
    }];
}
