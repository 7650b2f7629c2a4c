import * as crypto from "crypto";
import * as fs from "fs";
import { GoServiceImageError, show } from "../errors";
import { ContextFile } from "../plan/image";

/** Everything that decides the built image besides the context files. */
export interface TagInputs {
    readonly dockerfile: string;
    /** The .dockerignore the build will use, hashed as text (the file on disk may not be written yet). */
    readonly dockerignore: string;
    readonly buildArgs: ReadonlyArray<readonly [string, string]>;
    readonly platform: string;
}

/** Bumped when the hashing scheme changes, so old and new tags never collide. */
const SCHEME = "go-service-image/content-tag/v2";
const CHUNK = 1024 * 1024;

/**
 * The image tag derived from the content of the build: `content-<16 hex>` of a SHA-256 over the
 * Dockerfile, the .dockerignore, the build args, the platform and exactly the context files Docker
 * sends (path, kind, content), in the flat sorted order resolve lists them. Modification times are
 * ignored, so the tag is the same on every machine and changes exactly when the build does. Files
 * are streamed in 1 MiB chunks: a large file costs no memory, and a file over 2 GiB is fine.
 * A file that cannot be read (changed since resolve) is a GoServiceImageError naming it.
 */
export function contentTag(resourceName: string, files: readonly ContextFile[], inputs: TagInputs): string {
    const hash = crypto.createHash("sha256");
    const field = (s: string) => hash.update(s).update("\0");
    field(SCHEME);
    field(inputs.dockerfile);
    field(inputs.dockerignore);
    field(inputs.platform);
    for (const [k, v] of inputs.buildArgs) {
        field(k);
        field(v);
    }
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (const file of files) {
        field(file.rel);
        field(file.kind);
        if (file.kind === "symlink") hash.update(fs.readlinkSync(file.abs));
        else hashFile(resourceName, file, hash, buffer);
        field("");
    }
    return "content-" + hash.digest("hex").slice(0, 16);
}

function hashFile(resourceName: string, file: ContextFile, hash: crypto.Hash, buffer: Buffer): void {
    let fd: number | undefined;
    try {
        fd = fs.openSync(file.abs, "r");
        for (let n = fs.readSync(fd, buffer, 0, CHUNK, null); n > 0; n = fs.readSync(fd, buffer, 0, CHUNK, null)) {
            hash.update(n === CHUNK ? buffer : buffer.subarray(0, n));
        }
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? "error";
        throw new GoServiceImageError(resourceName, [{ field: "context", code: "unreadable", message: `${show(file.abs)} in the build context cannot be read (${code}): make it readable: the build reads it.` }]);
    } finally {
        if (fd !== undefined) fs.closeSync(fd);
    }
}
