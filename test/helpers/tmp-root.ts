/**
 * Every temporary directory of a test run goes under one directory of its own, removed when the
 * run ends (set KEEP_TMP=1 to keep it): the suites make thousands of module copies, programs and
 * builder states, and leaving them would fill /tmp over repeated runs. Loaded first by both mocha
 * configurations; os.tmpdir() follows TMPDIR, and so do the processes the tests start.
 *
 * Cleanup never fails a run: on a slow, loaded machine removing the tree can take longer than any
 * test's budget, so the hook has none, and a removal that fails is reported, not thrown.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-test-run-"));
// Traversable by others, as /tmp is: a test runs the CLI as an unprivileged user on files below it.
fs.chmodSync(root, 0o711);
process.env.TMPDIR = root;

/** Removes a run's temporary tree; a failure is written to stderr and never thrown. */
export function removeRunRoot(dir: string, rm: (dir: string) => void = (d) => fs.rmSync(d, { recursive: true, force: true, maxRetries: 3 })): boolean {
    try {
        rm(dir);
        return true;
    } catch (e) {
        process.stderr.write(`tmp-root: could not remove ${dir} (left behind): ${(e as Error).message}\n`);
        return false;
    }
}

export const mochaHooks = {
    afterAll(this: Mocha.Context): void {
        // No time budget: how long a big tree takes to remove says nothing about the code under test.
        this.timeout(0);
        if (process.env.KEEP_TMP) return;
        process.chdir(os.homedir());
        removeRunRoot(root);
    },
};
