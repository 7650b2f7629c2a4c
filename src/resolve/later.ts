/**
 * A value only known later: an Output or a promise, passed on as it is and checked by the provider.
 * An Output is recognised by the `__pulumiOutput` marker, exactly what `pulumi.Output.isInstance`
 * tests, without loading the Pulumi SDK: the CLI never needs it, and loading it costs 0.45 s of
 * start-up on every `go-service-image` run.
 */
export function isLater(value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    const v = value as { __pulumiOutput?: unknown; then?: unknown };
    return v.__pulumiOutput === true || typeof v.then === "function";
}
