import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { parse } from "yaml";
import { GoServiceImageArgs } from "../../src/args";
import { prepare, Prepared } from "../../src/pipeline";
import { Claims } from "../../src/resolve/claims";
import { repositoryPaths } from "../../src/resolve/github";
import { REPO_ROOT } from "../helpers/module";

const LIBRARY: string = require("../../package.json").version;

/**
 * A service repository as the component provisions it: the sources at `serviceDir`, the Dockerfile
 * and its allow-list committed where the workflow reads them. The component's program lives
 * elsewhere (its own working directory), its `context` pointing into the checkout.
 */
function provisioned(source: string, moduleDir: string, args: Partial<GoServiceImageArgs>, name = "api"): { repo: string; prepared: Prepared } {
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
    const bin = path.join(REPO_ROOT, "bin", "go-service-image.js");
    fs.writeFileSync(path.join(dir, "npx"), [
        "#!/bin/bash",
        `[ "$1 $2 $3 $4 $5" = "--yes --package pulumi-go-service-image@${LIBRARY} -- go-service-image" ] || { echo "unexpected npx call: $*" >&2; exit 99; }`,
        `shift 5; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} "$@"`,
        "",
    ].join("\n"), { mode: 0o755 });
    return dir;
}

/** GitHub's `$GITHUB_OUTPUT` file format: `name=value` lines and `name<<DELIMITER` blocks. */
function stepOutputs(text: string): Record<string, string> {
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
function runStep(repo: string, workflow: string, ref: { type: "branch" | "tag"; name: string }): { status: number; outputs: Record<string, string>; stderr: string } {
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

const buildArgLines = (p: Prepared) => Object.entries(p.build.args).map(([k, v]) => `${k}=${v}`).join("\n");

describe("the publish job computes what the component deploys (go-service-image inputs, the same library version)", () => {
    const layouts: Array<{ what: string; source: string; moduleDir: string; args: Partial<GoServiceImageArgs>; name?: string }> = [
        { what: "a module at the repository root", source: path.join(REPO_ROOT, "examples", "hello-service"), moduleDir: ".", args: {} },
        { what: "a monorepo service with local modules (replace ../../libs)", source: path.join(REPO_ROOT, "examples", "monorepo"), moduleDir: "services/api", args: {} },
        { what: "several binaries", source: path.join(REPO_ROOT, "examples", "multi-binary"), moduleDir: ".", args: { mains: ["./cmd/*"] }, name: "multi" },
        {
            what: "every image setting, the source label defaulted from github",
            source: path.join(REPO_ROOT, "examples", "deps-service"),
            moduleDir: ".",
            args: {
                runtime: "distroless", port: 9000, user: 10001, env: { B: "2", A: "1 and $x" }, labels: { "com.acme.team": "payments" }, ldflags: ["-X", "main.commit=abc"], buildTags: ["netgo"],
                goEnv: { GOPRIVATE: "example.com/private", GOFLAGS: "-mod=mod" }, buildArgs: { EXTRA: "x" }, revision: "r1", sourceDateEpoch: 1700000000, command: ["serve"],
                github: { repository: "deps", owner: "acme" } as GoServiceImageArgs["github"],
            },
        },
    ];
    for (const l of layouts) {
        it(`${l.what}: the step's tag, version and build args are the component's, byte for byte`, () => {
            const { repo, prepared } = provisioned(l.source, l.moduleDir, l.args, l.name);
            const r = runStep(repo, prepared.workflow!, { type: "branch", name: "main" });
            assert.strictEqual(r.status, 0, r.stderr);
            assert.deepStrictEqual(r.outputs, { tag: prepared.tag, version: prepared.version, "build-args": buildArgLines(prepared) });
        });
    }

    it("a release tag stamps its version: another build, named by the content tag the component gives that version", () => {
        const source = path.join(REPO_ROOT, "examples", "hello-service");
        const { repo, prepared } = provisioned(source, ".", {});
        const r = runStep(repo, prepared.workflow!, { type: "tag", name: "v1.4.0" });
        assert.strictEqual(r.status, 0, r.stderr);
        const released = provisioned(source, ".", { version: "1.4.0" }).prepared;
        assert.deepStrictEqual(r.outputs, { tag: released.tag, version: "1.4.0", "build-args": buildArgLines(released) });
        assert.notStrictEqual(r.outputs.tag, prepared.tag);
    });

    it("a committed Dockerfile that is not what the arguments render fails the step (exit 2), saying why and what to run", () => {
        const { repo, prepared } = provisioned(path.join(REPO_ROOT, "examples", "hello-service"), ".", {});
        fs.appendFileSync(path.join(repo, "Dockerfile"), "# edited by hand\n");
        const r = runStep(repo, prepared.workflow!, { type: "branch", name: "main" });
        assert.strictEqual(r.status, 2);
        assert.match(r.stderr, /Dockerfile is not what pulumi-go-service-image \d+\.\d+\.\d+ renders for these settings, so this build would not be the one pulumi up deploys: .*run pulumi up for the stack that declares api/);
        assert.deepStrictEqual(r.outputs, {}, "no outputs: the build does not run");
    });

    it("a source file changed since the component ran gives another tag (CI publishes that content; the component's own tag names the old one)", () => {
        const { repo, prepared } = provisioned(path.join(REPO_ROOT, "examples", "hello-service"), ".", {});
        fs.appendFileSync(path.join(repo, "main.go"), "\n// changed\n");
        const r = runStep(repo, prepared.workflow!, { type: "branch", name: "main" });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.notStrictEqual(r.outputs.tag, prepared.tag);
        assert.match(r.outputs.tag, /^content-[0-9a-f]{16}$/);
    });
});
