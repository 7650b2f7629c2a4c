import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { DEFAULTS } from "../../src/args";
import { REPO_ROOT } from "../helpers/module";

/** Every `@default <value>` of the public args, read from src/args.ts with the TypeScript compiler. */
function documentedDefaults(): Array<{ iface: string; prop: string; text: string }> {
    const name = path.join(REPO_ROOT, "src", "args.ts");
    const file = ts.createSourceFile(name, fs.readFileSync(name, "utf8"), ts.ScriptTarget.ES2022, true);
    const out: Array<{ iface: string; prop: string; text: string }> = [];
    file.forEachChild((node) => {
        if (!ts.isInterfaceDeclaration(node)) return;
        for (const member of node.members) {
            if (!ts.isPropertySignature(member)) continue;
            for (const tag of ts.getJSDocTags(member)) {
                if (tag.tagName.text !== "default") continue;
                const text = (typeof tag.comment === "string" ? tag.comment : ts.getTextOfJSDocComment(tag.comment) ?? "").trim();
                out.push({ iface: node.name.text, prop: (member.name as ts.Identifier).text, text });
            }
        }
    });
    return out;
}

describe("defaults live in one table", () => {
    const documented = documentedDefaults();

    it("every option documents its default", () => {
        assert.ok(documented.length >= 40, `${documented.length} @default tags`);
    });

    for (const { iface, prop, text } of documented) {
        if (text.startsWith("-")) continue; // "@default - <what happens>": behaviour, not a value
        it(`${iface}.${prop}: @default ${text} is the DEFAULTS table's value`, () => {
            const table: Record<string, unknown> = iface === "WorkflowOptions" || iface === "GitHubArgs" ? DEFAULTS.github : iface === "BuildxArgs" ? DEFAULTS.buildx : iface === "PreviewWorkflowOptions" ? DEFAULTS.preview : DEFAULTS;
            assert.ok(prop in table, `DEFAULTS has no ${prop}`);
            assert.deepStrictEqual(JSON.parse(text), table[prop]);
        });
    }

    it("every value in the table is documented", () => {
        const valued = new Set(documented.filter((d) => !d.text.startsWith("-")).map((d) => d.prop));
        for (const key of [...Object.keys(DEFAULTS).filter((k) => !["github", "buildx", "preview"].includes(k)), ...Object.keys(DEFAULTS.github), ...Object.keys(DEFAULTS.buildx), ...Object.keys(DEFAULTS.preview)]) {
            assert.ok(valued.has(key), `${key} has no @default in src/args.ts`);
        }
    });
});
