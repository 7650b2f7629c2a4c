import { GO_BUILD_CACHE, MOD_DOWNLOADS } from "../dockerfile/instructions";
import { WorkflowPlan } from "../../plan/workflow";
import { Job, Step, Workflow } from "./model";
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

/**
 * Builds the workflow model. It runs on every pull request, merge group and default-branch push
 * (no `paths` filter, so required checks always report) and decides inside: a `changes` job
 * compares the commits with the files the image reads, and the work is skipped with `if:` when
 * nothing of the service changed (GitHub counts a skipped job as passing). Pull requests and
 * merge groups build the image without pushing and without any variable or secret, so they work
 * from forks; the default branch publishes from a job behind a deployment environment. A daily
 * schedule checks for new vulnerabilities and reports them to code scanning.
 */
export function workflowModel(plan: WorkflowPlan): Workflow {
    const under = (file: string) => inServiceDir(plan.serviceDir, file);
    const jobs: Record<string, Job> = {
        changes: changesJob(plan),
        test: testJob(plan, under),
        image: imageJob(plan, under, false),
        publish: imageJob(plan, under, true),
    };
    if (plan.govulncheck) jobs.vulnerabilities = vulnerabilitiesJob(plan, under);
    return {
        name: plan.service,
        on: {
            push: { branches: [plan.defaultBranch] },
            pull_request: {},
            merge_group: {},
            schedule: [{ cron: plan.schedule }],
            workflow_dispatch: {},
        },
        permissions: {},
        concurrency: {
            // A key of its own, not the workflow's name, which another workflow may share (GitHub groups by the string alone).
            group: `go-service-image-${plan.service}-${expr("github.ref")}`,
            // Off the default branch a newer run cancels the running one. On it, a running run always
            // finishes; GitHub still keeps one waiting run a group, so a newer push replaces a waiting one
            // and the newest commit is the one published.
            "cancel-in-progress": expr(`github.ref != 'refs/heads/${plan.defaultBranch}'`),
        },
        jobs,
    };
}

const CHANGED = "needs.changes.outputs.run == 'true'";
const REVIEW = "(github.event_name == 'pull_request' || github.event_name == 'merge_group')";

export function checkout(fetchDepth?: number): Step {
    return { name: "Check out", uses: pinned("actions/checkout"), with: fetchDepth === undefined ? { "persist-credentials": false } : { "persist-credentials": false, "fetch-depth": fetchDepth } };
}

/** What the changes job watches: module directories (a trailing /), go.work files and the workflow itself; `*` is everything. */
function watched(plan: WorkflowPlan): string[] {
    return [...plan.moduleDirs.map((d) => (d === "." ? "*" : `${d}/`)), ...(plan.goWork ? [plan.goWork, `${plan.goWork}.sum`] : []), plan.path];
}

function changesJob(plan: WorkflowPlan): Job {
    const script = [
        "run=true",
        'case "$EVENT" in',
        "  pull_request|merge_group|push)",
        // A first push or a base the clone lacks: run everything rather than guess.
        '    if [ -n "$BASE" ] && [ "$BASE" != 0000000000000000000000000000000000000000 ] && git cat-file -e "$BASE^{commit}" 2>/dev/null; then',
        "      run=false",
        // git matches each watched path itself: no name is printed or parsed, so quoting of
        // non-ASCII names and rename pairs (a file moved out lists only its new path) cannot
        // hide a change. --no-renames counts a move as a delete and an add; literal pathspecs
        // keep * ? [ in a name literal. Any git error (not 0 or 1) runs the work.
        "      while IFS= read -r w; do",
        '        [ -n "$w" ] || continue',
        `        if [ "$w" = "*" ] || ! git --literal-pathspecs diff --quiet --no-renames "$BASE" "$HEAD" -- "$w"; then run=true; fi`,
        '      done <<< "$WATCH"',
        "    fi",
        "    ;;",
        "esac",
        'echo "run=$run" >> "$GITHUB_OUTPUT"',
        'echo "Changed for this service: $run" >> "$GITHUB_STEP_SUMMARY"',
        "",
    ].join("\n");
    return {
        name: `${plan.service}-changes`,
        "runs-on": plan.runsOn,
        "timeout-minutes": 5,
        permissions: { contents: "read" },
        outputs: { run: expr("steps.diff.outputs.run") },
        steps: [
            checkout(0),
            {
                name: "Did anything the image reads change?",
                id: "diff",
                env: {
                    EVENT: expr("github.event_name"),
                    BASE: expr("github.event.pull_request.base.sha || github.event.merge_group.base_sha || github.event.before"),
                    HEAD: expr("github.sha"),
                    WATCH: watched(plan).join("\n") + "\n",
                },
                run: script,
            },
        ],
    };
}

/** The Go settings of the image, for every Go step: the same module set, build tags and module settings. */
function goEnv(plan: WorkflowPlan): Record<string, string> {
    const env: Record<string, string> = {};
    if (!plan.goWork) env.GOWORK = "off";
    for (const [k, v] of plan.goEnv) env[k] = v;
    if (plan.buildTags.length > 0) env.GOFLAGS = [env.GOFLAGS, `-tags=${plan.buildTags.join(",")}`].filter(Boolean).join(" ");
    return env;
}

/** Writes the netrc secret for private modules (empty on forks, where no secret is given). */
function netrcStep(plan: WorkflowPlan): Step[] {
    if (!plan.netrc) return [];
    return [{
        name: "Private module credentials",
        env: { NETRC: expr(`secrets.${variableNames(plan.prefix).netrc}`) },
        run: 'umask 077\nprintf \'%s\\n\' "$NETRC" > "$HOME/.netrc"\n',
    }];
}

function setupGo(plan: WorkflowPlan, under: (f: string) => string): Step {
    return {
        name: "Set up Go",
        uses: pinned("actions/setup-go"),
        with: plan.sumFiles.length > 0 ? { "go-version-file": under("go.mod"), "cache-dependency-path": plan.sumFiles.join("\n") } : { "go-version-file": under("go.mod"), cache: false },
    };
}

function govulncheck(plan: WorkflowPlan, format?: string): string {
    return `go run golang.org/x/vuln/cmd/govulncheck@${plan.govulncheckVersion}${format ? ` -format ${format}` : ""} ./...`;
}

function testJob(plan: WorkflowPlan, under: (f: string) => string): Job {
    const tags: Record<string, string> = plan.buildTags.length > 0 ? { args: `--build-tags=${plan.buildTags.join(",")}` } : {};
    const steps: Step[] = [
        checkout(),
        setupGo(plan, under),
        ...netrcStep(plan),
        { name: "Build", run: "go build ./..." },
        { name: "Vet", run: "go vet ./..." },
        { name: "Test", run: "go test -race -count=1 ./..." },
        { name: "Lint", uses: pinned("golangci/golangci-lint-action"), with: { version: plan.golangciLintVersion, "working-directory": plan.serviceDir, ...tags } },
    ];
    // govulncheck pinned and run with the Go set up from go.mod: the standard library checked is the one the image ships.
    if (plan.govulncheck) steps.push({ name: "Check for known vulnerabilities", run: govulncheck(plan) });
    return {
        name: plan.checks.test,
        "runs-on": plan.runsOn,
        "timeout-minutes": 20,
        needs: ["changes"],
        if: `${CHANGED} && github.event_name != 'schedule'`,
        permissions: { contents: "read" },
        env: goEnv(plan),
        defaults: { run: { "working-directory": plan.serviceDir } },
        steps,
    };
}

/**
 * The image job (pull requests and merge groups: build, no push, no variable or secret but the
 * optional netrc) and the publish job (the default branch: behind a deployment environment, log
 * in, push by digest, save the caches). Both persist the Go module and build caches of the
 * Dockerfile's cache mounts through actions/cache and the BuildKit cache dance.
 */
function imageJob(plan: WorkflowPlan, under: (f: string) => string, publish: boolean): Job {
    const vars = variableNames(plan.prefix);
    const repository = expr(`vars.${vars.repository}`);
    const steps: Step[] = [checkout()];
    if (plan.cgo && plan.platforms.some((p) => p !== "linux/amd64")) {
        // cgo builds on the target platform, so other platforms need an emulator.
        steps.push({ name: "Set up QEMU", uses: pinned("docker/setup-qemu-action"), with: { platforms: plan.platforms.join(",") } });
    }
    steps.push({ name: "Set up Buildx", uses: pinned("docker/setup-buildx-action") });
    if (publish) {
        steps.push(plan.ghcr
            ? { name: "Log in to ghcr.io", uses: pinned("docker/login-action"), with: { registry: "ghcr.io", username: expr("github.actor"), password: expr("secrets.GITHUB_TOKEN") } }
            : { name: "Log in to the registry", uses: pinned("docker/login-action"), with: { registry: expr(`vars.${vars.registry}`), username: expr(`vars.${vars.username}`), password: expr(`secrets.${vars.password}`) } });
    }
    steps.push(
        {
            name: "Version and commit time",
            id: "version",
            // The commit time makes the image the same for the same commit (SOURCE_DATE_EPOCH).
            run: ['echo "version=sha-${GITHUB_SHA::12}" >> "$GITHUB_OUTPUT"', 'echo "epoch=$(git log -1 --format=%ct)" >> "$GITHUB_OUTPUT"', ""].join("\n"),
        },
        {
            name: "Go caches",
            id: "cache",
            uses: pinned("actions/cache"),
            with: {
                path: "go-mod-cache\ngo-build-cache\n",
                key: `go-${plan.service}-${expr("runner.arch")}-${expr(`hashFiles('${plan.sumFiles.length > 0 ? plan.sumFiles.join("', '") : under("go.mod")}')`)}`,
                "restore-keys": `go-${plan.service}-${expr("runner.arch")}-\n`,
            },
        },
        {
            // The Dockerfile's RUN --mount=type=cache directories live in BuildKit, not in layers: carried in and out of it.
            name: "Go caches into BuildKit",
            uses: pinned("reproducible-containers/buildkit-cache-dance"),
            with: {
                "cache-map": JSON.stringify({ "go-mod-cache": MOD_DOWNLOADS, "go-build-cache": GO_BUILD_CACHE }),
                // Pull requests read the caches and never write them back; the default branch saves them when they changed.
                "skip-extraction": publish ? expr("steps.cache.outputs.cache-hit") : true,
            },
        },
    );
    const build: Record<string, string | boolean> = {
        context: plan.contextDir,
        file: under("Dockerfile"),
        platforms: plan.platforms.join(","),
        push: publish,
        tags: publish ? `${repository}:${expr("steps.version.outputs.version")}` : `${plan.service}:${expr("steps.version.outputs.version")}`,
        "build-args": `VERSION=${expr("steps.version.outputs.version")}\nREVISION=${expr("github.sha")}\nSOURCE_DATE_EPOCH=${expr("steps.version.outputs.epoch")}\n`,
        "cache-from": `type=gha,scope=${plan.service}`,
        provenance: plan.provenance,
        sbom: plan.sbom,
    };
    // Only the default branch writes the layer cache: pull requests would fill the 10 GB and evict its entries.
    if (publish) build["cache-to"] = `type=gha,mode=max,scope=${plan.service}`;
    if (plan.netrc) build.secrets = `netrc=${expr(`secrets.${vars.netrc}`)}`;
    steps.push({ name: publish ? "Build and push" : "Build (no push)", id: "build", uses: pinned("docker/build-push-action"), with: build });
    if (publish) {
        steps.push({
            name: "Record the digest",
            id: "record",
            env: { IMAGE: repository, DIGEST: expr("steps.build.outputs.digest") },
            run: ['echo "image-ref=${IMAGE}@${DIGEST}" >> "$GITHUB_OUTPUT"', 'echo "Pushed \\`${IMAGE}@${DIGEST}\\`" >> "$GITHUB_STEP_SUMMARY"', ""].join("\n"),
        });
        if (plan.sign) {
            steps.push(
                { name: "Install cosign", uses: pinned("sigstore/cosign-installer") },
                { name: "Sign the image", env: { IMAGE: repository, DIGEST: expr("steps.build.outputs.digest") }, run: 'cosign sign --yes "${IMAGE}@${DIGEST}"' },
            );
        }
    }
    const permissions: Record<string, "read" | "write"> = { contents: "read" };
    if (publish && plan.ghcr) permissions.packages = "write";
    if (publish && plan.sign) permissions["id-token"] = "write";
    const job: Job = {
        name: publish ? plan.checks.publish : plan.checks.image,
        "runs-on": plan.runsOn,
        "timeout-minutes": 30,
        needs: ["changes", "test"],
        if: publish
            ? `${CHANGED} && (github.event_name == 'push' || github.event_name == 'workflow_dispatch') && github.ref == 'refs/heads/${plan.defaultBranch}'`
            : `${CHANGED} && ${REVIEW}`,
        ...(publish ? { environment: plan.environment } : {}),
        permissions,
        ...(publish ? { outputs: { digest: expr("steps.build.outputs.digest"), "image-ref": expr("steps.record.outputs.image-ref") } } : {}),
        steps,
    };
    return job;
}

function vulnerabilitiesJob(plan: WorkflowPlan, under: (f: string) => string): Job {
    return {
        name: `${plan.service}-vulnerabilities`,
        "runs-on": plan.runsOn,
        "timeout-minutes": 20,
        if: "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'",
        permissions: { contents: "read", "security-events": "write" },
        env: goEnv(plan),
        defaults: { run: { "working-directory": plan.serviceDir } },
        steps: [
            checkout(),
            setupGo(plan, under),
            ...netrcStep(plan),
            // The SARIF format exits 0 with findings: code scanning shows and tracks them.
            { name: "Scan for known vulnerabilities", run: `${govulncheck(plan, "sarif")} > govulncheck.sarif` },
            { name: "Report to code scanning", uses: pinned("github/codeql-action/upload-sarif"), with: { sarif_file: under("govulncheck.sarif"), category: plan.service } },
        ],
    };
}
