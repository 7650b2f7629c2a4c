/**
 * Every temporary directory of a test run goes under one directory of its own, removed when the
 * run ends (set KEEP_TMP=1 to keep it): the suites make thousands of module copies, programs and
 * builder states, and leaving them would fill /tmp over repeated runs. Loaded first by both mocha
 * configurations; os.tmpdir() follows TMPDIR, and so do the processes the tests start.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-test-run-"));
// Traversable by others, as /tmp is: a test runs the CLI as an unprivileged user on files below it.
fs.chmodSync(root, 0o711);
process.env.TMPDIR = root;

export const mochaHooks = {
    afterAll(): void {
        if (process.env.KEEP_TMP) return;
        process.chdir(os.homedir());
        fs.rmSync(root, { recursive: true, force: true });
    },
};
