import { DockerfileParser, Instruction, PropertyInstruction } from "dockerfile-ast";

/** A parsed instruction reduced to what tests compare. */
export interface Parsed {
    readonly keyword: string;
    /** `--name=value` flags, e.g. `--mount=type=cache,target=/go/pkg/mod`. */
    readonly flags: string[];
    /** Whitespace-separated arguments as the parser reads them. */
    readonly args: string[];
    /** ENV and LABEL: name and unescaped value of each property. */
    readonly props: Array<[string, string]>;
    /** ENTRYPOINT and CMD in exec form: the JSON strings. */
    readonly json: string[];
    readonly text: string;
}

/** Parses Dockerfile text with a real parser (dockerfile-ast). */
export function parse(text: string): Parsed[] {
    return DockerfileParser.parse(text)
        .getInstructions()
        .map((i: Instruction) => {
            const keyword = i.getKeyword();
            const withFlags = i as unknown as { getFlags?: () => { toString(): string }[] };
            return {
                keyword,
                flags: withFlags.getFlags ? withFlags.getFlags().map((f) => f.toString()) : [],
                args: i.getArguments().map((a) => a.getValue()),
                props:
                    keyword === "ENV" || keyword === "LABEL"
                        ? (i as PropertyInstruction).getProperties().map((p): [string, string] => [p.getName(), p.getUnescapedValue() ?? ""])
                        : [],
                json:
                    keyword === "ENTRYPOINT" || keyword === "CMD"
                        ? // Docker reads exec form with a JSON decoder: so does the test.
                          (JSON.parse(i.getTextContent().slice(keyword.length)) as string[])
                        : [],
                text: i.getTextContent(),
            };
        });
}

/** The instructions of each stage, split at FROM (index 0 is the part before the first FROM). */
export function stages(text: string): Parsed[][] {
    const out: Parsed[][] = [[]];
    for (const p of parse(text)) {
        if (p.keyword === "FROM") out.push([]);
        out[out.length - 1].push(p);
    }
    return out;
}

/** Index of the first instruction matching, or -1. */
export function indexOf(list: Parsed[], pred: (p: Parsed) => boolean): number {
    return list.findIndex(pred);
}

/**
 * Reads one Dockerfile word the way BuildKit's shell lexer does for ENV and LABEL values:
 * `'…'` is literal, in `"…"` a backslash escapes `"`, `$` and `\`, outside quotes it escapes any
 * character. Variable references that the lexer would expand are returned in `expands`, so a test
 * can assert that a user's `$HOME` stayed literal while the library's `${VERSION}` expands.
 */
export function readWord(word: string): { value: string; expands: string[] } {
    let value = "";
    const expands: string[] = [];
    let quote: "'" | '"' | undefined;
    for (let i = 0; i < word.length; i++) {
        const c = word[i];
        if (quote === "'") {
            if (c === "'") quote = undefined;
            else value += c;
        } else if (c === "\\") {
            const next = word[i + 1];
            if (quote === '"' && !['"', "$", "\\"].includes(next)) value += c;
            else {
                value += next;
                i++;
            }
        } else if (c === '"' || (c === "'" && quote === undefined)) {
            quote = quote === c ? undefined : (c as "'" | '"');
        } else if (c === "$") {
            const m = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)/.exec(word.slice(i));
            if (m) {
                expands.push(m[1].replace(/[{}]/g, ""));
                value += m[0];
                i += m[0].length - 1;
            } else value += c;
        } else value += c;
    }
    if (quote) throw new Error(`unterminated quote in ${JSON.stringify(word)}`);
    return { value, expands };
}
