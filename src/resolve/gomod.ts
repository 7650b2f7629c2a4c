/**
 * A go.mod reader that follows the file's grammar (golang.org/x/mod/modfile): lines of tokens,
 * `//` comments, quoted strings, `verb ( … )` blocks. It keeps what the library uses and reports
 * what `go` itself would refuse, with the line number, so a broken go.mod is a resolve error and
 * not a failure deep inside `docker build`. Pure: text in, fields and errors out.
 */

/** A `replace` directive. `local` when the target is a directory (starts with ./, ../ or /). */
export interface Replace {
    readonly from: string;
    readonly fromVersion?: string;
    readonly to: string;
    readonly toVersion?: string;
    readonly local: boolean;
}

export interface GoModFile {
    readonly module?: string;
    readonly go?: string;
    /** Without the `go` prefix, e.g. `1.22.5`. */
    readonly toolchain?: string;
    readonly replaces: readonly Replace[];
    /** Syntax errors as `go` reports them: `go.mod:<line>: <what>`. */
    readonly errors: readonly string[];
}

const VERBS = new Set(["module", "go", "toolchain", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"]);
const GO_VERSION = /^1(\.(0|[1-9]\d*)){0,2}((rc|beta)[1-9]\d*)?$/;

interface Line {
    readonly no: number;
    readonly tokens: string[];
}

/** Splits one line into tokens; returns an error message instead when a string is unterminated. */
function tokenize(text: string): string[] | string {
    const tokens: string[] = [];
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === " " || c === "\t" || c === "\r") {
            i++;
        } else if (text.startsWith("//", i)) {
            break;
        } else if (c === '"') {
            let j = i + 1;
            while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
            if (j >= text.length) return "unterminated quoted string";
            try {
                tokens.push(JSON.parse(text.slice(i, j + 1)) as string);
            } catch {
                return `invalid quoted string ${text.slice(i, j + 1)}`;
            }
            i = j + 1;
        } else if (c === "`") {
            const j = text.indexOf("`", i + 1);
            if (j < 0) return "unterminated raw string";
            tokens.push(text.slice(i + 1, j));
            i = j + 1;
        } else if (c === "(" || c === ")") {
            tokens.push(c);
            i++;
        } else if (text.startsWith("=>", i)) {
            tokens.push("=>");
            i += 2;
        } else {
            let j = i;
            while (j < text.length && !" \t\r\"`()".includes(text[j]) && !text.startsWith("//", j) && !text.startsWith("=>", j)) j++;
            tokens.push(text.slice(i, j));
            i = j;
        }
    }
    return tokens;
}

interface Directive {
    readonly verb: string;
    readonly line: Line;
}

/** Splits go.mod or go.work text into directives (blocks flattened); syntax errors go to `errors`. */
function directivesOf(text: string, file: string, verbs: ReadonlySet<string>, errors: string[]): Directive[] {
    const directives: Directive[] = [];
    let block: { verb: string; no: number } | undefined;
    text.split("\n").forEach((raw, index) => {
        const no = index + 1;
        const tokens = tokenize(raw);
        if (typeof tokens === "string") {
            errors.push(`${file}:${no}: ${tokens}`);
            return;
        }
        if (tokens.length === 0) return;
        if (block) {
            if (tokens.length === 1 && tokens[0] === ")") {
                block = undefined;
            } else if (tokens.includes("(") || tokens.includes(")")) {
                errors.push(`${file}:${no}: unexpected parenthesis inside the ${block.verb} block`);
            } else {
                directives.push({ verb: block.verb, line: { no, tokens } });
            }
            return;
        }
        const [verb, ...rest] = tokens;
        if (!verbs.has(verb)) {
            errors.push(`${file}:${no}: unknown directive: ${verb}`);
            return;
        }
        if (rest.length === 1 && rest[0] === "(") {
            block = { verb, no };
            return;
        }
        if (rest.includes("(") || rest.includes(")")) {
            errors.push(`${file}:${no}: unexpected parenthesis`);
            return;
        }
        directives.push({ verb, line: { no, tokens: rest } });
    });
    if (block) errors.push(`${file}:${block.no}: the ${block.verb} block is never closed with ")"`);
    return directives;
}

/** A `replace` directive's tokens as a Replace, or the usage error. */
function replaceOf(t: readonly string[]): Replace | string {
    const arrow = t.indexOf("=>");
    const left = t.slice(0, arrow);
    const right = t.slice(arrow + 1);
    if (arrow < 1 || left.length > 2 || right.length < 1 || right.length > 2) {
        return "usage: replace module/path [v1.2.3] => other/module v1.4.5 or replace module/path [v1.2.3] => ../local/directory";
    }
    const local = /^(\.\.?(\/|$)|\/)/.test(right[0]) || /^\.\.?\\/.test(right[0]);
    if (local && right.length === 2) return `replacement module directory path "${right[0]}" cannot have version`;
    if (!local && right.length === 1) return "replacement module without version must be directory path (rooted or starting with ./ or ../)";
    return { from: left[0], fromVersion: left[1], to: right[0], toVersion: right[1], local };
}

/** Parses go.mod text. Never throws: problems are in `errors`. */
export function parseGoMod(text: string): GoModFile {
    const errors: string[] = [];
    const directives = directivesOf(text, "go.mod", VERBS, errors);

    let module: string | undefined;
    let go: string | undefined;
    let toolchain: string | undefined;
    const replaces: Replace[] = [];
    const arity = (line: Line, n: number, usage: string): boolean => {
        if (line.tokens.length === n) return true;
        errors.push(`go.mod:${line.no}: usage: ${usage}`);
        return false;
    };
    for (const { verb, line } of directives) {
        const t = line.tokens;
        switch (verb) {
            case "module":
                if (module !== undefined) errors.push(`go.mod:${line.no}: repeated module statement`);
                else if (arity(line, 1, "module module/path")) module = t[0];
                break;
            case "go":
                if (go !== undefined) errors.push(`go.mod:${line.no}: repeated go statement`);
                else if (arity(line, 1, "go 1.23")) {
                    if (GO_VERSION.test(t[0])) go = t[0];
                    else errors.push(`go.mod:${line.no}: invalid go version '${t[0]}': must match format 1.23.0`);
                }
                break;
            case "toolchain":
                if (arity(line, 1, "toolchain go1.23.0") && t[0] !== "default") {
                    if (/^go/.test(t[0]) && GO_VERSION.test(t[0].slice(2).split("-")[0])) toolchain = t[0].slice(2).split("-")[0];
                    else errors.push(`go.mod:${line.no}: invalid toolchain version '${t[0]}': must match format go1.23.0 or default`);
                }
                break;
            case "require":
            case "exclude":
                if (t.length < 2 || t.length > 2) errors.push(`go.mod:${line.no}: usage: ${verb} module/path v1.2.3`);
                break;
            case "replace": {
                const r = replaceOf(t);
                if (typeof r === "string") errors.push(`go.mod:${line.no}: ${r}`);
                else replaces.push(r);
                break;
            }
            case "tool":
            case "ignore":
                arity(line, 1, `${verb} path`);
                break;
            // godebug and retract carry nothing the image build depends on.
        }
    }
    if (module === undefined && !errors.some((e) => /module/.test(e))) errors.push("go.mod: no module statement: add `module <path>` at its top");
    return { module, go, toolchain, replaces, errors };
}

/** The parts of go.work the library uses. */
export interface GoWorkFile {
    readonly go?: string;
    /** `use` directories, as written (relative to the go.work directory). */
    readonly uses: readonly string[];
    readonly replaces: readonly Replace[];
    readonly errors: readonly string[];
}

const WORK_VERBS = new Set(["go", "toolchain", "godebug", "use", "replace"]);

/** Parses go.work text. Never throws: problems are in `errors`. */
export function parseGoWork(text: string): GoWorkFile {
    const errors: string[] = [];
    const uses: string[] = [];
    const replaces: Replace[] = [];
    let go: string | undefined;
    for (const { verb, line } of directivesOf(text, "go.work", WORK_VERBS, errors)) {
        const t = line.tokens;
        if (verb === "use") {
            if (t.length === 1) uses.push(t[0]);
            else errors.push(`go.work:${line.no}: usage: use local/dir`);
        } else if (verb === "replace") {
            const r = replaceOf(t);
            if (typeof r === "string") errors.push(`go.work:${line.no}: ${r}`);
            else replaces.push(r);
        } else if (verb === "go") {
            if (t.length === 1 && GO_VERSION.test(t[0])) go = t[0];
            else errors.push(`go.work:${line.no}: invalid go version '${t.join(" ")}': must match format 1.23.0`);
        }
    }
    return { go, uses, replaces, errors };
}
