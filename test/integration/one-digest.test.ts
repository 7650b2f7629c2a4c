import * as assert from "assert";
import { oneDigestRound } from "../../bench/one-digest";
import { measure, requireEnvironment } from "./engine";

describe("integration: one digest from commit to deploy (the publish job, then pulumi up, each on a fresh BuildKit v0.34.2)", function () {
    before(requireEnvironment);

    it("pulumi up on a fresh runner deploys the digest the publish job pushed: the same content tag, equal digests, 0 packages compiled, 0 modules fetched; where CI published nothing it builds", async () => {
        const r = await oneDigestRound("itest");
        assert.match(r.ci.digest, /^sha256:[0-9a-f]{64}$/);
        assert.ok(r.ci.compiled > 100 && r.ci.fetched > 0, `CI built it cold: ${r.ci.compiled} compiled, ${r.ci.fetched} fetched`);
        assert.strictEqual(r.up.tag, r.ci.tag, "the content tag CI pushed is the component's");
        assert.strictEqual(r.up.digest, r.ci.digest, "the digest pulumi up deploys is the one CI pushed");
        assert.strictEqual(r.up.compiled, 0, "pulumi up compiled nothing");
        assert.strictEqual(r.up.fetched, 0, "pulumi up fetched no module");
        assert.ok(r.alone.compiled > 100 && r.alone.fetched > 0, `without CI's publish, pulumi up builds: ${r.alone.compiled} compiled`);
        measure(`one digest: CI ${r.ci.seconds.toFixed(1)} s (${r.ci.compiled} compiled, ${r.ci.fetched} fetched) → ${r.ci.digest}; pulumi up after it ${r.up.seconds.toFixed(1)} s (0 compiled, 0 fetched), the same digest; pulumi up alone ${r.alone.seconds.toFixed(1)} s (${r.alone.compiled} compiled, ${r.alone.fetched} fetched)`);
    });
});
