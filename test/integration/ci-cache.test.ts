import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ciRepository, freshRunner, imageJobArgs, oneLineChange } from "../../bench/buildkit";
import { REPO_ROOT } from "../helpers/module";
import { measure, requireEnvironment } from "./engine";

describe("integration: the image job replayed as docker/build-push-action runs it, on BuildKit v0.34.2, fresh runners", function () {
    before(requireEnvironment);

    it("a second fresh runner, after a one-line change, reuses the restored module and build caches", async () => {
        const { repo, workflow } = ciRepository(path.join(REPO_ROOT, "examples", "monorepo"));
        const argsOf = (version: string) => imageJobArgs(workflow, repo, version);
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-actions-cache-"));

        // Runner 1: an empty cache restored, built, extracted: what actions/cache saves on the default branch.
        await freshRunner("runner1", argsOf("sha-1"), cache, true);
        assert.ok(fs.readdirSync(path.join(cache, "go-mod-cache")).length > 0, "the module cache was saved");

        oneLineChange(repo);

        const restored = await freshRunner("runner2", argsOf("sha-2"), cache);
        const cold = await freshRunner("runner3", argsOf("sha-2"));
        measure(`fresh runner after a one-line change: restored caches ${restored.seconds.toFixed(1)} s (${restored.downloads} module downloads, ${restored.compiles} packages compiled), no restore ${cold.seconds.toFixed(1)} s (${cold.downloads} downloads, ${cold.compiles} compiled)`);
        assert.strictEqual(restored.downloads, 0, "the restored module cache served every module");
        assert.ok(cold.downloads > 0, "without the restore, modules are downloaded");
        assert.ok(restored.compiles < cold.compiles, "the restored build cache spared unchanged packages");
        assert.ok(restored.compiles <= 4, `only the changed package and its dependents compile, got ${restored.compiles}`);
    });
});
