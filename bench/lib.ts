import * as fs from "fs";
import * as path from "path";
import { execFileSync, spawnSync } from "child_process";

import { copyModule, copyOut, docker, DOCKER } from "./docker";

export { copyModule, copyOut, docker, DOCKER };
export const ROOT = path.resolve(__dirname, "..");

/** Seconds a function takes. */
export function time(fn: () => void): number {
    const t = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t) / 1e9;
}

export function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `median (min–max)` with the given digits. */
export function spread(xs: number[], digits = 2): string {
    return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
}

/** Builds a Dockerfile with the engine, BuildKit, host network; throws with the log on failure. */
export function build(dockerfile: string, context: string, tag: string, args: Record<string, string> = {}): void {
    const argv = ["build", "--network", "host", "-f", dockerfile, "-t", tag];
    for (const [k, v] of Object.entries(args)) argv.push("--build-arg", `${k}=${v}`);
    argv.push(context);
    const r = spawnSync(DOCKER, argv, { encoding: "utf8", env: { ...process.env, DOCKER_BUILDKIT: "1" } });
    if (r.status !== 0) throw new Error(`build of ${tag} failed:\n${r.stderr.split("\n").slice(-15).join("\n")}`);
}

export function imageSize(tag: string): number {
    return Number(docker("image", "inspect", "--format", "{{.Size}}", tag));
}

/** Appends a one-line source change that changes the compiled code, not only a comment. */
export function oneLineChange(file: string, n: number): void {
    fs.appendFileSync(file, `\nvar benchEdit${n} = ${n}\n`);
}

export function goEnv(): Record<string, string> {
    const env = JSON.parse(execFileSync("go", ["env", "-json", "GOPROXY", "GOSUMDB", "GOFLAGS"], { encoding: "utf8" })) as Record<string, string>;
    return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
}

export function mib(bytes: number): string {
    return (bytes / 1024 / 1024).toFixed(2);
}
