import * as fs from "fs";
import * as path from "path";

/**
 * Writes files whose content differs, all or none as far as the file system allows: every new
 * content first goes to a temporary file beside its target, and only when all are written are they
 * renamed into place. A reader never sees a partial file, a failure leaves no temporary file, and
 * an unchanged file keeps its modification time. Returns the files written.
 */
export function writeFilesIfChanged(files: ReadonlyArray<readonly [string, string]>): string[] {
    const changed = files.filter(([file, content]) => {
        try {
            return fs.readFileSync(file, "utf8") !== content;
        } catch {
            return true; // missing or unreadable: write it
        }
    });
    // A rename onto a directory would fail half-way through the set: refuse before writing.
    for (const [file] of changed) {
        const stat = fs.lstatSync(file, { throwIfNoEntry: false });
        if (stat && !stat.isFile()) throw new Error(`${JSON.stringify(file)} exists and is not a regular file: move it away; nothing was written.`);
    }
    const staged: Array<[string, string]> = [];
    try {
        for (const [file, content] of changed) {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
            staged.push([tmp, file]);
            fs.writeFileSync(tmp, content, { mode: 0o644 });
        }
        for (const [tmp, file] of staged) fs.renameSync(tmp, file);
    } finally {
        for (const [tmp] of staged) fs.rmSync(tmp, { force: true });
    }
    return changed.map(([file]) => file);
}

/** Whether a file exists and starts with the generated-file marker (or does not exist). */
export function isOursOrAbsent(file: string, marker: string): boolean {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        return true;
    }
    return text.split("\n", 1)[0].includes(marker);
}

/** A path as Docker and Pulumi state should see it: relative to `from`, with `/` separators. */
export function portablePath(target: string, from: string = process.cwd()): string {
    const rel = path.relative(from, path.resolve(target));
    return rel === "" ? "." : rel.split(path.sep).join("/");
}
