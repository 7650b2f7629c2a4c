import * as fs from "fs";
import * as path from "path";

/**
 * Writes `content` to `file` only if it differs, through a temporary file renamed into place, so
 * a reader never sees a partial file and an unchanged file keeps its modification time.
 * Returns whether the file was written.
 */
export function writeFileIfChanged(file: string, content: string): boolean {
    try {
        if (fs.readFileSync(file, "utf8") === content) return false;
    } catch {
        // Missing or unreadable: write it.
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    try {
        fs.writeFileSync(tmp, content, { mode: 0o644 });
        fs.renameSync(tmp, file);
    } finally {
        fs.rmSync(tmp, { force: true });
    }
    return true;
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
