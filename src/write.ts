import * as fs from "fs";
import * as path from "path";
import { GoServiceImageError, show } from "./errors";

const FIXES: Record<string, string> = {
    ENOSPC: "free some space on that file system (or set 'generatedDir' to another one)",
    EDQUOT: "free some of your disk quota",
    EROFS: "make the file system writable, or set 'generatedDir' to a writable directory",
    EACCES: "make the directory writable for this user",
    EPERM: "make the directory writable for this user",
};

/**
 * Writes files whose content differs, all or none as far as the file system allows: every new
 * content first goes to a temporary file beside its target, and only when all are written are they
 * renamed into place. A reader never sees a partial file, a failure leaves no temporary file, and
 * an unchanged file keeps its modification time. A failure is a GoServiceImageError naming the
 * file and the fix. Returns the files written.
 */
export function writeFilesIfChanged(owner: string, files: ReadonlyArray<readonly [string, string]>): string[] {
    const changed = files.filter(([file, content]) => {
        try {
            return fs.readFileSync(file, "utf8") !== content;
        } catch {
            return true; // missing or unreadable: write it
        }
    });
    const staged: Array<[string, string]> = [];
    let current = "";
    let renamed = 0;
    try {
        for (const [file, content] of changed) {
            current = file;
            const stat = fs.lstatSync(file, { throwIfNoEntry: false });
            // A rename onto a directory would fail half-way through the set: refuse before writing.
            if (stat && !stat.isFile()) throw Object.assign(new Error("not a regular file"), { code: "EEXIST" });
            fs.mkdirSync(path.dirname(file), { recursive: true });
            const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
            staged.push([tmp, file]);
            fs.writeFileSync(tmp, content, { mode: 0o644 });
        }
        for (const [tmp, file] of staged) {
            current = file;
            fs.renameSync(tmp, file);
            renamed++;
        }
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? "error";
        const fix = code === "EEXIST" ? "move it away" : FIXES[code] ?? "check the path and its permissions";
        throw new GoServiceImageError(owner, [{
            field: "generatedDir",
            code: "unwritable",
            message: `${show(current)} cannot be written (${code}${code === "EEXIST" ? ": it exists and is not a regular file" : ""}): ${fix}. ${renamed === 0 ? "Nothing was written." : `${renamed} of ${staged.length} files were already replaced: run again once it is fixed.`}`,
        }]);
    } finally {
        for (const [tmp] of staged) fs.rmSync(tmp, { force: true });
    }
    return changed.map(([file]) => file);
}
