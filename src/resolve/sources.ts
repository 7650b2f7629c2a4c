import * as fs from "fs";
import * as path from "path";
import { Problems, show } from "../errors";
import { ContextFile, ImagePlan } from "../plan/image";
import { buildContextOf } from "./image";
import { ignoreMatcher } from "./context";
import { embeddedFiles, packageGraph } from "./packages";

/** Where the ignore patterns in force come from, for messages. */
export type IgnoreSource = "generated" | "own";

/**
 * Checks what the build reads against what the context sends: go.mod, go.sum, vendor/, every Go
 * file of the main package and of the module's packages it imports, and every file they embed.
 * Also what would fail or change silently inside the build: a file importing "C" with cgo off,
 * an embed pattern that matches nothing.
 */
export function checkSources(plan: Omit<ImagePlan, "layoutIgnores">, sent: readonly ContextFile[], source: IgnoreSource, patterns: readonly string[], layoutIgnores: readonly string[], problems: Problems): void {
    const ctx = buildContextOf(plan.platform, plan.cgo, plan.buildTags, plan.goVersion);
    const packages = packageGraph(plan.context, plan.module.path, plan.mainPackage, ctx);
    const needed = new Map<string, string>([["go.mod", "the module file"]]);
    if (plan.module.hasGoSum) needed.set("go.sum", "the module checksums");
    if (plan.module.vendored) needed.set("vendor/modules.txt", "the vendored module list");
    for (const pkg of packages) {
        const dir = pkg.dir === "." ? "" : `${pkg.dir}/`;
        for (const f of pkg.files) needed.set(`${dir}${f.name}`, pkg.dir === plan.mainPackage.replace(/^\.\//, "") ? "the main package" : `package ${pkg.dir}`);
        if (!plan.cgo && pkg.cgoFiles.length > 0) {
            problems.add("cgo", "unsupported", `'cgo' is false but ${pkg.cgoFiles.map((f) => show(`${dir}${f}`)).join(", ")} in ${show(plan.context)} import "C": with cgo off Go leaves those files out and the build fails or builds something else. Set cgo: true (with runtime "alpine" or an image with the C library), or guard the files with //go:build cgo and add a pure-Go fallback.`);
        }
        const embeds = embeddedFiles(plan.context, pkg);
        for (const pattern of embeds.unmatched) {
            problems.add("context", "not-found", `//go:embed ${pattern} in ${show(path.join(plan.context, pkg.dir))} matches no file, so \`go build\` fails: add the files or fix the pattern.`);
        }
        for (const file of embeds.files) needed.set(file, `embedded by package ${pkg.dir}`);
    }
    const present = new Set(sent.map((f) => f.rel));
    for (const [file, why] of needed) {
        if (present.has(file) || !fs.existsSync(path.join(plan.context, file))) continue;
        const layout = layoutIgnores.find((p) => file === p || file.startsWith(p + "/"));
        if (layout) {
            problems.add("context", "conflict", `${show(file)} (${why}) is inside ${show(layout)}, the Pulumi program's or the generated files' directory, which is never part of the build: move the program or the generated directory out of the Go module, or the file out of it.`);
        } else {
            const culprit = [...patterns].reverse().find((p) => {
                const m = !p.startsWith("!") && ignoreMatcher([p]);
                return m && typeof m !== "string" && m.ignores(file);
            });
            const which = culprit ? `pattern ${show(culprit)}` : "patterns";
            if (source === "own") {
                problems.add("writeDockerignore", "conflict", `the ${which} of your .dockerignore in ${show(plan.context)} leaves out ${show(file)} (${why}), which the build needs: remove or narrow it.`);
            } else {
                problems.add("dockerignore", "conflict", `the 'dockerignore' ${which} leaves out ${show(file)} (${why}), which the build needs: remove or narrow it.`);
            }
        }
    }
}

/** Program and generated-file paths inside the context: never part of the build. */
export function layoutIgnoresOf(context: string, cwd: string, generatedDir: string | undefined): string[] {
    const root = path.resolve(cwd, context);
    const inside = (p: string) => p !== root && p.startsWith(root + path.sep);
    const rel = (p: string) => path.relative(root, p).split(path.sep).join("/");
    const out = new Set<string>();
    if (generatedDir !== undefined) {
        const gen = path.resolve(cwd, generatedDir);
        if (inside(gen)) out.add(rel(gen));
    }
    const program = path.resolve(cwd);
    const isProgram = fs.existsSync(path.join(program, "Pulumi.yaml")) || fs.existsSync(path.join(program, "Pulumi.yml"));
    if (isProgram && inside(program)) out.add(rel(program));
    if (isProgram && program === root) {
        // A program at the module root: its own files, not the service's.
        for (const f of ["Pulumi.yaml", "Pulumi.yml", "package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "tsconfig.json", "*.ts"]) out.add(f);
    }
    // A path under another one listed is already left out with it.
    return [...out].filter((p) => ![...out].some((q) => q !== p && p.startsWith(q + "/"))).sort();
}
