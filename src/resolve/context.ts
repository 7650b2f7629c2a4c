import * as fs from "fs";
import * as path from "path";
import ignore from "@balena/dockerignore";
import { Problems, show } from "../errors";
import { ContextFile } from "../plan/image";

/**
 * A .dockerignore matcher with Docker's semantics (moby's fileutils, which @balena/dockerignore
 * follows): case-sensitive as on Linux, a pattern matching a parent directory excludes what is
 * under it, and the last matching pattern wins. Returns a message instead when a pattern cannot be
 * compiled.
 */
export function ignoreMatcher(patterns: readonly string[]): { ignores(rel: string): boolean; descend(dir: string): boolean } | string {
    const matcher = ignore({ ignorecase: false }).add([...patterns]);
    try {
        matcher.ignores("probe");
    } catch (e) {
        return (e as Error).message;
    }
    // Docker's client walks into an excluded directory only when an exception pattern starts with it.
    const exceptions = patterns.filter((p) => p.trim().startsWith("!")).map((p) => path.posix.normalize(p.trim().slice(1).trim()).replace(/^\/+/, ""));
    return {
        ignores: (rel) => matcher.ignores(rel),
        descend: (dir) => exceptions.some((p) => p.startsWith(dir + "/")),
    };
}

/**
 * The files of the context that Docker sends for these ignore patterns, in flat sorted order of
 * their paths (the .dockerignore itself is left out: its text is hashed instead). Records a
 * problem for what would fail late: an unreadable file or directory, a symbolic link that points
 * outside the context.
 */
export function contextFiles(contextDir: string, patterns: readonly string[], problems: Problems, field = "context"): ContextFile[] {
    const matcher = ignoreMatcher(patterns);
    if (typeof matcher === "string") {
        problems.add("dockerignore", "invalid", `a .dockerignore pattern cannot be read (${matcher}): write it with letters, digits and _ . - / * ? only.`);
        return [];
    }
    const root = path.resolve(contextDir);
    const out: ContextFile[] = [];
    const walk = (relDir: string) => {
        let entries: fs.Dirent[];
        try {
            entries = fs.readdirSync(path.join(root, relDir), { withFileTypes: true });
        } catch (e) {
            problems.add(field, "unreadable", `the directory ${show(path.join(contextDir, relDir))} in the build context cannot be read (${(e as NodeJS.ErrnoException).code}): make it readable (chmod a+rx).`);
            return;
        }
        for (const entry of entries) {
            const rel = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
            const ignored = matcher.ignores(rel);
            const abs = path.join(root, rel);
            if (entry.isDirectory()) {
                if (!ignored || matcher.descend(rel)) walk(rel);
                continue;
            }
            if (ignored || rel === ".dockerignore") continue;
            if (entry.isSymbolicLink()) {
                const target = fs.readlinkSync(abs);
                const resolved = path.resolve(path.dirname(abs), target);
                if (path.isAbsolute(target) || (resolved !== root && !resolved.startsWith(root + path.sep))) {
                    problems.add(field, "unsupported", `${show(path.join(contextDir, rel))} is a symbolic link to ${show(target)}, outside the build context: Docker sends the link, not the file, so the build cannot read it. Replace the link with the file (or a link inside the context).`);
                    continue;
                }
                out.push({ rel, abs, kind: "symlink", size: Buffer.byteLength(target) });
            } else if (entry.isFile()) {
                try {
                    fs.accessSync(abs, fs.constants.R_OK);
                } catch (e) {
                    problems.add(field, "unreadable", `${show(path.join(contextDir, rel))} in the build context cannot be read (${(e as NodeJS.ErrnoException).code}): make it readable (chmod a+r): the build reads it.`);
                    continue;
                }
                const stat = fs.statSync(abs);
                out.push({ rel, abs, kind: (stat.mode & 0o111) !== 0 ? "exec" : "file", size: stat.size });
            }
        }
    };
    walk("");
    return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
