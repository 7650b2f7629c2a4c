/**
 * Error codes the library raises for bad input. Tests assert them; callers may switch on them.
 */
export type ProblemCode =
    | "missing"
    | "unreadable"
    | "unwritable"
    | "invalid"
    | "unsupported"
    | "conflict"
    | "not-found"
    | "ambiguous"
    | "unknown";

/** One thing wrong with the input: which field, what was wrong, how to fix it. */
export interface Problem {
    readonly field: string;
    readonly code: ProblemCode;
    readonly message: string;
}

/**
 * Raised before any resource is registered or any file is written when the input is bad.
 * `problems` lists every problem found, not only the first; `message` has one line per problem,
 * each naming the resource, the field, the bad value and the fix.
 */
export class GoServiceImageError extends Error {
    readonly problems: readonly Problem[];

    constructor(readonly resourceName: string, problems: readonly Problem[], kind = "GoServiceImage") {
        super(problems.map((p) => `${kind} "${resourceName}": ${p.message}`).join("\n"));
        this.name = "GoServiceImageError";
        this.problems = problems;
    }

    /** The codes of all problems, for tests and callers that branch on them. */
    get codes(): ProblemCode[] {
        return this.problems.map((p) => p.code);
    }
}

/** Collects problems so that validation reports all of them at once. */
export class Problems {
    private readonly list: Problem[] = [];

    add(field: string, code: ProblemCode, message: string): void {
        this.list.push({ field, code, message });
    }

    get empty(): boolean {
        return this.list.length === 0;
    }

    /** How many problems were collected so far: a part of resolve compares before and after. */
    get count(): number {
        return this.list.length;
    }

    /** Throws a {@link GoServiceImageError} if anything was collected. */
    throwIfAny(resourceName: string, kind?: string): void {
        if (this.list.length > 0) {
            throw new GoServiceImageError(resourceName, this.list, kind);
        }
    }
}

/** Quotes a value for an error message the way JSON would, so invisible characters show. */
export function show(value: unknown): string {
    return JSON.stringify(value) ?? String(value);
}
