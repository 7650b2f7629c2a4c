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
    /** Absolute directory. */
    readonly dir: string;
    readonly name?: string;
    readonly files: readonly GoFile[];
    /** Included files that `import "C"`. */
    readonly cgoFiles: readonly string[];
    /** Other source files go build reads there: assembly, C, syso. */
    readonly others: readonly string[];
}

/**
 * Go source with comments removed and strings kept, so `import` and `package` can be read safely,
 * and the text of each line comment that starts its line (where go/build looks for `//go:embed`):
 * a `//` inside a string literal (a code generator's template) is no comment.
 */
function scanSource(src: string): { code: string; lineComments: string[] } {
    let out = "";
    const lineComments: string[] = [];
    let lineStart = true;
    for (let i = 0; i < src.length; i++) {
        const c = src[i];
        if (c === "/" && src[i + 1] === "/") {
            const end = src.indexOf("\n", i);
            if (lineStart) lineComments.push(src.slice(i, end < 0 ? src.length : end));
            i = end < 0 ? src.length : end;
            out += "\n";
            lineStart = true;
            continue;
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
        if (c === "\n") lineStart = true;
        else if (c !== " " && c !== "\t" && c !== "\r") lineStart = false;
    }
    return { code: out, lineComments };
}

const IMPORT_SPEC = /(?:[A-Za-z_][A-Za-z0-9_]*\s+|\.\s+)?("(?:[^"\\]|\\.)*"|`[^`]*`)/g;

/** Reads a file's package clause, imports and embed patterns. Pure. */
export function parseGoFile(name: string, src: string): GoFile {
    const { code, lineComments } = scanSource(src);
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
    for (const m of lineComments.map((t) => /^\/\/go:embed[ \t]+(.*)$/.exec(t)).filter((x): x is RegExpExecArray => x !== null)) {
        for (const p of m[1].trim().match(/"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g) ?? []) {
            embeds.push(p.startsWith('"') ? (JSON.parse(p) as string) : p.startsWith("`") ? p.slice(1, -1) : p);
        }
    }
    return { name, packageName: pkg?.[1], imports, embeds };
}

/**
 * A package's package-level string variables, which `-ldflags -X` can set (declared `string`, or
 * initialised with a string literal). Read on demand (only an explicit `versionVariable` asks),
 * not with every file's imports.
 */
export function packageStringVars(pkg: GoPackage): string[] {
    return pkg.files.flatMap((f) => {
        try {
            return stringVars(scanSource(fs.readFileSync(path.join(pkg.dir, f.name), "utf8")).code);
        } catch {
            return []; // unreadable since it was listed: the context walk reports it
        }
    });
}

const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
/** One var spec: `a, b string`, `a string = "x"`, `a = "x"` (a string literal: the linker sets only string vars). */
const VAR_SPEC = new RegExp(`^(${IDENT}(?:\\s*,\\s*${IDENT})*)\\s*(?:(string)\\b|=\\s*("|\`))`);

/**
 * The package-level string variables of comment-free source as gofmt lays it out: a top-level
 * declaration starts its line (`var x string`, `var x = "dev"`, or a `var (` block whose specs
 * end at the `)` that starts a line).
 */
function stringVars(code: string): string[] {
    const names: string[] = [];
    const take = (spec: string) => {
        const m = VAR_SPEC.exec(spec.trim());
        if (m) names.push(...m[1].split(",").map((n) => n.trim()));
    };
    const lines = code.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const decl = /^var\s*(\()?\s*(.*)$/.exec(lines[i]);
        if (!decl) continue;
        if (!decl[1]) {
            take(decl[2]);
            continue;
        }
        if (decl[2].trim() !== "") take(decl[2]);
        for (i++; i < lines.length && !/^\)/.test(lines[i]); i++) take(lines[i]);
    }
    return names.filter((n) => n !== "_");
}

/** Source files other than Go that `go build` reads from a package directory (assembly, cgo, syso). */
const OTHER_SOURCES = /\.(s|S|sx|c|h|cc|cpp|cxx|hh|hpp|hxx|m|f|F|for|f90|syso|swig|swigcxx)$/;

/**
 * The directory's package as `go build` sees it for the target `ctx`; for several targets, a file
 * any of them compiles counts; with `ctx` undefined, for every target at once (every non-test file,
 * whatever its constraints): what a multi-platform build context must carry. Undefined when the
 * directory has no Go file that counts.
 */
export function readPackage(dir: string, ctx: BuildContext | readonly BuildContext[] | undefined): GoPackage | undefined {
    // Several targets share one cgo setting (the Dockerfile fixes it for every platform).
    const cgoOff = ctx !== undefined && !(Array.isArray(ctx) ? (ctx as readonly BuildContext[]) : [ctx as BuildContext]).some((t) => t.cgo);
    let names: string[];
    try {
        names = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile() || d.isSymbolicLink()).map((d) => d.name);
    } catch {
        return undefined;
    }
    const files: GoFile[] = [];
    const cgoFiles: string[] = [];
    const others: string[] = [];
    for (const name of names.sort()) {
        if (name.startsWith(".") || name.startsWith("_") || name.endsWith("_test.go")) continue;
        if (OTHER_SOURCES.test(name)) others.push(name);
        if (!name.endsWith(".go")) continue;
        let src: string;
        try {
            src = fs.readFileSync(path.join(dir, name), "utf8");
        } catch {
            others.push(name); // kept in the context, where the walk reports why it cannot be read
            continue;
        }
        let included = true;
        try {
            if (ctx) included = fileIncluded(ctx, name, src);
        } catch {
            included = true; // a malformed constraint: go build reports it, with the file
        }
        if (!included) continue;
        const file = parseGoFile(name, src);
        // With cgo off, go/build silently drops a file that imports "C": recorded so resolve can say so.
        if (file.imports.includes("C")) {
            cgoFiles.push(name);
            if (cgoOff) continue;
        }
        files.push(file);
    }
    if (files.length === 0 && cgoFiles.length === 0) return undefined;
    return { dir, name: files[0]?.packageName, files, cgoFiles, others };
}

/** Whether the directory holds a main package for the target. */
export function isMainPackage(dir: string, ctx: BuildContext): boolean {
    return readPackage(dir, ctx)?.name === "main";
}

/** Candidate main packages of a module: `.` if its root is main, else every `./cmd/<name>` that is main. */
export function findMainPackages(moduleDir: string, ctx: BuildContext): string[] {
    if (isMainPackage(moduleDir, ctx)) return ["."];
    let names: string[] = [];
    try {
        names = fs.readdirSync(path.join(moduleDir, "cmd"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
        return [];
    }
    return names
        .sort()
        .filter((n) => isMainPackage(path.join(moduleDir, "cmd", n), ctx))
        .map((n) => `./cmd/${n}`);
}

/** A module of the build: its path and absolute directory. */
export interface ModuleDir {
    readonly path: string;
    readonly dir: string;
}

/**
 * The packages of the repository's modules that the main packages need, following imports into
 * every local module (by the longest module path that prefixes the import); other modules are
 * downloaded, not read, unless vendored: with `vendorDir`, into vendor/<import path> as `go build
 * -mod=vendor` does. A directory with a go.mod of its own belongs to that module, not this one.
 */
export function packageGraph(modules: readonly ModuleDir[], mainDirs: readonly string[], ctx: BuildContext | readonly BuildContext[] | undefined, vendorDir?: string): GoPackage[] {
    const byPath = [...modules].sort((a, b) => b.path.length - a.path.length);
    const seen = new Map<string, GoPackage>();
    const moduleOf = (dir: string) => modules.find((m) => m.dir === dir);
    const visit = (dir: string, moduleDir: string) => {
        if (seen.has(dir)) return;
        // A go.mod between the module root and the package makes it another module.
        for (let d = dir; d !== moduleDir && d.startsWith(moduleDir); d = path.dirname(d)) {
            if (fs.existsSync(path.join(d, "go.mod")) && !moduleOf(d)) return;
        }
        const pkg = readPackage(dir, ctx);
        if (!pkg) return;
        seen.set(dir, pkg);
        for (const file of pkg.files) {
            for (const imp of file.imports) {
                const m = byPath.find((x) => imp === x.path || imp.startsWith(x.path + "/"));
                if (m) visit(path.join(m.dir, imp.slice(m.path.length)), m.dir);
                // Vendored, every other module's package is vendor/<import path> (the standard library's are not there).
                else if (vendorDir && fs.existsSync(path.join(vendorDir, imp))) visit(path.join(vendorDir, imp), vendorDir);
            }
        }
    };
    const mainModule = modules[0];
    for (const d of mainDirs) visit(d, mainModule.dir);
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
 * The files a package embeds (`//go:embed`), as slash paths relative to the package directory. A
 * pattern naming a directory embeds its files recursively, except names starting with `.` or `_`
 * unless the pattern starts with `all:`.
 */
export function embeddedFiles(pkg: GoPackage): { files: string[]; unmatched: string[]; unreadable: Array<{ path: string; code: string }> } {
    const files = new Set<string>();
    const unmatched: string[] = [];
    const unreadable: Array<{ path: string; code: string }> = [];
    const base = pkg.dir;
    const rel = (p: string) => p;
    const addTree = (p: string, all: boolean) => {
        const abs = path.join(base, p);
        const st = fs.lstatSync(abs, { throwIfNoEntry: false });
        if (!st) return;
        if (st.isDirectory()) {
            let names: string[];
            try {
                names = fs.readdirSync(abs).sort();
            } catch (e) {
                // go build cannot read it either: resolve reports it as every unreadable path is reported.
                unreadable.push({ path: p, code: (e as NodeJS.ErrnoException).code ?? "error" });
                return;
            }
            for (const name of names) {
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
    return { files: [...files].sort(), unmatched, unreadable };
}
