/**
 * Reading a BuildKit plain progress log (`docker build` on a non-terminal, `docker buildx build
 * --progress plain`): each vertex is `#<n> [<stage> <i>/<k>] <instruction>`, its output lines
 * `#<n> <seconds> <text>`, and a failed one ends with `#<n> ERROR: <reason>`. Pure.
 */

/** The step that failed: its title, shortened, and its own last output lines. */
export interface FailedStep {
    readonly title: string;
    readonly lines: readonly string[];
}

/** The last failed step of a log, or undefined when the log shows none. */
export function failedStep(log: string, keep = 12): FailedStep | undefined {
    const errors = [...log.matchAll(/^#(\d+) ERROR: /gm)];
    if (errors.length === 0) return undefined;
    const id = errors[errors.length - 1][1];
    const head = new RegExp(`^#${id} \\[([^\\]]+)\\] (.*)$`, "m").exec(log);
    // The mounts say nothing about what failed: the command after them does.
    const instruction = head ? head[2].replace(/--mount=\S+\s*/g, "").replace(/\s+/g, " ") : "";
    const title = head ? `[${head[1]}] ${instruction.length > 72 ? `${instruction.slice(0, 72)}…` : instruction}` : `#${id}`;
    const lines = [...log.matchAll(new RegExp(`^#${id} \\d+(?:\\.\\d+)? (.*)$`, "gm"))].map((m) => m[1]);
    return { title, lines: lines.slice(-keep) };
}
