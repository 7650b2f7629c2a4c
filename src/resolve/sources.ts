import * as fs from "fs";
import * as path from "path";
import { Problems, show } from "../errors";
import { ContextFile, ImagePlan } from "../plan/image";
import { ignoreMatcher } from "./context";
import { BuildContext } from "./constraints";
import { buildContextOf } from "./image";
import { PLATFORMS } from "./rules";
import { embeddedFiles, GoPackage, packageGraph, packageStringVars, readPackage } from "./packages";

/** An import path made of the characters module paths allow (golang.org/x/mod/module), safe as a shell word. */
const PLAIN_IMPORT = /^[A-Za-z0-9][A-Za-z0-9._~+/-]*$/;

type Partial = Omit<ImagePlan, "contextAllowList" | "dependencyPackages"> & { readonly versionVariableGiven?: boolean };

/**
 * Every file the build reads, relative to the build context, with why: each local module's go.mod
 * and go.sum, go.work and go.work.sum, vendor/modules.txt, and in every package the main
 * packages reach (across local modules and vendored ones, on every platform: a multi-platform build reads files a
 * single target leaves out) the non-test Go files, assembly, C and syso files, and what they embed.
 * Records what would fail or change silently inside the build: a file importing "C" with cgo off,
 * an embed pattern that matches nothing.
 */
export function neededFiles(plan: Partial, problems: Problems): { files: Map<string, string>; external: string[] } {
    const rel = (abs: string) => path.relative(plan.contextDir, abs).split(path.sep).join("/");
    const needed = new Map<string, string>();
    for (const m of plan.moduleDirs) {
        needed.set(rel(path.join(m.dir, "go.mod")), `the go.mod of ${m.path}`);
        if (fs.existsSync(path.join(m.dir, "go.sum"))) needed.set(rel(path.join(m.dir, "go.sum")), `the go.sum of ${m.path}`);
    }
    if (plan.workspace) {
        const work = plan.workspace.dir === "." ? "go.work" : `${plan.workspace.dir}/go.work`;
        needed.set(work, "the workspace");
        if (plan.workspace.hasSum) needed.set(`${work}.sum`, "the workspace checksums");
    }
    // Vendored: vendor/modules.txt (go checks it against go.mod) and the vendored packages the build reaches, no more.
    const vendorDir = plan.module.vendored ? path.join(plan.context, "vendor") : undefined;
    if (vendorDir) needed.set(rel(path.join(vendorDir, "modules.txt")), "the vendored modules' list");
    const mainDirs = plan.binaries.map((b) => path.join(plan.context, b.pkg));
    const ctx = buildContextOf(plan.platform, plan.cgo, plan.buildTags, plan.goVersion);
    for (const pkg of packageGraph(plan.moduleDirs, mainDirs, everyTarget(plan), vendorDir)) {
        const where = rel(pkg.dir) || ".";
        const why = mainDirs.includes(pkg.dir) ? "a main package" : `package ${where}`;
        for (const f of [...pkg.files.map((x) => x.name), ...pkg.cgoFiles, ...pkg.others]) needed.set(rel(path.join(pkg.dir, f)), why);
        const embedded = embeddedFiles(pkg);
        for (const f of embedded.files) needed.set(rel(path.join(pkg.dir, f)), `embedded by package ${where}`);
        for (const u of embedded.unreadable) {
            problems.add("context", "unreadable", `the directory ${show(path.join(plan.contextDir, where, u.path))}, embedded by package ${where} (//go:embed), cannot be read (${u.code}): make it readable (chmod a+rx): the build reads it.`);
        }
    }
    // What the target build compiles: the checks that depend on it, and the packages it imports from
    // elsewhere (the standard library, downloaded modules), which the Dockerfile compiles first.
    const external = new Set<string>();
    const local = (imp: string) => plan.moduleDirs.some((m) => imp === m.path || imp.startsWith(m.path + "/"));
    // Standard library paths have no dot in their first element. A vendored module's packages arrive with the sources, so only the standard library's go first.
    // An import that is not a plain path (Go refuses it anyway) is left to the build step: the list is written into a RUN line unquoted.
    // "C" is cgo's pseudo-package, not one to compile.
    const compiledFirst = (imp: string) => imp !== "C" && PLAIN_IMPORT.test(imp) && !local(imp) && (!imp.split("/")[0].includes(".") || vendorDir === undefined);
    const target = packageGraph(plan.moduleDirs, mainDirs, ctx, vendorDir);
    for (const pkg of target) {
        for (const imp of pkg.files.flatMap((f) => f.imports)) if (compiledFirst(imp)) external.add(imp);
        const where = rel(pkg.dir) || ".";
        // A vendored module's cgo files are its own affair, as a downloaded module's are.
        if (!plan.cgo && pkg.cgoFiles.length > 0 && !(vendorDir && pkg.dir.startsWith(vendorDir + path.sep))) {
            problems.add("cgo", "unsupported", `'cgo' is false but ${pkg.cgoFiles.map((f) => show(rel(path.join(pkg.dir, f)))).join(", ")} in ${show(plan.contextDir)} import "C": with cgo off Go leaves those files out and the build fails or builds something else. Set cgo: true (with runtime "alpine" or an image with the C library), or guard the files with //go:build cgo and add a pure-Go fallback.`);
        }
        for (const pattern of embeddedFiles(pkg).unmatched) {
            problems.add("context", "not-found", `//go:embed ${pattern} in ${show(path.join(plan.contextDir, where))} matches no file, so \`go build\` fails: add the files or fix the pattern.`);
        }
    }
    if (plan.versionVariableGiven) checkVersionVariable(plan, mainDirs, target, ctx, problems);
    // A needed file that is a link inside the context needs its target too: Docker sends the link, not the file.
    for (const [file, why] of [...needed]) {
        const abs = path.join(plan.contextDir, file);
        if (!fs.lstatSync(abs, { throwIfNoEntry: false })?.isSymbolicLink()) continue;
        const target = rel(path.resolve(path.dirname(abs), fs.readlinkSync(abs)));
        if (!target.startsWith("..") && !path.isAbsolute(target) && !needed.has(target)) needed.set(target, `the target of ${file} (${why})`);
    }
    const files = new Map([...needed].filter(([f]) => f !== "" && !f.startsWith("..")).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { files, external: [...external].sort() };
}

/**
 * The targets the context must serve: any platform (the component's and the workflow's may
 * differ, and both build this Dockerfile), so with cgo on every file whatever its constraints (a
 * cgo package may #include C sources from directories only a build-tagged Go file reaches). With
 * cgo off, which the Dockerfile fixes for every platform, the build constraints apply on every
 * Linux platform the library builds, with the image's tags and Go version: a file or package only
 * cgo, another OS or an unset tag reaches (a cgo-only package's C sources, x/sys/windows) is not
 * read by the build, and not sent.
 */
function everyTarget(plan: Partial): readonly BuildContext[] | undefined {
    return plan.cgo ? undefined : PLATFORMS.map((p) => buildContextOf(p, false, plan.buildTags, plan.goVersion));
}

/**
 * `-X importpath.name=…` is silently ignored by the linker when no such package-level string
 * variable exists, so a version set explicitly would never reach the binary: refused. `main.x`
 * must be in every main package built; another path must be a package of a local module (a
 * downloaded module's package is not read here, and not checked).
 */
function checkVersionVariable(plan: Partial, mainDirs: readonly string[], target: readonly GoPackage[], ctx: ReturnType<typeof buildContextOf>, problems: Problems): void {
    const dot = plan.versionVariable.lastIndexOf(".");
    const [importPath, name] = [plan.versionVariable.slice(0, dot), plan.versionVariable.slice(dot + 1)];
    // The package as the target build reads it: from the graph just walked, else (not imported) read from its directory.
    const has = (dir: string) => {
        const pkg = target.find((p) => p.dir === dir) ?? readPackage(dir, ctx);
        return pkg !== undefined && packageStringVars(pkg).includes(name);
    };
    const fix = `declare it as a package-level string (var ${name} = "dev", or var ${name} string) or set 'versionVariable' to the variable your code reads, e.g. "example.com/app/internal/version.Version"`;
    if (importPath === "main") {
        const missing = mainDirs.filter((d) => !has(d));
        if (missing.length > 0) {
            problems.add("versionVariable", "not-found", `'versionVariable' ${show(plan.versionVariable)} names no package-level string variable ${name} in the main package${missing.length > 1 ? "s" : ""} ${missing.map((d) => show(path.relative(plan.contextDir, d) || ".")).join(", ")}, so the linker would silently stamp nothing: ${fix}.`);
        }
        return;
    }
    const mod = plan.moduleDirs.find((m) => importPath === m.path || importPath.startsWith(m.path + "/"));
    if (!mod) return;
    const dir = path.join(mod.dir, importPath.slice(mod.path.length));
    if (!has(dir)) problems.add("versionVariable", "not-found", `'versionVariable' ${show(plan.versionVariable)} names no package-level string variable ${name} in package ${show(importPath)} (${show(path.relative(plan.contextDir, dir) || ".")}), so the linker would silently stamp nothing: ${fix}.`);
}

/** Checks that what the context sends holds every needed file; names the 'dockerignore' pattern that drops one. */
export function checkSent(needed: ReadonlyMap<string, string>, sent: readonly ContextFile[], extra: readonly string[], problems: Problems): void {
    const present = new Set(sent.map((f) => f.rel));
    for (const [file, why] of needed) {
        if (present.has(file)) continue;
        const culprit = [...extra].reverse().find((p) => {
            const m = !p.startsWith("!") && ignoreMatcher([p]);
            return m && typeof m !== "string" && m.ignores(file);
        });
        if (culprit) problems.add("dockerignore", "conflict", `the 'dockerignore' pattern ${show(culprit)} leaves out ${show(file)} (${why}), which the build needs: remove or narrow it.`);
    }
}
