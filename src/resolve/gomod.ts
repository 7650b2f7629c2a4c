import * as fs from "fs";
import * as path from "path";
import { Problems, show } from "../errors";

/** What the library needs to know about a Go module, read from its files without Go. */
export interface GoModule {
    /** Module path from the `module` line. */
    readonly path: string;
    /** Version from the `go` line, e.g. `1.22` or `1.22.5`. */
    readonly goVersion?: string;
    /** Version from the `toolchain` line without the `go` prefix, e.g. `1.22.5`. */
    readonly toolchain?: string;
    /** go.sum exists (a module without dependencies has none). */
    readonly hasGoSum: boolean;
    /** vendor/modules.txt exists: build with `-mod=vendor` and download nothing. */
    readonly vendored: boolean;
}

/** The parsed lines of go.mod the library uses. Pure: text in, fields out. */
export function parseGoMod(text: string): { module?: string; go?: string; toolchain?: string } {
    const out: { module?: string; go?: string; toolchain?: string } = {};
    let depth = 0;
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.replace(/\/\/.*$/, "").trim();
        if (line === "") continue;
        if (depth > 0) {
            if (line === ")") depth--;
            continue;
        }
        if (line.endsWith("(")) {
            depth++;
            continue;
        }
        const m = /^(module|go|toolchain)\s+(.+)$/.exec(line);
        if (!m) continue;
        const value = unquote(m[2].trim());
        if (m[1] === "module") out.module = value;
        else if (m[1] === "go") out.go = value;
        else out.toolchain = value.replace(/^go/, "");
    }
    return out;
}

function unquote(s: string): string {
    if (s.startsWith('"') && s.endsWith('"')) return JSON.parse(s) as string;
    if (s.startsWith("`") && s.endsWith("`")) return s.slice(1, -1);
    return s;
}

/**
 * Reads go.mod, go.sum and vendor/ in `dir`. Records problems (no directory, no go.mod, no module
 * line) in `problems` and returns undefined when the module cannot be used.
 */
export function readGoModule(dir: string, problems: Problems): GoModule | undefined {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(dir);
    } catch {
        problems.add("context", "not-found", `'context' ${show(dir)} does not exist: give the Go module directory (the one with go.mod).`);
        return undefined;
    }
    if (!stat.isDirectory()) {
        problems.add("context", "invalid", `'context' ${show(dir)} is not a directory: give the Go module directory (the one with go.mod).`);
        return undefined;
    }
    const goModPath = path.join(dir, "go.mod");
    let text: string;
    try {
        text = fs.readFileSync(goModPath, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ENOENT") {
            problems.add("context", "not-found", `'context' ${show(dir)} has no go.mod: point 'context' at the module root, or run \`go mod init <module path>\` there.`);
        } else {
            problems.add("context", "unreadable", `${show(goModPath)} cannot be read (${code ?? "error"}): fix its permissions.`);
        }
        return undefined;
    }
    const parsed = parseGoMod(text);
    if (!parsed.module) {
        problems.add("context", "invalid", `${show(goModPath)} has no module line: add \`module <path>\` at its top.`);
        return undefined;
    }
    return {
        path: parsed.module,
        goVersion: parsed.go,
        toolchain: parsed.toolchain,
        hasGoSum: fs.existsSync(path.join(dir, "go.sum")),
        vendored: fs.existsSync(path.join(dir, "vendor", "modules.txt")),
    };
}

/** The package name declared by Go source text, skipping comments; undefined if none. */
export function packageName(source: string): string | undefined {
    const stripped = source.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, "");
    return /^\s*package\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(stripped)?.[1];
}

/** Whether the directory holds a non-test Go file declaring `package main`. */
export function isMainPackage(dir: string): boolean {
    let names: string[];
    try {
        names = fs.readdirSync(dir);
    } catch {
        return false;
    }
    return names
        .filter((n) => n.endsWith(".go") && !n.endsWith("_test.go"))
        .sort()
        .some((n) => {
            try {
                return packageName(fs.readFileSync(path.join(dir, n), "utf8")) === "main";
            } catch {
                return false;
            }
        });
}

/** Candidate main packages: `.` if the root is main, else every `./cmd/<name>` that is main. */
export function findMainPackages(dir: string): string[] {
    if (isMainPackage(dir)) return ["."];
    const cmd = path.join(dir, "cmd");
    let names: string[] = [];
    try {
        names = fs.readdirSync(cmd, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
        return [];
    }
    return names
        .sort()
        .filter((n) => isMainPackage(path.join(cmd, n)))
        .map((n) => `./cmd/${n}`);
}
