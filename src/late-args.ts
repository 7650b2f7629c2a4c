import * as pulumi from "@pulumi/pulumi";
import { ARG_NAMES, GoServiceImageArgs, INPUT_PATHS } from "./args";
import { isLater } from "./resolve/later";

/**
 * Arguments from another language. Through the package's provider, a nested object that holds a
 * secret or an output of another resource (`github.netrc`, `github.branchProtection.repositoryId`,
 * `buildx.netrc`, a registry password) arrives as one Output of the whole object: the Node.js
 * SDK lifts nested secrets and dependencies to the top-level property. TypeScript programs never
 * pass such objects (their types are plain), so this path is the package's alone.
 */

/** The top-level arguments that are objects: those whose options ARG_NAMES lists. */
const NESTED = Object.keys(ARG_NAMES).filter((k) => k !== "" && !k.includes("."));

/** The top-level arguments that arrived as Outputs of whole objects. */
export function lateArgs(args: GoServiceImageArgs): string[] {
    if (typeof args !== "object" || args === null) return [];
    return NESTED.filter((k) => isLater((args as unknown as Record<string, unknown>)[k]));
}

/** An Output's value as the engine sent it, unknown leaves included (`pulumi.unknown`). */
function rawValue(value: unknown): Promise<unknown> {
    // Output.promise(withUnknowns) is what the SDK's own serialisation reads; apply() would never run for a value with an unknown leaf.
    return pulumi.Output.isInstance(value) ? (value as unknown as { promise(withUnknowns: boolean): Promise<unknown> }).promise(true) : Promise.resolve(value);
}

/**
 * The arguments with every late object unfolded: its plain parts as plain values (resolve checks
 * them as usual), its Input-typed leaves ({@link INPUT_PATHS}) as Outputs taken from the original,
 * so they keep their secrecy, their dependencies and, in a preview, their unknown values.
 */
export async function unfoldArgs(args: GoServiceImageArgs): Promise<GoServiceImageArgs> {
    const out: Record<string, unknown> = { ...args };
    for (const key of lateArgs(args)) {
        const original = pulumi.output((args as unknown as Record<string, unknown>)[key]);
        out[key] = unfold(await rawValue(original), original, key);
    }
    return out as unknown as GoServiceImageArgs;
}

function unfold(value: unknown, original: pulumi.Output<any>, at: string, get: (v: any) => unknown = (v) => v): unknown {
    if (INPUT_PATHS.includes(at)) return original.apply((v) => get(v));
    if (Array.isArray(value)) return value.map((item, i) => unfold(item, original, `${at}[]`, (v) => (get(v) as unknown[] | undefined)?.[i]));
    if (typeof value === "object" && value !== null && value !== pulumi.unknown) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unfold(v, original, `${at}.${k}`, (o) => (get(o) as Record<string, unknown> | undefined)?.[k])]));
    }
    return value;
}
