import * as assert from "assert";
import { spawnSync } from "child_process";
import { REPO_ROOT } from "../helpers/module";
import { DOCKER, requireEnvironment } from "./engine";

describe("integration: npm run demo", function () {
    before(requireEnvironment);

    it("builds and pushes hello-service by digest; without the Pulumi CLI it says so and uses the CLI's build", () => {
        const env = { ...process.env, GO_SERVICE_IMAGE_DOCKER: DOCKER };
        const r = spawnSync("npm", ["run", "--silent", "demo"], { cwd: REPO_ROOT, encoding: "utf8", env });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout.trim().split("\n").pop()!, /^localhost:5000\/hello-service@sha256:[0-9a-f]{64}$/);
        if (spawnSync("sh", ["-c", "command -v pulumi"], { env }).status !== 0) {
            assert.match(r.stderr, /demo: the Pulumi CLI is not installed .*building through go-service-image build instead/);
        }
    });
});
