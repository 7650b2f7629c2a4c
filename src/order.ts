/**
 * Orders `[name, value]` pairs by name in code-unit order, the same on every machine and locale:
 * the one ordering generated files, tags and build commands use.
 */
export function byName(a: readonly [string, unknown], b: readonly [string, unknown]): number {
    return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
