import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { generate } from "../helpers/generate";
import { HELLO } from "../helpers/module";
import { MATRIX, PREVIEW_MATRIX } from "../helpers/workflow";
import { previewWorkflow } from "../../src/preview";

/** Where test/integration/env/up.sh builds Scorecard, once per version. */
const SCORECARD = path.join(process.env.GSI_TOOLS ?? path.join(os.homedir(), ".cache", "gsi-tools"), "scorecard-v5.3.0", "scorecard");
const CHECKS = "Pinned-Dependencies,Token-Permissions,Dangerous-Workflow";

/** Scores of a repository holding the generated workflow and Dockerfile, as Scorecard reads it locally. */
function scores(files: Record<string, string>): Record<string, { score: number; details: string[] }> {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-scorecard-"));
    for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
        fs.writeFileSync(path.join(repo, file), text);
    }
    const r = spawnSync(SCORECARD, [`--local=${repo}`, `--checks=${CHECKS}`, "--format", "json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    assert.strictEqual(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { checks: Array<{ name: string; score: number; details: string[] | null }> };
    return Object.fromEntries(out.checks.map((c) => [c.name, { score: c.score, details: c.details ?? [] }]));
}

describe("integration: OpenSSF Scorecard on the generated workflow and Dockerfile", () => {
    before(() => assert.ok(fs.existsSync(SCORECARD), `${SCORECARD} is missing: run bash test/integration/env/up.sh`));

    const pins = { builder: `sha256:${"a".repeat(64)}`, runtime: `sha256:${"b".repeat(64)}` };
    for (const [what, options, image] of MATRIX) {
        it(`${what}: Dangerous-Workflow, Token-Permissions and (with base digests given) Pinned-Dependencies all 10, over the workflow, the scan workflow and the Dockerfile`, () => {
            const runtime = (image as { cgo?: boolean } | undefined)?.cgo ? "alpine" : "distroless";
            const p = generate(HELLO, { runtime, ...image, digests: pins }, "hello-service", { ...options, serviceDir: "." });
            const s = scores({ ".github/workflows/hello-service.yml": p.workflow!, ...(p.scan ? { ".github/workflows/hello-service-scan.yml": p.scan } : {}), Dockerfile: p.dockerfile });
            for (const check of CHECKS.split(",")) assert.strictEqual(s[check].score, 10, `${check}: ${s[check].details.join("\n")}`);
        });
    }

    for (const [what, options] of PREVIEW_MATRIX) {
        it(`the preview workflow, ${what}: Dangerous-Workflow, Token-Permissions and Pinned-Dependencies all 10`, () => {
            const { path: file, text } = previewWorkflow(options);
            const s = scores({ [file]: text });
            for (const check of CHECKS.split(",")) assert.strictEqual(s[check].score, 10, `${check}: ${s[check].details.join("\n")}`);
        });
    }

    it("without base digests Pinned-Dependencies says so: the builder FROM names a tag", () => {
        const p = generate(HELLO, { runtime: "distroless" }, "hello-service", {});
        const s = scores({ ".github/workflows/hello-service.yml": p.workflow!, Dockerfile: p.dockerfile });
        assert.ok(s["Pinned-Dependencies"].score < 10, JSON.stringify(s["Pinned-Dependencies"]));
        assert.strictEqual(s["Token-Permissions"].score, 10);
        console.log(`      measured: Pinned-Dependencies ${s["Pinned-Dependencies"].score} without digests, 10 with them`);
    });
});
