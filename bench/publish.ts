/**
 * The generated publish job's own steps, run here as a runner runs them: the service repository
 * as the component provisions it, the "What pulumi up deploys" step (bash, its env, an `npx` that
 * admits only the workflow's exact call and runs this checkout's CLI), and its `$GITHUB_OUTPUT`.
 * Shared by the unit suite, the integration suite and the benchmarks.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { parse } from "yaml";
import { GoServiceImageArgs } from "../src/args";
import { prepare, Prepared } from "../src/pipeline";
import { Claims } from "../src/resolve/claims";
import { repositoryPaths } from "../src/resolve/github";
import { ROOT } from "./lib";

export const LIBRARY: string = require("../package.json").version;

/**
 * A service repository as the component provisions it: the sources at `serviceDir`, the Dockerfile
 * and its allow-list committed where the workflow reads them. The component's program lives
 * elsewhere (its own working directory), its `context` pointing into the checkout.
 */
export function provisioned(source: string, moduleDir: string, args: Partial<GoServiceImageArgs>, name = "api"): { repo: string; prepared: Prepared } {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-ci-repo-"));
    fs.cpSync(source, repo, { recursive: true });
    fs.mkdirSync(path.join(repo, ".git"), { recursive: true });
    const program = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-program-"));
    const prepared = prepare({
        name,
        args: { repository: "ghcr.io/acme/api", ...args, context: path.relative(program, path.join(repo, moduleDir)), github: { repository: "api", manageSecrets: false, ...args.github } } as GoServiceImageArgs,
        purpose: "component",
        cwd: program,
        claims: new Claims(),
    });
    const texts: Record<string, string> = { dockerfile: prepared.dockerfile, dockerignore: prepared.dockerignore };
    for (const [key, file] of repositoryPaths(prepared.plan.workflow!)) {
        if (texts[key] !== undefined) fs.writeFileSync(path.join(repo, file), texts[key]);
    }
    return { repo, prepared };
}

/** An `npx` that accepts only the workflow's exact call of this library's version and runs the local build of it. */
function npxShim(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-npx-"));
    const bin = path.join(ROOT, "bin", "go-service-image.js");
    fs.writeFileSync(path.join(dir, "npx"), [
        "#!/bin/bash",
        `[ "$1 $2 $3 $4 $5" = "--yes --package pulumi-go-service-image@${LIBRARY} -- go-service-image" ] || { echo "unexpected npx call: $*" >&2; exit 99; }`,
        `shift 5; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} "$@"`,
        "",
    ].join("\n"), { mode: 0o755 });
    return dir;
}

/** GitHub's `$GITHUB_OUTPUT` file format: `name=value` lines and `name<<DELIMITER` blocks. */
export function stepOutputs(text: string): Record<string, string> {
    const out: Record<string, string> = {};
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const block = /^([\w-]+)<<(.+)$/.exec(lines[i]);
        if (block) {
            const end = lines.indexOf(block[2], i + 1);
            out[block[1]] = lines.slice(i + 1, end).join("\n");
            i = end;
        } else if (lines[i].includes("=")) {
            out[lines[i].slice(0, lines[i].indexOf("="))] = lines[i].slice(lines[i].indexOf("=") + 1);
        }
    }
    return out;
}

/** Runs the publish job's "What pulumi up deploys" step as a runner does: bash, from the checkout, its env, a fresh GITHUB_OUTPUT. */
export function runStep(repo: string, workflow: string, ref: { type: "branch" | "tag"; name: string }): { status: number; outputs: Record<string, string>; stderr: string } {
    const step = (parse(workflow).jobs.publish.steps as Array<{ id?: string; env: Record<string, string>; run: string }>).find((s) => s.id === "component")!;
    const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-output-")), "output");
    fs.writeFileSync(output, "");
    const r = spawnSync("bash", ["-e", "-c", step.run], {
        cwd: repo,
        encoding: "utf8",
        env: { PATH: `${npxShim()}:${process.env.PATH}`, HOME: process.env.HOME, ...step.env, GITHUB_OUTPUT: output, GITHUB_REF_TYPE: ref.type, GITHUB_REF_NAME: ref.name },
    });
    return { status: r.status ?? 1, outputs: stepOutputs(fs.readFileSync(output, "utf8")), stderr: r.stderr };
}


/**
 * The publish job's `docker/build-push-action` step as the action runs it (its inputs mapped onto
 * `docker buildx build` flags as the action's own context.ts does: one --tag per tag, one
 * --build-arg per line, one --cache-to per line, --push, --metadata-file for the digest output):
 * the repository variable filled in, the step outputs of "What pulumi up deploys" given, the
 * metadata-action's tags taken as the content tag and the sha tag. The `type=gha` cache is left
 * out: only a GitHub runner reaches it (its first run on a branch finds it empty anyway).
 */
export function publishArgv(workflow: string, repo: string, repository: string, outputs: Record<string, string>, metadataFile: string): string[] {
    const job = parse(workflow).jobs.publish as { steps: Array<{ id?: string; with: Record<string, string | boolean> }> };
    const step = job.steps.find((s) => s.id === "build")!.with;
    const fill = (s: string) => s.replace(/\$\{\{ vars\.\w+_IMAGE_REPOSITORY \}\}/g, repository);
    if (step["build-args"] !== "${{ steps.component.outputs.build-args }}") throw new Error(`the publish job's build args are not the component's: ${step["build-args"]}`);
    const lines = (s: string | boolean | undefined) => String(s ?? "").split("\n").filter(Boolean);
    return [
        "--file", path.join(repo, String(step.file)),
        "--platform", String(step.platforms),
        "--tag", `${repository}:${outputs.tag}`, "--tag", `${repository}:sha-000000000000`,
        ...lines(outputs["build-args"]).flatMap((a) => ["--build-arg", a]),
        `--provenance=${step.provenance}`, `--sbom=${step.sbom}`,
        ...lines(step["cache-to"]).filter((c) => !c.startsWith("type=gha")).flatMap((c) => ["--cache-to", fill(c)]),
        "--push", "--metadata-file", metadataFile,
        path.join(repo, String(step.context)),
    ];
}
