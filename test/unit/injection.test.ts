import * as assert from "assert";
import fc from "fast-check";
import { GoServiceImageError } from "../../src/errors";
import { generate } from "../helpers/generate";
import { parse, readWord } from "../helpers/dockerfile";
import { simpleModule } from "../helpers/module";
import { workflowFor } from "../helpers/workflow";
import { WorkflowOptions } from "../../src/args";

const dir = simpleModule();
const baseline = parse(generate(dir, { env: { V: "x" }, labels: { "l.k": "x" }, command: ["x"] }).dockerfile).map((p) => p.keyword);

/** Strings built from the pieces that break naive generators. */
export const hostile = fc
    .array(
        fc.oneof(
            fc.constantFrom("\n", "\r\n", "\\", "\\\n", '"', "'", "`", "$", "$(id)", "${HOME}", "$HOME", "&&", ";", "|", "#", " ", "\t", "\u2028", "\u0085", "RUN rm -rf /", "--mount=type=secret", "${{ secrets.X }}", ": ", "- ", "{", "}", "[", "]", "\\\"", "é", "\u0000"),
            fc.string({ maxLength: 6 }),
        ),
        { minLength: 1, maxLength: 8 },
    )
    .map((parts) => parts.join(""));

/** Generates; returns undefined when the library refused the input with its own clear error. */
function tryGenerate(options: Parameters<typeof generate>[1]): string | undefined {
    try {
        return generate(dir, options).dockerfile;
    } catch (e) {
        assert.ok(e instanceof GoServiceImageError, `unexpected error type: ${e}`);
        assert.match(e.message, /^GoServiceImage "svc": '/);
        return undefined;
    }
}

describe("injection: hostile values reach the Dockerfile intact or not at all", function () {
    // A property runs a fixed number of cases, so it always ends; how long it takes depends on the
    // machine only, and a budget would turn a slow machine red (README, "Development and tests").
    this.timeout(0);
    // 2,000 cases a property: 12,000 here and 12,000 for the workflow below.
    const runs = { numRuns: 2000 };

    it("ENV values", () => {
        fc.assert(fc.property(hostile, (v) => {
            const text = tryGenerate({ env: { V: v }, labels: { "l.k": "x" }, command: ["x"] });
            if (text === undefined) return;
            const parsed = parse(text);
            assert.deepStrictEqual(parsed.map((p) => p.keyword), baseline);
            const env = parsed.find((p) => p.keyword === "ENV" && p.props[0][0] === "V")!;
            assert.deepStrictEqual(env.props.length, 1);
            assert.deepStrictEqual(readWord(env.props[0][1]), { value: v, expands: [] });
        }), runs);
    });

    it("LABEL values", () => {
        fc.assert(fc.property(hostile, (v) => {
            const text = tryGenerate({ env: { V: "x" }, labels: { "l.k": v }, command: ["x"] });
            if (text === undefined) return;
            const parsed = parse(text);
            assert.deepStrictEqual(parsed.map((p) => p.keyword), baseline);
            const label = parsed.find((p) => p.keyword === "LABEL")!;
            assert.deepStrictEqual(readWord(label.props.find(([k]) => k === "l.k")![1]), { value: v, expands: [] });
            assert.strictEqual(label.props.length, 4);
        }), runs);
    });

    it("CMD arguments", () => {
        fc.assert(fc.property(fc.array(hostile, { minLength: 1, maxLength: 3 }), (argv) => {
            const text = tryGenerate({ env: { V: "x" }, labels: { "l.k": "x" }, command: argv });
            if (text === undefined) return;
            const parsed = parse(text);
            assert.deepStrictEqual(parsed.map((p) => p.keyword), baseline);
            assert.deepStrictEqual(parsed.find((p) => p.keyword === "CMD")!.json, argv);
        }), runs);
    });

    const plainKeywords = parse(generate(dir, {}).dockerfile).map((p) => p.keyword);
    it("values that reach a shell (version, revision, ldflags, tags, version variable, binary name) are refused unless plain", () => {
        fc.assert(fc.property(hostile, (v) => {
            for (const options of [{ version: v }, { ldflags: [v] }, { buildTags: [v] }, { versionVariable: v }, { binaryName: v }, { revision: v }]) {
                const text = tryGenerate(options);
                if (text === undefined) continue;
                // Accepted values are plain words: the instruction list is unchanged.
                assert.deepStrictEqual(parse(text).map((p) => p.keyword), plainKeywords);
                assert.ok(!/[\s"'`$\\;|&]/.test(v), `accepted an unsafe value ${JSON.stringify(v)}`);
            }
        }), runs);
    });

    it("the source URL label", () => {
        fc.assert(fc.property(hostile, (v) => {
            const text = tryGenerate({ sourceUrl: `https://x/${v}` });
            if (text === undefined) return;
            const label = parse(text).find((p) => p.keyword === "LABEL")!;
            assert.deepStrictEqual(readWord(label.props.find(([k]) => k === "org.opencontainers.image.source")![1]), { value: `https://x/${v}`, expands: [] });
        }), runs);
    });

    it(".dockerignore patterns stay one line each", () => {
        fc.assert(fc.property(hostile, (v) => {
            let ignoreText: string;
            try {
                ignoreText = generate(dir, { dockerignore: [v] }).dockerignore;
            } catch (e) {
                assert.ok(e instanceof GoServiceImageError);
                return;
            }
            const lines = ignoreText.split("\n");
            assert.strictEqual(lines[lines.length - 2], v);
        }), runs);
    });

    it("the documented examples of hostile values", () => {
        const text = generate(dir, { env: { A: 'x" && RUN evil #', B: "$(id) `id` \\" }, labels: { k: "a\\b" } }).dockerfile;
        const env = parse(text).find((p) => p.keyword === "ENV" && p.props[0][0] === "A")!;
        assert.deepStrictEqual(env.props.map(([k, v]) => [k, readWord(v).value]), [["A", 'x" && RUN evil #'], ["B", "$(id) `id` \\"]]);
        assert.throws(() => generate(dir, { env: { A: "x\nRUN evil" } }), /'env\.A' must be one line/);
    });
});

describe("injection: hostile values reach the workflow intact or not at all", function () {
    // A property runs a fixed number of cases, so it always ends; how long it takes depends on the
    // machine only, and a budget would turn a slow machine red (README, "Development and tests").
    this.timeout(0);
    const runs = { numRuns: 2000 };
    const base = workflowFor(dir, {}, {}, "svc").doc;
    const shape = (doc: any) => [Object.keys(doc), Object.keys(doc.jobs), doc.jobs.test.steps.length, doc.jobs.image.steps.length];

    /** Renders with one hostile option; undefined when refused with the library's own error. */
    function tryWorkflow(options: WorkflowOptions, name = "svc"): any {
        try {
            return workflowFor(dir, options, {}, name).doc;
        } catch (e) {
            assert.ok(e instanceof GoServiceImageError, `unexpected error type: ${e}`);
            return undefined;
        }
    }

    const cases: Array<[string, (v: string) => WorkflowOptions, (doc: any) => unknown, string?]> = [
        ["serviceDir", (v) => ({ serviceDir: v }), (doc) => doc.jobs.test.defaults.run["working-directory"]],
        ["defaultBranch", (v) => ({ defaultBranch: v }), (doc) => doc.on.push.branches[0]],
        ["runsOn", (v) => ({ runsOn: v }), (doc) => doc.jobs.test["runs-on"]],
        ["golangciLintVersion", (v) => ({ golangciLintVersion: v }), (doc) => doc.jobs.test.steps.find((s: any) => s.with?.version).with.version],
        ["variablePrefix", (v) => ({ variablePrefix: v }), (doc) => doc.jobs.publish.steps.find((s: any) => s.with?.password).with.password.replace(/^\$\{\{ secrets\.|_REGISTRY_PASSWORD \}\}$/g, "")],
    ];
    for (const [field, options, read] of cases) {
        it(field, () => {
            fc.assert(fc.property(hostile, (v) => {
                const doc = tryWorkflow(options(v));
                if (doc === undefined) return;
                assert.deepStrictEqual(shape(doc), shape(base));
                assert.strictEqual(read(doc), v);
                assert.ok(!/[\n\r$`'"{}]/.test(v), `accepted ${JSON.stringify(v)}`);
            }), runs);
        });
    }

    it("the service name", () => {
        fc.assert(fc.property(hostile, (v) => {
            const doc = tryWorkflow({}, v);
            if (doc === undefined) return;
            assert.deepStrictEqual(shape(doc), shape(base));
            assert.strictEqual(doc.name, v);
        }), runs);
    });
});
