/**
 * Go build constraints, as `go build` applies them to one file: the `//go:build` line (or the
 * older `// +build` lines) before the package clause, and the `_GOOS`, `_GOARCH` and
 * `_GOOS_GOARCH` file name suffixes. Pure.
 * @see https://pkg.go.dev/cmd/go#hdr-Build_constraints
 */

/** GOOS and GOARCH values `go tool dist list` knows: a name suffix means something only for these. */
const KNOWN_OS = new Set(["aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"]);
const KNOWN_ARCH = new Set(["386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm"]);
const UNIX = new Set(["aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "linux", "netbsd", "openbsd", "solaris"]);

/** What a build satisfies: the target and the tags in force. */
export interface BuildContext {
    readonly goos: string;
    readonly goarch: string;
    readonly cgo: boolean;
    readonly tags: readonly string[];
    /** The Go minor version: `go1.N` tags hold for every N up to it. */
    readonly goMinor: number;
}

/** Whether one tag is satisfied. */
export function hasTag(ctx: BuildContext, tag: string): boolean {
    if (tag === ctx.goos || tag === ctx.goarch || tag === "gc") return true;
    if (tag === "unix") return UNIX.has(ctx.goos);
    if (tag === "cgo") return ctx.cgo;
    const go = /^go1\.(\d+)$/.exec(tag);
    if (go) return Number(go[1]) <= ctx.goMinor;
    return ctx.tags.includes(tag);
}

/** Whether the file name's `_GOOS`/`_GOARCH` suffixes (if any) match the target. */
export function matchesFileName(ctx: BuildContext, file: string): boolean {
    const parts = file.replace(/\.go$/, "").replace(/_test$/, "").split("_");
    const n = parts.length;
    if (n >= 3 && KNOWN_OS.has(parts[n - 2]) && KNOWN_ARCH.has(parts[n - 1])) return parts[n - 2] === ctx.goos && parts[n - 1] === ctx.goarch;
    if (n >= 2 && KNOWN_OS.has(parts[n - 1])) return parts[n - 1] === ctx.goos || (parts[n - 1] === "linux" && ctx.goos === "android");
    if (n >= 2 && KNOWN_ARCH.has(parts[n - 1])) return parts[n - 1] === ctx.goarch;
    return true;
}

/** The constraint lines of a file's header (before the package clause); undefined when there are none. */
export function constraintOf(source: string): { goBuild?: string; plusBuild: string[] } {
    const plusBuild: string[] = [];
    let goBuild: string | undefined;
    let inBlock = false;
    for (const raw of source.split("\n")) {
        const line = raw.trim();
        if (inBlock) {
            if (line.includes("*/")) inBlock = false;
            continue;
        }
        if (line === "") continue;
        if (line.startsWith("/*")) {
            inBlock = !line.includes("*/");
            continue;
        }
        if (!line.startsWith("//")) break; // the package clause (or anything else) ends the header
        const m = /^\/\/go:build\s+(.*)$/.exec(line);
        if (m) goBuild ??= m[1].trim();
        const p = /^\/\/\s*\+build\s+(.*)$/.exec(line);
        if (p) plusBuild.push(p[1].trim());
    }
    return { goBuild, plusBuild };
}

/** Evaluates a `//go:build` expression: `||`, `&&`, `!`, parentheses, tags. Throws on a syntax error. */
export function evalGoBuild(expr: string, has: (tag: string) => boolean): boolean {
    const tokens = expr.match(/\|\||&&|!|\(|\)|[A-Za-z0-9_.]+|\S/g) ?? [];
    let i = 0;
    const peek = () => tokens[i];
    const or = (): boolean => {
        let v = and();
        while (peek() === "||") {
            i++;
            const right = and(); // evaluated first: it consumes its tokens
            v = v || right;
        }
        return v;
    };
    const and = (): boolean => {
        let v = not();
        while (peek() === "&&") {
            i++;
            const right = not();
            v = v && right;
        }
        return v;
    };
    const not = (): boolean => {
        const t = tokens[i++];
        if (t === "!") return !not();
        if (t === "(") {
            const v = or();
            if (tokens[i++] !== ")") throw new Error(`missing ) in //go:build ${expr}`);
            return v;
        }
        if (t === undefined || !/^[A-Za-z0-9_.]+$/.test(t)) throw new Error(`unexpected ${t ?? "end"} in //go:build ${expr}`);
        return has(t);
    };
    const v = or();
    if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in //go:build ${expr}`);
    return v;
}

/** Evaluates the older `// +build` lines: lines AND, space-separated options OR, commas AND, `!` negates. */
function evalPlusBuild(lines: readonly string[], has: (tag: string) => boolean): boolean {
    return lines.every((line) => line.split(/\s+/).some((option) => option.split(",").every((term) => (term.startsWith("!") ? !has(term.slice(1)) : has(term)))));
}

/** Whether `go build` compiles this file for the target, or for any of several (the header read once). */
export function fileIncluded(ctx: BuildContext | readonly BuildContext[], name: string, source: string): boolean {
    const targets = (Array.isArray(ctx) ? ctx : [ctx]) as readonly BuildContext[];
    const named = targets.filter((t) => matchesFileName(t, name));
    if (named.length === 0) return false;
    const { goBuild, plusBuild } = constraintOf(source);
    return named.some((t) => {
        const has = (tag: string) => hasTag(t, tag);
        if (goBuild !== undefined) return evalGoBuild(goBuild, has);
        return plusBuild.length === 0 || evalPlusBuild(plusBuild, has);
    });
}
