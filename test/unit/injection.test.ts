import * as assert from "assert";
import fc from "fast-check";
import { GoServiceImageError } from "../../src/errors";
import { generate } from "../helpers/generate";
import { parse, readWord } from "../helpers/dockerfile";
import { simpleModule } from "../helpers/module";

const dir = simpleModule();
const baseline = parse(generate(dir, { env: { V: "x" }, labels: { "l.k": "x" }, command: ["x"] }).dockerfile).map((p) => p.keyword);

/** Strings built from the pieces that break naive generators. */
const hostile = fc
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

describe("injection: hostile values reach the Dockerfile intact or not at all", () => {
    const runs = { numRuns: 1000 };

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

    it("values that reach a shell (version, revision, ldflags, tags, version variable, binary name) are refused unless plain", () => {
        fc.assert(fc.property(hostile, (v) => {
            for (const options of [{ version: v }, { ldflags: [v] }, { buildTags: [v] }, { versionVariable: v }, { binaryName: v }, { revision: v }]) {
                const text = tryGenerate(options);
                if (text === undefined) continue;
                // Accepted values are plain words: the instruction list is unchanged.
                assert.deepStrictEqual(parse(text).filter((p) => p.keyword === "RUN").length, 2);
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
