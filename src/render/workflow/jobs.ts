import { GO_BUILD_CACHE, MOD_DOWNLOADS } from "../dockerfile/instructions";
import { WorkflowPlan } from "../../plan/workflow";
import { ciCacheTo } from "../../ci-cache";
import { changesJob } from "./changes";
import { Job, Step, Workflow } from "./model";
import { pinned } from "./pins";
import { registryLogin } from "./registry";
import { cacheKeys, checkout, expr, goEnv, goSteps, inServiceDir, SAVES_CACHES, textScan, variableNames } from "./steps";

/**
 * Builds the service workflow's model. It runs on every pull request, merge group and
 * default-branch push, and by hand (no `paths` filter, so its checks always report), and decides
 * inside: the `changes` job compares the commits with the files the image reads (src/render/workflow/changes.ts).
 *
 * Required checks cannot fail open: GitHub counts a skipped job as passing, and skips every job
 * whose needed job failed. So the work runs unless `changes` *said* nothing changed (a failed or
 * timed-out detection runs it), and one gate job, `<service>-checks`, runs always on pull requests
 * and merge groups and fails when the test or image job failed, was cancelled, or was skipped
 * without `changes` saying so. The gate is the one check to require.
 *
 * Pull requests and merge groups build the image without pushing and without any variable or
 * secret, so they work from forks. The image build does not wait for the tests. The default branch
 * publishes from a job behind a deployment environment, after the tests; govulncheck is a check of
 * its own that nothing needs, so a new advisory without a fix never blocks a release. The daily
 * scan lives in a workflow file of its own (src/render/workflow/scan.ts).
 */
export function workflowModel(plan: WorkflowPlan): Workflow {
    const jobs: Record<string, Job> = {
        changes: changesJob(plan),
        test: testJob(plan),
        image: imageJob(plan, false),
        publish: imageJob(plan, true),
    };
    if (plan.govulncheck) jobs.vulnerabilities = vulnerabilitiesJob(plan);
    jobs.checks = gateJob(plan);
    return {
        name: plan.service,
        // A release tag (v1.2.3) publishes the same build with its version tags as well.
        on: { push: { branches: [plan.defaultBranch], tags: [RELEASE_TAGS] }, pull_request: {}, merge_group: {}, workflow_dispatch: {} },
        permissions: {},
        concurrency: {
            // A key of its own, not the workflow's name, which another workflow may share (GitHub groups by the string alone).
            group: `go-service-image-${plan.service}-${expr("github.ref")}`,
            // Off the default branch a newer run cancels the running one. On it, a running run always
            // finishes; GitHub keeps one pending run a group and a newer push replaces it, which is
            // why a push compares with the last successful run, not with the commit before it.
            "cancel-in-progress": expr(`github.ref != 'refs/heads/${plan.defaultBranch}'`),
        },
        jobs,
    };
}

/** The tags whose push publishes a release: `v` and a semantic version. */
export const RELEASE_TAGS = "v*.*.*";

/** The work runs unless change detection succeeded and said nothing changed; never after a cancel. */
export const RUNS = "!cancelled() && needs.changes.outputs.run != 'false'";
export const REVIEW = "(github.event_name == 'pull_request' || github.event_name == 'merge_group')";

/** The Go jobs' common shape: the image's module set and settings, in the service's directory. */
function goJob(plan: WorkflowPlan, name: string, work: Step[]): Job {
    return {
        name,
        "runs-on": plan.runsOn,
        "timeout-minutes": 20,
        needs: ["changes"],
        if: RUNS,
        permissions: { contents: "read" },
        env: goEnv(plan),
        defaults: { run: { "working-directory": plan.serviceDir } },
        steps: goSteps(plan, work),
    };
}

function testJob(plan: WorkflowPlan): Job {
    const tags: Record<string, string> = plan.buildTags.length > 0 ? { args: `--build-tags=${plan.buildTags.join(",")}` } : {};
    return goJob(plan, plan.checks.test, [
        { name: "Build", run: "go build ./..." },
        { name: "Vet", run: "go vet ./..." },
        { name: "Test", run: "go test -race -count=1 ./..." },
        {
            name: "Lint",
            uses: pinned("golangci/golangci-lint-action"),
            // Its cache saved on the default branch only, like the others.
            with: { version: plan.golangciLintVersion, "working-directory": plan.serviceDir, "skip-save-cache": expr(`!(${SAVES_CACHES})`), ...tags },
        },
    ]);
}

/** govulncheck on every run of the work, as a check of its own: nothing needs it, the gate does not count it. */
function vulnerabilitiesJob(plan: WorkflowPlan): Job {
    return goJob(plan, plan.checks.vulnerabilities, [textScan(plan)]);
}

/**
 * The image job (pull requests and merge groups: build, no push, no variable or secret but the
 * optional netrc, caches restored only) and the publish job (the default branch: behind a
 * deployment environment, after the tests, log in, push by digest, save the caches). Both carry
 * the Go module and build caches of the Dockerfile's cache mounts through actions/cache and the
 * BuildKit cache dance.
 */
function imageJob(plan: WorkflowPlan, publish: boolean): Job {
    const vars = variableNames(plan.prefix);
    const repository = expr(`vars.${vars.repository}`);
    const steps: Step[] = [checkout()];
    if (plan.cgo && plan.platforms.some((p) => p !== "linux/amd64")) {
        // cgo builds on the target platform, so other platforms need an emulator.
        steps.push({ name: "Set up QEMU", uses: pinned("docker/setup-qemu-action"), with: { platforms: plan.platforms.join(",") } });
    }
    steps.push({ name: "Set up Buildx", uses: pinned("docker/setup-buildx-action") });
    if (publish) steps.push(...registryLogin(plan), ...componentInputs(plan));
    const keys = cacheKeys(plan, "go");
    const cache = { path: "go-mod-cache\ngo-build-cache\n", key: keys.key, "restore-keys": keys.restoreKeys };
    steps.push(
        {
            name: "Version and commit time",
            id: "version",
            // The commit time makes the image the same for the same commit (SOURCE_DATE_EPOCH).
            // A release tag's version (v1.2.3 → 1.2.3) is stamped into the binary; any other run stamps sha-<12>.
            run: [
                "{",
                '  echo "sha=sha-${GITHUB_SHA::12}"',
                '  if [ "$GITHUB_REF_TYPE" = tag ]; then echo "version=${GITHUB_REF_NAME#v}"; else echo "version=sha-${GITHUB_SHA::12}"; fi',
                '  echo "epoch=$(git log -1 --format=%ct)"',
                '} >> "$GITHUB_OUTPUT"',
                "",
            ].join("\n"),
        },
        publish
            ? { name: "Go caches", id: "cache", uses: pinned("actions/cache"), with: cache }
            : { name: "Go caches (restore only)", id: "cache", uses: pinned("actions/cache/restore"), with: cache },
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
    if (publish) {
        steps.push({
            // Tags only: its labels are not used, for its created label is the time of the build
            // (docker/metadata-action#403) and its title and description follow the repository's
            // settings, either of which would give one commit many digests. The Dockerfile's labels stay.
            name: "Image tags",
            id: "meta",
            uses: pinned("docker/metadata-action"),
            with: {
                images: repository,
                // The content tag is the one the component deploys: the same name for the same bytes.
                tags: `type=raw,value=${expr("steps.component.outputs.tag")}\ntype=raw,value=${expr("steps.version.outputs.sha")}\ntype=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\n`,
                // No moving latest: deployments name the digest.
                flavor: "latest=false\n",
            },
        });
    }
    const build: Record<string, string | boolean> = {
        context: plan.contextDir,
        file: inServiceDir(plan.serviceDir, "Dockerfile"),
        platforms: plan.platforms.join(","),
        push: publish,
        tags: publish ? expr("steps.meta.outputs.tags") : `${plan.service}:${expr("steps.version.outputs.sha")}`,
        // Publishing, the component's own build args (its version, revision and time: the bytes pulumi up deploys); a
        // pull request's build stamps the commit instead.
        "build-args": publish
            ? expr("steps.component.outputs.build-args")
            : `VERSION=${expr("steps.version.outputs.version")}\nREVISION=${expr("github.sha")}\nSOURCE_DATE_EPOCH=${expr("steps.version.outputs.epoch")}\n`,
        "cache-from": `type=gha,scope=${plan.service}`,
        provenance: plan.provenance,
        sbom: plan.sbom,
    };
    // Only the default branch writes the layer cache: pull requests would fill the 10 GB and evict its entries.
    // The registry cache beside the image is what pulumi up's buildx build reads (src/ci-cache.ts).
    if (publish) build["cache-to"] = `type=gha,mode=max,scope=${plan.service}\n${ciCacheTo(repository)}\n`;
    if (plan.netrc) build.secrets = `netrc=${expr(`secrets.${vars.netrc}`)}`;
    steps.push({ name: publish ? "Build and push" : "Build (no push)", id: "build", uses: pinned("docker/build-push-action"), with: build });
    if (publish) {
        steps.push({
            name: "Record the digest",
            id: "record",
            env: { IMAGE: repository, DIGEST: expr("steps.build.outputs.digest"), TAG: expr("steps.component.outputs.tag") },
            run: ['echo "image-ref=${IMAGE}@${DIGEST}" >> "$GITHUB_OUTPUT"', 'echo "Pushed \\`${IMAGE}@${DIGEST}\\` as \\`${TAG}\\`, the build pulumi up deploys" >> "$GITHUB_STEP_SUMMARY"', ""].join("\n"),
        });
        if (plan.sign) {
            steps.push(
                { name: "Install cosign", uses: pinned("sigstore/cosign-installer") },
                { name: "Sign the image", env: { IMAGE: repository, DIGEST: expr("steps.build.outputs.digest") }, run: 'cosign sign --yes "${IMAGE}@${DIGEST}"' },
            );
        }
        if (plan.attest) {
            // GitHub's own build provenance: kept by GitHub (private repositories' attestations stay private), pushed beside the image.
            steps.push({ name: "Attest build provenance", uses: pinned("actions/attest-build-provenance"), with: { "subject-name": repository, "subject-digest": expr("steps.build.outputs.digest"), "push-to-registry": true } });
        }
    }
    const permissions: Record<string, "read" | "write"> = { contents: "read" };
    if (publish && plan.registryLogin.kind === "ghcr") permissions.packages = "write";
    // OIDC: cosign's keyless signature, and a cloud registry's login.
    if (publish && (plan.sign || plan.attest || !["ghcr", "password"].includes(plan.registryLogin.kind))) permissions["id-token"] = "write";
    if (publish && plan.attest) permissions.attestations = "write";
    return {
        name: publish ? plan.checks.publish : plan.checks.image,
        "runs-on": plan.runsOn,
        "timeout-minutes": 30,
        needs: publish ? ["changes", "test"] : ["changes"],
        if: publish
            ? `${RUNS} && needs.test.result == 'success' && (github.event_name == 'push' || github.event_name == 'workflow_dispatch') && (github.ref == 'refs/heads/${plan.defaultBranch}' || startsWith(github.ref, 'refs/tags/v'))`
            : `${RUNS} && ${REVIEW}`,
        ...(publish ? { environment: plan.environment } : {}),
        permissions,
        ...(publish ? { outputs: { digest: expr("steps.build.outputs.digest"), "image-ref": expr("steps.record.outputs.image-ref"), "content-tag": expr("steps.component.outputs.tag") } } : {}),
        steps,
    };
}

/**
 * What the component builds for this commit, computed by the same library version from the same
 * arguments (`go-service-image inputs`, src/cli.ts): the content tag, the version and the build
 * args. The publish job pushes exactly that build, so the component's `pulumi up` of the same
 * sources finds it whole in the registry cache and deploys the digest CI tested. A release tag
 * stamps its version instead (another build, named by its own content tag). The step fails when
 * the committed Dockerfile is not what those arguments render.
 */
function componentInputs(plan: WorkflowPlan): Step[] {
    return [
        { name: "Set up Node", uses: pinned("actions/setup-node"), with: { "node-version": NODE_VERSION } },
        {
            name: "What pulumi up deploys",
            id: "component",
            env: { LIBRARY: plan.inputs.library, SERVICE: plan.service, SERVICE_DIR: plan.serviceDir, PLATFORMS: plan.platforms.join(","), ARGS: plan.inputs.args },
            run: [
                "set --",
                'if [ "$GITHUB_REF_TYPE" = tag ]; then set -- --image-version "${GITHUB_REF_NAME#v}"; fi',
                'npx --yes --package "pulumi-go-service-image@${LIBRARY}" -- go-service-image inputs "$SERVICE_DIR" --name "$SERVICE" --platforms "$PLATFORMS" --args "$ARGS" "$@" >> "$GITHUB_OUTPUT"',
                "",
            ].join("\n"),
        },
    ];
}

/** The Node.js the publish job runs the library's CLI with (an active LTS line). */
const NODE_VERSION = "24";

/**
 * The one check to require on pull requests and merge groups. It runs whatever happened before it
 * (`always()`) and passes only when the test and image jobs passed, or were skipped because
 * `changes` said nothing of the service changed.
 */
function gateJob(plan: WorkflowPlan): Job {
    const script = [
        "failed=",
        "for pair in \"test=$TEST\" \"image=$IMAGE\"; do",
        '  job=${pair%%=*}',
        '  result=${pair#*=}',
        '  case "$result" in',
        "    success) ;;",
        '    skipped) [ "$RUN" = false ] || failed="$failed $job (skipped, but the change detection ended \'$CHANGES\' without saying nothing changed)" ;;',
        '    *) failed="$failed $job ($result)" ;;',
        "  esac",
        "done",
        'if [ -n "$failed" ]; then',
        '  echo "::error::Not passed:$failed"',
        "  exit 1",
        "fi",
        'if [ "$RUN" = false ]; then echo "Nothing the image reads changed: nothing to check." >> "$GITHUB_STEP_SUMMARY"; else echo "Tests and image build passed." >> "$GITHUB_STEP_SUMMARY"; fi',
        "",
    ].join("\n");
    return {
        name: plan.checks.required,
        "runs-on": plan.runsOn,
        "timeout-minutes": 5,
        needs: ["changes", "test", "image"],
        if: `always() && ${REVIEW}`,
        permissions: {},
        steps: [{
            name: "Did every check pass?",
            env: { CHANGES: expr("needs.changes.result"), RUN: expr("needs.changes.outputs.run"), TEST: expr("needs.test.result"), IMAGE: expr("needs.image.result") },
            run: script,
        }],
    };
}
