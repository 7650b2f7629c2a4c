import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import ignore from "@balena/dockerignore";

/** Everything that decides the built image besides the context files. */
export interface TagInputs {
    readonly dockerfile: string;
    /** The .dockerignore the build will use, hashed as text (the file on disk may not be written yet). */
    readonly dockerignore: string;
    readonly buildArgs: ReadonlyArray<readonly [string, string]>;
    readonly platform?: string;
}

/** Bumped when the hashing scheme changes, so old and new tags never collide. */
const SCHEME = "go-service-image/content-tag/v1";

/**
 * The image tag derived from the content of the build: `content-<16 hex>` of a SHA-256 over the
 * Dockerfile, the .dockerignore, the build args, the platform and every other context file the
 * .dockerignore keeps (path, executable bit, content). Files are walked in a flat sorted order and their modification times
 * are ignored, so the tag is the same on every machine and changes exactly when the build does.
 */
export function contentTag(contextDir: string, ignorePatterns: readonly string[], inputs: TagInputs): string {
    const hash = crypto.createHash("sha256");
    const field = (s: string) => hash.update(s).update("\0");
    field(SCHEME);
    field(inputs.dockerfile);
    field(inputs.dockerignore);
    field(inputs.platform ?? "");
    for (const [k, v] of inputs.buildArgs) {
        field(k);
        field(v);
    }
    for (const file of contextFiles(contextDir, ignorePatterns)) {
        field(file.rel);
        field(file.kind);
        hash.update(file.content);
        field("");
    }
    return "content-" + hash.digest("hex").slice(0, 16);
}

interface ContextFile {
    readonly rel: string;
    readonly kind: "file" | "exec" | "symlink";
    readonly content: Buffer;
}

/** The files of the context that Docker would send, in flat sorted order of their paths. */
export function contextFiles(contextDir: string, ignorePatterns: readonly string[]): ContextFile[] {
    const matcher = ignore().add([...ignorePatterns]);
    const out: ContextFile[] = [];
    const walk = (relDir: string) => {
        const entries = fs.readdirSync(path.join(contextDir, relDir), { withFileTypes: true });
        for (const entry of entries) {
            const rel = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
            if (rel === ".dockerignore" || matcher.ignores(rel)) continue;
            const abs = path.join(contextDir, rel);
            if (entry.isSymbolicLink()) {
                out.push({ rel, kind: "symlink", content: Buffer.from(fs.readlinkSync(abs)) });
            } else if (entry.isDirectory()) {
                walk(rel);
            } else if (entry.isFile()) {
                const exec = (fs.statSync(abs).mode & 0o111) !== 0;
                out.push({ rel, kind: exec ? "exec" : "file", content: fs.readFileSync(abs) });
            }
        }
    };
    walk("");
    return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
