import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Problems, show } from "../errors";
import { MARKER } from "../render/marker";
import { Claims } from "./claims";
import * as rules from "./rules";

/** Where a request wants its files. */
export interface Placement {
    readonly name: string;
    /** The program's (or the command's) working directory: relative paths start here. */
    readonly cwd: string;
    readonly context: string;
    /** `component`/`build`: Dockerfile under generatedDir; `render`: every file under `out`. */
    readonly purpose: "component" | "build" | "render";
    readonly generatedDir: string;
    readonly writeDockerignore: boolean;
    /** render: the directory the Dockerfile and .dockerignore go to. */
    readonly out?: string;
    /** render: the repository root the workflow goes under. */
    readonly repoRoot?: string;
    /** Identifies what the .dockerignore holds, so services sharing a context may share it when equal. */
    readonly dockerignoreSignature: string;
}

/** The directory a resource name writes to: the name itself when it is a plain file name, else a safe name with a hash. */
export function nameSegment(name: string): string {
    if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name) && !name.includes("..")) return name;
    const safe = name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/\.{2,}/g, "_").replace(/^[._-]+/, "").slice(0, 60);
    return `${safe || "svc"}-${crypto.createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
}

/** A path as Docker and Pulumi state should see it: relative to `from`, with `/` separators. */
export function portablePath(target: string, from: string): string {
    const rel = path.relative(from, path.resolve(from, target));
    return rel === "" ? "." : rel.split(path.sep).join("/");
}

/** The files of a placement, relative to its cwd, and the claims they need. */
export interface PlacedFiles {
    readonly dockerfile: string;
    readonly dockerignore?: string;
    readonly workflow?: string;
    readonly claims: ReadonlyArray<{ readonly key: string; readonly content: string }>;
}

/**
 * Places the generated files and checks that writing them is safe: inside their directory, not
 * over a file the library did not generate, not over another service's file, on a writable file
 * system. Records a problem for each; writes nothing.
 */
export function placeFiles(p: Placement, workflowPath: string | undefined, owner: symbol, claims: Claims, problems: Problems): PlacedFiles | undefined {
    const before = problems.count;
    const at = (file: string) => path.resolve(p.cwd, file);
    let dockerfile: string;
    let dockerignore: string | undefined;
    let workflow: string | undefined;
    if (p.purpose === "render") {
        const out = p.out ?? p.context;
        dockerfile = path.join(out, "Dockerfile");
        dockerignore = path.join(out, ".dockerignore");
        workflow = workflowPath ? path.join(p.repoRoot ?? out, workflowPath) : undefined;
        checkDirectory(problems, "out", at(out));
        if (workflow) checkDirectory(problems, "repoRoot", path.dirname(at(workflow)));
    } else {
        if (typeof p.generatedDir !== "string" || p.generatedDir.trim() === "" || rules.oneLine("generatedDir", p.generatedDir)) {
            problems.add("generatedDir", "invalid", `'generatedDir' must be a non-empty one-line path, got ${show(p.generatedDir)}.`);
            return undefined;
        }
        const dir = path.join(p.generatedDir, nameSegment(p.name));
        dockerfile = path.join(dir, "Dockerfile");
        checkDirectory(problems, "generatedDir", at(dir));
        if (p.writeDockerignore) {
            dockerignore = path.join(p.context, ".dockerignore");
            checkDirectory(problems, "context", at(p.context), "or set writeDockerignore: false and keep a .dockerignore of your own there");
        }
    }
    const files: Array<[string, string, string]> = [["dockerfile", dockerfile, ""]];
    if (dockerignore) files.push(["dockerignore", dockerignore, p.dockerignoreSignature]);
    if (workflow) files.push(["workflow", workflow, ""]);
    const claimed: Array<{ key: string; content: string }> = [];
    for (const [kind, file, content] of files) {
        const abs = at(file);
        const field = p.purpose === "render" ? "out" : kind === "dockerignore" ? "writeDockerignore" : "generatedDir";
        let stat: fs.Stats | undefined;
        try {
            stat = fs.lstatSync(abs, { throwIfNoEntry: false });
        } catch {
            stat = undefined; // a file in the way of its directory: reported by checkDirectory
        }
        if (stat && !stat.isFile()) {
            problems.add(field, "conflict", `${show(file)} exists and is not a regular file: move it away; nothing was written.`);
        } else if (stat && !isOurs(abs)) {
            const fix = kind === "dockerignore" ? "delete it to use the generated one, or set writeDockerignore: false to keep yours"
                : p.purpose === "render" ? "move it away or choose another --out" : "move it away or choose another 'generatedDir'";
            problems.add(field, "conflict", `${show(file)} exists and was not generated by this library: ${fix}.`);
        }
        const other = claims.clash(`file:${abs}`, owner, content, kind === "dockerignore");
        if (other !== undefined) {
            problems.add(field, "conflict", other === p.name && kind !== "dockerignore"
                ? `${show(file)} is also written by another GoServiceImage named ${show(p.name)} in this program (under another parent): give one of them another name or its own 'generatedDir'.`
                : `${show(file)} is also generated by GoServiceImage ${show(other)} with different content: give the two services distinct names or contexts, or the same 'dockerignore' patterns.`);
        }
        claimed.push({ key: `file:${abs}`, content });
    }
    if (problems.count > before) return undefined;
    const rel = (file: string) => portablePath(file, p.cwd);
    return { dockerfile: rel(dockerfile), dockerignore: dockerignore && rel(dockerignore), workflow: workflow && rel(workflow), claims: claimed };
}

/** Whether a file starts with the generated-file marker. */
export function isOurs(file: string): boolean {
    try {
        const fd = fs.openSync(file, "r");
        try {
            const head = Buffer.alloc(512);
            const n = fs.readSync(fd, head, 0, head.length, 0);
            return head.toString("utf8", 0, n).split("\n", 1)[0].includes(MARKER);
        } finally {
            fs.closeSync(fd);
        }
    } catch {
        return false;
    }
}

/** A directory that exists or can be made, on a writable file system. */
function checkDirectory(problems: Problems, field: string, dir: string, alternative?: string): void {
    let existing = dir;
    while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
    const stat = fs.statSync(existing, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) {
        problems.add(field, "invalid", `${show(existing)} is a file, but ${show(dir)} must be a directory (ENOTDIR): move the file away${field === "generatedDir" ? " or set 'generatedDir' to another path" : ""}.`);
        return;
    }
    try {
        fs.accessSync(existing, fs.constants.W_OK);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === "EROFS" ? "is on a read-only file system" : "is not writable";
        problems.add(field, "unreadable", `${show(existing)} ${why} (${code}), and the generated files go to ${show(dir)}: make it writable${alternative ? `, ${alternative}` : field === "generatedDir" ? ", or set 'generatedDir' to a writable directory" : ""}.`);
    }
}
