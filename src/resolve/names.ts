import { ARG_NAMES } from "../args";
import { Problems, show } from "../errors";

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
            prev = cur;
        }
    }
    return row[b.length];
}

/** The closest known name within two edits (or a case-only difference), if any. */
export function closest(name: string, known: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = 3;
    for (const k of known) {
        const d = distance(name, k);
        if (d < bestDistance) {
            best = k;
            bestDistance = d;
        }
    }
    return best;
}

/** Records every option name the library does not know: a typo must not be ignored silently. */
export function checkNames(args: unknown, problems: Problems, what = "GoServiceImage", names: Readonly<Record<string, readonly string[]>> = ARG_NAMES): void {
    const visit = (value: unknown, scope: string) => {
        if (typeof value !== "object" || value === null || Array.isArray(value)) return;
        const known = names[scope];
        for (const key of Object.keys(value)) {
            const field = scope === "" ? key : `${scope}.${key}`;
            if (!known.includes(key)) {
                const guess = closest(key, known);
                problems.add(field, "unknown", `${show(field)} is not an option of ${what}${guess ? `: did you mean '${scope === "" ? guess : `${scope}.${guess}`}'?` : `: the options are ${known.join(", ")}.`}`);
            } else if (names[field]) {
                visit((value as Record<string, unknown>)[key], field);
            }
        }
    };
    visit(args, "");
}
