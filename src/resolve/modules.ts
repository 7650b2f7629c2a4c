import * as fs from "fs";
import * as path from "path";
import { Problems, show } from "../errors";
import { GoModFile, GoWorkFile, parseGoMod, parseGoWork, Replace } from "./gomod";

/** A Go module of the repository that the build reads. */
export interface LocalModule {
    /** Absolute directory. */
    readonly dir: string;
    readonly path: string;
    readonly hasGoSum: boolean;
    readonly vendored: boolean;
    readonly file: GoModFile;
}

/**
 * The modules the build needs, read from go.mod and go.work alone (no Go at deploy time):
 * `module` mode builds the service module with GOWORK=off and its local `replace` targets;
 * `workspace` mode builds it inside the go.work workspace that lists it, as `go build` does in
 * the repository.
 */
export interface ModuleGraph {
    readonly mode: "module" | "workspace";
    readonly main: LocalModule;
    /** Every local module involved, the main one first, then by directory. */
    readonly modules: readonly LocalModule[];
    readonly goWork?: { readonly file: string; readonly hasSum: boolean };
    /** The directory holding every involved module (and go.work): the build context. */
    readonly contextDir: string;
}

const inside = (dir: string, root: string) => dir === root || dir.startsWith(root + path.sep);

/** The nearest directory at or above `dir` holding `.git`; undefined when there is none. */
export function repositoryRoot(dir: string): string | undefined {
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
        if (fs.existsSync(path.join(d, ".git"))) return d;
        if (path.dirname(d) === d) return undefined;
    }
}

/** The go.work `go` would use for a module directory: in it or above, up to `limit` when given. */
export function findGoWork(moduleDir: string, limit?: string): string | undefined {
    for (let d = path.resolve(moduleDir); ; d = path.dirname(d)) {
        const candidate = path.join(d, "go.work");
        if (fs.existsSync(candidate)) return candidate;
        if ((limit !== undefined && d === limit) || path.dirname(d) === d) return undefined;
    }
}

/** The deepest directory containing all the given ones. */
export function commonAncestor(dirs: readonly string[]): string {
    let common = dirs[0];
    for (const d of dirs.slice(1)) while (!inside(d, common)) common = path.dirname(common);
    return common;
}

export interface GraphOptions {
    /** The repository root given as `root`, absolute. */
    readonly root?: string;
    /** false: build without go.work (GOWORK=off) even when one lists the module. */
    readonly workspace?: boolean;
}

/** Parses go.mod text, recording what `go` would refuse; undefined then. The one place a go.mod's syntax is judged. */
export function parsedGoMod(goModPath: string, text: string, problems: Problems): GoModFile | undefined {
    const file = parseGoMod(text);
    if (file.errors.length === 0 && file.module !== undefined) return file;
    const missingModule = file.module === undefined && file.errors.length === 1 && /no module statement/.test(file.errors[0]);
    problems.add("context", "invalid", missingModule
        ? `${show(goModPath)} has no module line: add \`module <path>\` at its top.`
        : `${show(goModPath)} is not valid (${file.errors.join("; ")}): fix it (\`go mod edit -fmt\` in the module reports the same).`);
    return undefined;
}

/** A module directory with its parsed go.mod: whether it has go.sum and vendor/modules.txt. */
export function localModule(dir: string, file: GoModFile): LocalModule {
    return { dir, path: file.module as string, file, hasGoSum: fs.existsSync(path.join(dir, "go.sum")), vendored: fs.existsSync(path.join(dir, "vendor", "modules.txt")) };
}

/** Reads one module directory; records a problem naming `via` (what pointed at it) when it cannot be used. */
function readModule(dir: string, via: string, problems: Problems): LocalModule | undefined {
    const goMod = path.join(dir, "go.mod");
    if (!fs.existsSync(dir)) {
        problems.add("context", "not-found", `${via} points at ${show(dir)}, which does not exist: fix the path or add the module there.`);
        return undefined;
    }
    let text: string;
    try {
        text = fs.readFileSync(goMod, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        problems.add("context", code === "ENOENT" ? "not-found" : "unreadable", code === "ENOENT"
            ? `${via} points at ${show(dir)}, which has no go.mod: point it at a module directory.`
            : `${show(goMod)} cannot be read (${code}): fix its permissions.`);
        return undefined;
    }
    const file = parsedGoMod(goMod, text, problems);
    return file && localModule(dir, file);
}

/**
 * The module graph of a service module. Records a problem for a target that does not exist, has
 * no go.mod, declares another module path, or lies outside the repository root; for a go.work that
 * does not list the module; and for a replace in another module that Go would ignore.
 */
export function moduleGraph(main: LocalModule, options: GraphOptions, problems: Problems): ModuleGraph | undefined {
    const before = problems.count;
    const dir = main.dir;
    const root = options.root ?? repositoryRoot(dir);
    const rootHint = options.root !== undefined ? "'root'" : root !== undefined ? "the repository root (the nearest directory holding .git)" : "the module directory (no .git above it)";
    const bound = root ?? dir;
    if (!inside(dir, bound)) {
        problems.add("root", "invalid", `'root' ${show(bound)} does not contain the module ${show(dir)}: set 'root' to the repository directory holding it.`);
        return undefined;
    }
    const modules = new Map<string, LocalModule>([[dir, main]]);
    let work: { file: string; hasSum: boolean; parsed: GoWorkFile } | undefined;

    const target = (from: string, r: Replace, where: string): LocalModule | undefined => {
        const abs = path.resolve(from, r.to);
        const via = `${where} replaces ${r.from} with ${show(r.to)}`;
        if (!inside(abs, bound)) {
            problems.add("context", "unsupported", `${via} (${show(abs)}), outside ${rootHint} ${show(bound)}: the build context cannot reach it. Move the module into the repository${options.root === undefined ? ", or set 'root' to a directory holding both" : ""}.`);
            return undefined;
        }
        const m = modules.get(abs) ?? readModule(abs, via, problems);
        if (m && m.path !== r.from) {
            problems.add("context", "invalid", `${via}, but ${show(path.join(abs, "go.mod"))} declares ${show(m.path)}: Go refuses the mismatch; fix the replace or the module line.`);
            return undefined;
        }
        return m;
    };

    const workFile = main.vendored || options.workspace === false ? undefined : findGoWork(dir, root);
    if (workFile) {
        let parsed: GoWorkFile;
        try {
            parsed = parseGoWork(fs.readFileSync(workFile, "utf8"));
        } catch (e) {
            problems.add("context", "unreadable", `${show(workFile)} cannot be read (${(e as NodeJS.ErrnoException).code}): fix its permissions.`);
            return undefined;
        }
        if (parsed.errors.length > 0) {
            problems.add("context", "invalid", `${show(workFile)} is not valid (${parsed.errors.join("; ")}): fix it (\`go work edit -fmt\` reports the same).`);
            return undefined;
        }
        work = { file: workFile, hasSum: fs.existsSync(workFile + ".sum"), parsed };
        const workDir = path.dirname(workFile);
        const used = parsed.uses.map((u) => path.resolve(workDir, u));
        if (!used.includes(dir)) {
            const rel = "./" + path.relative(workDir, dir).split(path.sep).join("/");
            problems.add("context", "not-found", `${show(workFile)} does not list the module ${show(dir)}, so \`go build\` there fails: add \`use ${rel}\` to it, or set workspace: false to build the module on its own (GOWORK=off).`);
            return undefined;
        }
        for (const u of used) {
            if (modules.has(u)) continue;
            if (!inside(u, bound)) {
                problems.add("context", "unsupported", `${show(workFile)} uses ${show(u)}, outside ${rootHint} ${show(bound)}: move it into the repository${options.root === undefined ? " or set 'root'" : ""}.`);
                continue;
            }
            const m = readModule(u, `${show(workFile)} (use)`, problems);
            if (m) modules.set(u, m);
        }
        for (const r of parsed.replaces.filter((x) => x.local)) {
            const m = target(workDir, r, show(workFile));
            if (m) modules.set(m.dir, m);
        }
    }

    // Local replaces of the main module (in a workspace: of every workspace module) apply; those of other modules Go ignores.
    const applying = work ? [...modules.values()] : [main];
    const replaced = new Set<string>();
    for (const m of applying) {
        if (m.vendored && m === main && !work) continue; // vendored: replaced modules are in vendor/
        for (const r of m.file.replaces.filter((x) => x.local)) {
            replaced.add(r.from);
            const t = target(m.dir, r, `go.mod in ${show(m.dir)}`);
            if (t) modules.set(t.dir, t);
        }
    }
    for (const m of modules.values()) {
        if (applying.includes(m)) continue;
        for (const r of m.file.replaces.filter((x) => x.local && x.from !== main.path && !replaced.has(x.from))) {
            const rel = path.relative(dir, path.resolve(m.dir, r.to)).split(path.sep).join("/");
            problems.add("context", "unsupported", `go.mod in ${show(m.dir)} replaces ${r.from} with ${show(r.to)}, but Go applies only the main module's replace directives, so the build would fetch ${r.from} instead: add \`replace ${r.from} => ${rel.startsWith(".") ? rel : "./" + rel}\` to ${show(path.join(dir, "go.mod"))}.`);
        }
    }
    if (problems.count > before) return undefined;

    const others = [...modules.values()].filter((m) => m !== main).sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
    const dirs = [dir, ...others.map((m) => m.dir), ...(work ? [path.dirname(work.file)] : [])];
    // `root` bounds what may be read; the context is the smallest directory holding what is (the allow-list keeps it small either way).
    const contextDir = commonAncestor(dirs);
    return {
        mode: work ? "workspace" : "module",
        main,
        modules: [main, ...others],
        goWork: work && { file: work.file, hasSum: work.hasSum },
        contextDir,
    };
}
