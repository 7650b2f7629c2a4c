import * as fs from "fs";
import * as path from "path";
import { BuildContext, fileIncluded } from "./constraints";

/** One Go source file as far as the build is concerned. */
export interface GoFile {
    readonly name: string;
    readonly packageName?: string;
    readonly imports: readonly string[];
    /** `//go:embed` patterns, relative to the package directory. */
    readonly embeds: readonly string[];
}

/** The files of one directory that `go build` compiles for a target. */
export interface GoPackage {
    /** `.` or a slash path inside the module, e.g. `cmd/api`. */
    readonly dir: string;
    readonly name?: string;
    readonly files: readonly GoFile[];
    /** Included files that `import "C"`. */
    readonly cgoFiles: readonly string[];
}

/** Go source with comments removed and strings kept, so `import` and `package` can be read safely. */
function stripComments(src: string): string {
    let out = "";
    for (let i = 0; i < src.length; i++) {
        const c = src[i];
        if (c === "/" && src[i + 1] === "/") {
            while (i < src.length && src[i] !== "\n") i++;
            out += "\n";
        } else if (c === "/" && src[i + 1] === "*") {
            const end = src.indexOf("*/", i + 2);
            out += " ";
            i = end < 0 ? src.length : end + 1;
        } else if (c === '"' || c === "'" || c === "`") {
            let j = i + 1;
            while (j < src.length && src[j] !== c) j += c !== "`" && src[j] === "\\" ? 2 : 1;
            out += src.slice(i, j + 1);
            i = j;
        } else out += c;
    }
    return out;
}

const IMPORT_SPEC = /(?:[A-Za-z_][A-Za-z0-9_]*\s+|\.\s+)?("(?:[^"\\]|\\.)*"|`[^`]*`)/g;

/** Reads a file's package clause, imports and embed patterns. Pure. */
export function parseGoFile(name: string, src: string): GoFile {
    const code = stripComments(src);
    const pkg = /^\s*package\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(code);
    const imports: string[] = [];
    if (pkg) {
        // Imports come right after the package clause, before any other declaration.
        const rest = code.slice(pkg.index + pkg[0].length);
        const decl = /^\s*(func|type|var|const)\b/m.exec(rest);
        const header = decl ? rest.slice(0, decl.index) : rest;
        for (const m of header.matchAll(/\bimport\s*(\(([\s\S]*?)\)|(?:[A-Za-z_][A-Za-z0-9_]*\s+|\.\s+)?("(?:[^"\\]|\\.)*"|`[^`]*`))/g)) {
            const specs = m[2] !== undefined ? [...m[2].matchAll(IMPORT_SPEC)].map((s) => s[1]) : [m[3]];
            for (const s of specs) imports.push(s.startsWith("`") ? s.slice(1, -1) : (JSON.parse(s) as string));
        }
    }
    const embeds: string[] = [];
    for (const m of src.matchAll(/^[ \t]*\/\/go:embed[ \t]+(.*)$/gm)) {
        for (const p of m[1].trim().match(/"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g) ?? []) {
            embeds.push(p.startsWith('"') ? (JSON.parse(p) as string) : p.startsWith("`") ? p.slice(1, -1) : p);
        }
    }
    return { name, packageName: pkg?.[1], imports, embeds };
}

/** The directory's package for the target; undefined when it has no Go file that `go build` would compile. */
export function readPackage(moduleDir: string, dir: string, ctx: BuildContext): GoPackage | undefined {
    const abs = path.join(moduleDir, dir);
    let names: string[];
    try {
        names = fs.readdirSync(abs, { withFileTypes: true }).filter((d) => d.isFile() || d.isSymbolicLink()).map((d) => d.name);
    } catch {
        return undefined;
    }
    const files: GoFile[] = [];
    const cgoFiles: string[] = [];
    for (const name of names.sort()) {
        if (!name.endsWith(".go") || name.endsWith("_test.go") || name.startsWith(".") || name.startsWith("_")) continue;
        let src: string;
        try {
            src = fs.readFileSync(path.join(abs, name), "utf8");
        } catch {
            continue; // reported by the context walk
        }
        let included: boolean;
        try {
            included = fileIncluded(ctx, name, src);
        } catch {
            included = true; // a malformed constraint: go build reports it, with the file
        }
        if (!included) continue;
        const file = parseGoFile(name, src);
        // With cgo off, go/build silently drops a file that imports "C": recorded so resolve can say so.
        if (file.imports.includes("C")) {
            cgoFiles.push(name);
            if (!ctx.cgo) continue;
        }
        files.push(file);
    }
    if (files.length === 0 && cgoFiles.length === 0) return undefined;
    return { dir, name: files[0]?.packageName, files, cgoFiles };
}

/** Whether the directory holds a main package for the target. */
export function isMainPackage(moduleDir: string, dir: string, ctx: BuildContext): boolean {
    return readPackage(moduleDir, dir, ctx)?.name === "main";
}

/** Candidate main packages: `.` if the root is main, else every `./cmd/<name>` that is main. */
export function findMainPackages(moduleDir: string, ctx: BuildContext): string[] {
    if (isMainPackage(moduleDir, ".", ctx)) return ["."];
    let names: string[] = [];
    try {
        names = fs.readdirSync(path.join(moduleDir, "cmd"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
        return [];
    }
    return names
        .sort()
        .filter((n) => isMainPackage(moduleDir, `cmd/${n}`, ctx))
        .map((n) => `./cmd/${n}`);
}

/**
 * The module's own packages the main package needs, following imports under the module path
 * (other modules are downloaded, not read). A directory with its own go.mod is another module.
 */
export function packageGraph(moduleDir: string, modulePath: string, main: string, ctx: BuildContext): GoPackage[] {
    const seen = new Map<string, GoPackage>();
    const visit = (dir: string) => {
        if (seen.has(dir)) return;
        const parts = dir === "." ? [] : dir.split("/");
        if (parts.some((_, i) => fs.existsSync(path.join(moduleDir, ...parts.slice(0, i + 1), "go.mod")))) return;
        const pkg = readPackage(moduleDir, dir, ctx);
        if (!pkg) return;
        seen.set(dir, pkg);
        for (const file of pkg.files) {
            for (const imp of file.imports) {
                if (imp === modulePath) visit(".");
                else if (imp.startsWith(modulePath + "/")) visit(imp.slice(modulePath.length + 1));
            }
        }
    };
    visit(main === "." ? "." : main.replace(/^\.\//, ""));
    return [...seen.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** A path.Match pattern (one path element) as a RegExp. */
function elementPattern(glob: string): RegExp {
    let re = "";
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === "*") re += "[^/]*";
        else if (c === "?") re += "[^/]";
        else if (c === "[") {
            const end = glob.indexOf("]", i + 1);
            if (end < 0) return /$^/;
            const body = glob.slice(i + 1, end).replace(/^\^/, "!");
            re += "[" + (body.startsWith("!") ? "^" + body.slice(1) : body).replace(/\\/g, "\\\\") + "]";
            i = end;
        } else if (c === "\\" && i + 1 < glob.length) re += "\\" + glob[++i];
        else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
    }
    return new RegExp(`^${re}$`);
}

/**
 * The files a package embeds (`//go:embed`), as slash paths relative to the module. A pattern
 * naming a directory embeds its files recursively, except names starting with `.` or `_` unless
 * the pattern starts with `all:`.
 */
export function embeddedFiles(moduleDir: string, pkg: GoPackage): { files: string[]; unmatched: string[] } {
    const files = new Set<string>();
    const unmatched: string[] = [];
    const base = path.join(moduleDir, pkg.dir);
    const rel = (p: string) => (pkg.dir === "." ? p : `${pkg.dir}/${p}`);
    const addTree = (p: string, all: boolean) => {
        const abs = path.join(base, p);
        const st = fs.lstatSync(abs, { throwIfNoEntry: false });
        if (!st) return;
        if (st.isDirectory()) {
            for (const name of fs.readdirSync(abs).sort()) {
                if (!all && (name.startsWith(".") || name.startsWith("_"))) continue;
                addTree(`${p}/${name}`, all);
            }
        } else files.add(rel(p));
    };
    for (const file of pkg.files) {
        for (const raw of file.embeds) {
            const all = raw.startsWith("all:");
            const pattern = all ? raw.slice(4) : raw;
            const elements = pattern.split("/");
            let matches = [""];
            for (const element of elements) {
                const re = elementPattern(element);
                matches = matches.flatMap((m) => {
                    const dir = path.join(base, m);
                    let names: string[] = [];
                    try {
                        names = fs.readdirSync(dir);
                    } catch {
                        return [];
                    }
                    return names.filter((n) => re.test(n)).sort().map((n) => (m === "" ? n : `${m}/${n}`));
                });
            }
            if (matches.length === 0) unmatched.push(raw);
            for (const m of matches) addTree(m, all);
        }
    }
    return { files: [...files].sort(), unmatched };
}
