import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ciRepository, freshRunner, imageJobArgs, oneLineChange, ran, stepLog, STEPS } from "../../bench/buildkit";
import { REPO_ROOT } from "../helpers/module";
import { measure, REGISTRY, requireEnvironment } from "./engine";

describe("integration: the image job replayed as docker/build-push-action runs it, on BuildKit v0.34.2, fresh runners", function () {
    before(requireEnvironment);

    it("a second fresh runner, after a one-line change, reuses the restored module and build caches, and with the layer cache too runs neither the download nor the dependency step", async () => {
        const { repo, workflow } = ciRepository(path.join(REPO_ROOT, "examples", "monorepo"));
        const argsOf = (version: string) => imageJobArgs(workflow, repo, version);
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-actions-cache-"));
        // The workflow's type=gha layer cache, played by a registry.
        const layerCache = `${REGISTRY}/ci-layer-cache:run-${process.hrtime.bigint()}`;

        // Runner 1: an empty cache restored, built, extracted: what actions/cache saves on the default branch, which also writes the layer cache.
        await freshRunner("runner1", imageJobArgs(workflow, repo, "sha-1", { ref: layerCache, write: true }), cache, true);
        assert.ok(fs.readdirSync(path.join(cache, "go-mod-cache")).length > 0, "the module cache was saved");

        oneLineChange(repo);

        const restored = await freshRunner("runner2", argsOf("sha-2"), cache);
        const cold = await freshRunner("runner3", argsOf("sha-2"));
        measure(`fresh runner after a one-line change: restored caches ${restored.seconds.toFixed(1)} s (${restored.downloads} module downloads, ${restored.compiles} packages compiled), no restore ${cold.seconds.toFixed(1)} s (${cold.downloads} downloads, ${cold.compiles} compiled)`);
        assert.strictEqual(restored.downloads, 0, "the restored module cache served every module");
        assert.ok(cold.downloads > 0, "without the restore, modules are downloaded");
        assert.ok(restored.compiles < cold.compiles, "the restored build cache spared unchanged packages");
        assert.ok(restored.compiles <= 4, `only the changed package and its dependents compile, got ${restored.compiles}`);

        // As on GitHub: the caches restored and the layer cache read.
        const both = await freshRunner("runner4", imageJobArgs(workflow, repo, "sha-2", { ref: layerCache, write: false }), cache);
        measure(`fresh runner after a one-line change, caches restored and the layer cache read: ${both.seconds.toFixed(1)} s (${both.downloads} module downloads, ${both.compiles} packages compiled)`);
        for (const step of [STEPS.download, STEPS.dependencies]) assert.ok(!ran(stepLog(both.log as string, step)), `${step} ran again`);
        assert.strictEqual(both.downloads, 0);
        assert.ok(both.compiles > 0 && both.compiles <= 4, `only the changed package and its dependents compile, got ${both.compiles}`);
    });
});
