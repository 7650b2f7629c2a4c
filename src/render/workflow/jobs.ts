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

/** The names of the repository variables and secret a service's workflow reads. */
export function variableNames(prefix: string) {
    return {
        repository: `${prefix}_IMAGE_REPOSITORY`,
        registry: `${prefix}_REGISTRY`,
        username: `${prefix}_REGISTRY_USERNAME`,
        password: `${prefix}_REGISTRY_PASSWORD`,
    };
}

/** Builds the workflow model: a test job and an image job that needs it. */
export function workflowModel(plan: WorkflowPlan): Workflow {
    const under = (file: string) => inServiceDir(plan.serviceDir, file);
    const trigger = {
        paths: [...plan.moduleDirs.map((d) => (d === "." ? "**" : `${d}/**`)), ...(plan.goWork ? [plan.goWork, `${plan.goWork}.sum`] : []), plan.path],
    };
    return {
        name: plan.service,
        on: {
            push: { branches: [plan.defaultBranch], ...trigger },
            pull_request: trigger,
            workflow_dispatch: {},
        },
        permissions: { contents: "read" },
        concurrency: {
            group: `${expr("github.workflow")}-${expr("github.ref")}`,
            // Superseded runs are cancelled, except on the default branch, where every push ships.
            "cancel-in-progress": expr(`github.ref != 'refs/heads/${plan.defaultBranch}'`),
        },
        jobs: { test: testJob(plan, under), image: imageJob(plan, under) },
    };
}

function checkout(): Step {
    return { name: "Check out", uses: pinned("actions/checkout"), with: { "persist-credentials": false } };
}

function testJob(plan: WorkflowPlan, under: (f: string) => string): Job {
    const steps: Step[] = [
        checkout(),
        {
            name: "Set up Go",
            uses: pinned("actions/setup-go"),
            with: plan.sumFiles.length > 0 ? { "go-version-file": under("go.mod"), "cache-dependency-path": plan.sumFiles.join("\n") } : { "go-version-file": under("go.mod"), cache: false },
        },
        { name: "Build", run: "go build ./..." },
        { name: "Vet", run: "go vet ./..." },
        { name: "Test", run: "go test -race -count=1 ./..." },
        { name: "Lint", uses: pinned("golangci/golangci-lint-action"), with: { version: plan.golangciLintVersion, "working-directory": plan.serviceDir } },
    ];
    if (plan.govulncheck) {
        steps.push({
            name: "Check for known vulnerabilities",
            uses: pinned("golang/govulncheck-action"),
            with: { "go-version-file": under("go.mod"), "work-dir": plan.serviceDir, "repo-checkout": false },
        });
    }
    return {
        name: plan.checks.test,
        "runs-on": plan.runsOn,
        "timeout-minutes": 20,
        permissions: { contents: "read" },
        // The same module set the image builds: the workspace it was resolved with, or the module alone.
        ...(plan.goWork ? {} : { env: { GOWORK: "off" } }),
        defaults: { run: { "working-directory": plan.serviceDir } },
        steps,
    };
}

function imageJob(plan: WorkflowPlan, under: (f: string) => string): Job {
    const vars = variableNames(plan.prefix);
    const push = `github.event_name != 'pull_request' && github.ref == 'refs/heads/${plan.defaultBranch}'`;
    const repository = expr(`vars.${vars.repository}`);
    const steps: Step[] = [checkout()];
    if (plan.cgo && plan.platforms.some((p) => p !== "linux/amd64")) {
        // cgo builds on the target platform, so other platforms need an emulator.
        steps.push({ name: "Set up QEMU", uses: pinned("docker/setup-qemu-action"), with: { platforms: plan.platforms.join(",") } });
    }
    steps.push(
        { name: "Set up Buildx", uses: pinned("docker/setup-buildx-action") },
        {
            name: "Log in to the registry",
            if: push,
            uses: pinned("docker/login-action"),
            with: { registry: expr(`vars.${vars.registry}`), username: expr(`vars.${vars.username}`), password: expr(`secrets.${vars.password}`) },
        },
        {
            name: "Version and commit time",
            id: "version",
            // The commit time makes the image the same for the same commit (SOURCE_DATE_EPOCH).
            run: ['echo "version=sha-${GITHUB_SHA::12}" >> "$GITHUB_OUTPUT"', 'echo "epoch=$(git log -1 --format=%ct)" >> "$GITHUB_OUTPUT"', ""].join("\n"),
        },
        {
            name: "Build and push",
            id: "build",
            uses: pinned("docker/build-push-action"),
            with: {
                context: plan.contextDir,
                file: under("Dockerfile"),
                platforms: plan.platforms.join(","),
                push: expr(push),
                tags: `${repository}:${expr("steps.version.outputs.version")}`,
                "build-args": `VERSION=${expr("steps.version.outputs.version")}\nREVISION=${expr("github.sha")}\nSOURCE_DATE_EPOCH=${expr("steps.version.outputs.epoch")}\n`,
                "cache-from": `type=gha,scope=${plan.service}`,
                "cache-to": `type=gha,mode=max,scope=${plan.service}`,
                provenance: plan.provenance,
                sbom: plan.sbom,
            },
        },
        {
            name: "Record the digest",
            id: "record",
            if: push,
            env: { IMAGE: repository, DIGEST: expr("steps.build.outputs.digest") },
            run: ['echo "image-ref=${IMAGE}@${DIGEST}" >> "$GITHUB_OUTPUT"', 'echo "Pushed \\`${IMAGE}@${DIGEST}\\`" >> "$GITHUB_STEP_SUMMARY"', ""].join("\n"),
        },
    );
    if (plan.sign) {
        steps.push(
            { name: "Install cosign", if: push, uses: pinned("sigstore/cosign-installer") },
            { name: "Sign the image", if: push, env: { IMAGE: repository, DIGEST: expr("steps.build.outputs.digest") }, run: 'cosign sign --yes "${IMAGE}@${DIGEST}"' },
        );
    }
    return {
        name: plan.checks.image,
        "runs-on": plan.runsOn,
        "timeout-minutes": 30,
        needs: ["test"],
        permissions: plan.sign ? { contents: "read", packages: "write", "id-token": "write" } : { contents: "read", packages: "write" },
        outputs: { digest: expr("steps.build.outputs.digest"), "image-ref": expr("steps.record.outputs.image-ref") },
        steps,
    };
}
