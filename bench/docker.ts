import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";

/**
 * The local Docker engine for the benchmarks and the integration suite alike (benchmarks import
 * nothing from test/; the suite imports these).
 */

/** Debian's 20.10 client: BuildKit built in, so classic builds need no buildx; buildx is its CLI plugin (up.sh). */
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

/** Copies a module (an example) to a fresh temporary directory, leaving out generated files. */
export function copyModule(dir: string): string {
    const to = fs.mkdtempSync(path.join(os.tmpdir(), `gsi-${path.basename(dir)}-`));
    fs.cpSync(dir, to, { recursive: true, filter: (src) => ![".dockerignore", "Dockerfile"].includes(path.basename(src)) });
    return to;
}
