import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { GoServiceImageArgs } from "../../src/args";
import { Prepared } from "../../src/pipeline";
import { provisioned, runStep } from "../../bench/publish";
import { REPO_ROOT } from "../helpers/module";

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
