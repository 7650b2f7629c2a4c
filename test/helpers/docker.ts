import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";

/** Debian's client: BuildKit built in (the newer client first on PATH has no buildx). */
export const DOCKER = process.env.GO_SERVICE_IMAGE_DOCKER ?? "/usr/bin/docker";

/** Runs the docker client with BuildKit; returns trimmed stdout, throws on failure. */
export function docker(...args: string[]): string {
    return execFileSync(DOCKER, args, { encoding: "utf8", env: { ...process.env, DOCKER_BUILDKIT: "1" }, maxBuffer: 512 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** Copies a file out of an image into a fresh temporary directory; returns its path. */
export function copyOut(image: string, from: string): string {
    const id = docker("create", "--network", "none", image);
    const to = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-cp-")), path.basename(from));
    try {
        docker("cp", `${id}:${from}`, to);
    } finally {
        docker("rm", id);
    }
    return to;
}
