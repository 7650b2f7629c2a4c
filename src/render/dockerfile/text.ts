import { DockerfileModel, Instruction, Mount, Value } from "./model";

const CONTINUATION = " \\\n    ";

/**
 * Renders a Dockerfile model to text. Pure and deterministic: the same model gives the same
 * bytes, with `\n` line ends and one trailing newline.
 */
export function renderDockerfile(model: DockerfileModel): string {
    const blocks = [
        model.header.map((line) => comment(line)).join("\n"),
        ...model.sections.map((s) => s.instructions.map(renderInstruction).join("\n")),
    ];
    return blocks.filter((b) => b !== "").join("\n\n") + "\n";
}

function comment(text: string): string {
    assertOneLine(text, "comment");
    return text === "" ? "#" : `# ${text}`;
}

/** Renders one instruction. Exported for tests of the escaping rules. */
export function renderInstruction(i: Instruction): string {
    switch (i.kind) {
        case "comment":
            return comment(i.text);
        case "arg":
            return i.default === undefined ? `ARG ${i.name}` : `ARG ${i.name}=${quote(i.default)}`;
        case "from":
            return ["FROM", i.platform && `--platform=${i.platform}`, i.image, i.as && `AS ${i.as}`]
                .filter(Boolean)
                .join(" ");
        case "workdir":
            return `WORKDIR ${i.path}`;
        case "env":
            return "ENV " + i.vars.map(([k, v]) => `${k}=${value(v)}`).join(CONTINUATION);
        case "copy":
            return ["COPY", i.from && `--from=${i.from}`, ...i.sources, i.dest].filter(Boolean).join(" ");
        case "run":
            return ["RUN " + [...i.mounts.map(mount), i.commands.join(" &&" + CONTINUATION)].join(CONTINUATION)].join("");
        case "label":
            return "LABEL " + i.labels.map(([k, v]) => `${quote(k)}=${value(v)}`).join(CONTINUATION);
        case "user":
            return `USER ${i.user}`;
        case "expose":
            return `EXPOSE ${i.port}`;
        case "entrypoint":
            return `ENTRYPOINT ${JSON.stringify(i.argv)}`;
        case "cmd":
            return `CMD ${JSON.stringify(i.argv)}`;
    }
}

function mount(m: Mount): string {
    return m.type === "cache"
        ? `--mount=type=cache,target=${m.target}`
        : `--mount=type=secret,id=${m.id},target=${m.target}`;
}

function value(v: Value): string {
    return typeof v === "string" ? quote(v) : `"\${${v.arg}}"`;
}

/**
 * A Dockerfile word: bare when it has only characters the parser takes literally, else
 * double-quoted; inside quotes the parser treats `\` as the escape character and expands `$`, so
 * `\`, `"` and `$` are escaped. Line breaks cannot be escaped and are refused
 * (validation rejects them earlier with a message naming the field).
 */
export function quote(s: string): string {
    assertOneLine(s, "value");
    if (/^[A-Za-z0-9_./:@+,-]+$/.test(s)) return s;
    return '"' + s.replace(/[\\"$]/g, (c) => "\\" + c) + '"';
}

function assertOneLine(s: string, what: string): void {
    if (/[\r\n\u2028\u2029\u0085]/.test(s)) {
        throw new Error(`internal: a Dockerfile ${what} cannot contain a line break: ${JSON.stringify(s)}`);
    }
}
