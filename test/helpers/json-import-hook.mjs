// A module loader hook: @actions/workflow-parser imports its JSON schemas without the
// `with { type: "json" }` attribute Node 20 requires; this supplies it.
export async function load(url, context, nextLoad) {
    if (url.endsWith(".json")) return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
    return nextLoad(url, context);
}
