import * as path from "path";
import { pathToFileURL } from "url";
import { register } from "module";

let parser: Promise<any> | undefined;

/** GitHub's own workflow parser (@actions/workflow-parser, ESM-only), loaded once. */
function load(): Promise<any> {
    if (!parser) {
        register(pathToFileURL(path.join(__dirname, "json-import-hook.mjs")).href);
        // A real dynamic import: TypeScript would turn `import()` into `require()`, which cannot load ESM.
        parser = (new Function("s", "return import(s)") as (s: string) => Promise<any>)("@actions/workflow-parser");
    }
    return parser;
}

/** The errors GitHub's parser reports for a workflow, parsing and converting it as GitHub does. */
export async function githubParserErrors(name: string, content: string): Promise<string[]> {
    const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await load();
    const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
    const errors: string[] = parsed.context.errors.getErrors().map((e: { message: string }) => e.message);
    if (parsed.value) {
        const template = await convertWorkflowTemplate(parsed.context, parsed.value);
        errors.push(...(template.errors ?? []).map((e: { Message?: string; message?: string }) => e.Message ?? e.message ?? String(e)));
    }
    return errors;
}
