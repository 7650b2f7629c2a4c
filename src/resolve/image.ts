import * as fs from "fs";
import * as path from "path";
import { BuildSettings, DEFAULTS, GO_ENV_NAMES, RUNTIMES, ServiceOptions } from "../args";
import { Problems, show } from "../errors";
import { GoModule, ImagePlan, RuntimePlan } from "../plan/image";
import { LocalModule, localModule, moduleGraph, parsedGoMod } from "./modules";
import { checkImageReference, checkRepository } from "../reference";
import { byName } from "../order";
import { BuildContext } from "./constraints";
import { findMainPackages, isMainPackage } from "./packages";
import { closest } from "./names";
import * as rules from "./rules";
import { isLater } from "./later";

/** The OCI labels the generated Dockerfile writes, and the setting that controls each. */
const OWN_LABELS: Record<string, string> = {
    "org.opencontainers.image.title": "the service name (the component's name, or 'name' in the CLI's --args; --name)",
    "org.opencontainers.image.version": "'version' (--image-version)",
    "org.opencontainers.image.revision": "'revision' (--revision)",
    "org.opencontainers.image.source": "'sourceUrl' (--source-url)",
};

/** Base images of the runtime choices. Tags are floating; pin with `digests.runtime`. */
export const RUNTIME_IMAGES = {
    distroless: "gcr.io/distroless/static-debian12:nonroot",
    alpine: "alpine:3.22",
} as const;

/** Build args the generated Dockerfile owns; users set them through dedicated options. */
const RESERVED_ARGS = new Set<string>([
    "VERSION", "REVISION", "SOURCE_DATE_EPOCH", "GO_VERSION", "BUILDPLATFORM", "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
    ...GO_ENV_NAMES,
]);

/**
 * Longest value a single Dockerfile line may carry. Docker's parser reads lines with a 64 KiB
 * buffer and fails with "token too long" past it; each capped value sits on a line of its own
 * (ENV and LABEL are written one entry a line), so these caps keep every line under it.
 */
const MAX_VALUE = 16 * 1024;

/** Everything the image part of resolve takes. */
export type ImageInput = ServiceOptions & BuildSettings;

/** The target the constraints are evaluated for. */
export function buildContextOf(platform: string, cgo: boolean, tags: readonly string[], goVersion: string): BuildContext {
    return { goos: "linux", goarch: platform.split("/")[1] ?? "amd64", cgo, tags, goMinor: Number(goVersion.split(".")[1] ?? 0) };
}

/**
 * Validates the image input and reads the Go module. Records every problem in `problems`; returns
 * the plan (without layout ignores, which the caller adds) whenever the module could be read, so
 * the later parts can still be checked, and whether this part had no problem.
 */
export function resolveImage(name: string, input: ImageInput, problems: Problems): { plan?: Omit<ImagePlan, "contextAllowList" | "dependencyPackages">; complete: boolean } {
    const before = problems.count;
    const check = <T>(field: string, value: T | undefined, rule: rules.Rule<T>): void => {
        if (value === undefined) return;
        const message = rule(field, value);
        if (message) problems.add(field, "invalid", message);
    };

    let module: (GoModule & { readonly local: LocalModule }) | undefined;
    if (input.context !== undefined && input.context !== "" && typeof input.context !== "string") {
        // An Output (or any other non-string): the directory is read when the program runs, so it must be known then.
        problems.add("context", "invalid", `'context' must be a plain string (the Go module directory, e.g. "../services/api"), got ${isLater(input.context) ? "an Output or a Promise" : show(input.context)}: the directory is read while the program runs, so it cannot wait for another resource; pass the path itself.`);
    } else if (typeof input.context !== "string" || input.context === "") {
        problems.add("context", "missing", `'context' is required: give the Go module directory (the one with go.mod), e.g. "../services/api".`);
    } else {
        module = readGoModule(input.context, problems);
    }
    check("root", input.root, rules.oneLine);
    checkBoolean(problems, "workspace", input.workspace);
    const graph = module && moduleGraph(module.local, { root: typeof input.root === "string" ? input.root : undefined, workspace: input.workspace }, problems);

    check("goVersion", input.goVersion, rules.goVersion);
    const goVersion = input.goVersion ?? module?.toolchain ?? module?.goVersion;
    if (module && input.goVersion === undefined && goVersion === undefined) {
        problems.add("goVersion", "missing", `go.mod in ${show(input.context)} has no go line: add \`go 1.xx\` to it or set 'goVersion'.`);
    }
    check("builderImage", input.builderImage, checkRepository);
    check("builderTagSuffix", input.builderTagSuffix, rules.tagSuffix);
    check("digests.builder", input.digests?.builder, rules.digest);
    const runtime = resolveRuntime(input.runtime, input.digests?.runtime, problems);
    check("digests.runtime", input.digests?.runtime, rules.digest);
    checkBoolean(problems, "cgo", input.cgo);
    checkBoolean(problems, "embedTzdata", input.embedTzdata);
    if (input.cgo === true && runtime && (runtime.kind === "scratch" || runtime.kind === "distroless")) {
        problems.add("cgo", "unsupported", `'cgo' is true but runtime ${show(runtime.kind)} has no C library, so a cgo binary cannot start there: set cgo: false (the default, a static binary) or use runtime "alpine" or a custom image with the C library the binary links.`);
    }
    check("versionVariable", input.versionVariable, rules.goIdentifierPath);
    eachItem(problems, "ldflags", input.ldflags, rules.ldflagWord);
    eachItem(problems, "buildTags", input.buildTags, rules.buildTag);
    eachItem(problems, "command", input.command, rules.capped(rules.oneLine, MAX_VALUE));
    eachItem(problems, "dockerignore", input.dockerignore, rules.ignorePattern);
    totalLength(problems, "ldflags", input.ldflags, MAX_VALUE);
    totalLength(problems, "buildTags", input.buildTags, MAX_VALUE);
    totalLength(problems, "command", input.command, MAX_VALUE);
    if ((input.port as unknown) === false) problems.add("port", "invalid", `'port' is a number since version 0.3: write port: 0 for no EXPOSE instead of false.`);
    else if (input.port !== 0) check("port", input.port, rules.port);
    check("user", input.user, rules.nonRootUser);
    check("binaryName", input.binaryName, rules.binaryName);
    check("entrypoint", input.entrypoint, rules.binaryName);
    eachEntry(problems, "env", input.env, rules.capped(rules.envName, 256), rules.capped(rules.oneLine, MAX_VALUE));
    eachEntry(problems, "labels", input.labels, rules.capped(rules.labelKey, 256), rules.capped(rules.oneLine, MAX_VALUE));
    // The labels the library writes itself are set by their own settings: one in 'labels' would be dropped, so it is refused.
    for (const [label, setting] of Object.entries(OWN_LABELS)) {
        if (input.labels && typeof input.labels === "object" && Object.prototype.hasOwnProperty.call(input.labels, label)) {
            problems.add(`labels.${label}`, "conflict", `'labels' sets ${show(label)}, which the library writes itself: set it with ${setting} instead, and remove it from 'labels'.`);
        }
    }
    const badSource = rules.noCredentials("the label is in the image for anyone who pulls it", "Give the repository's plain URL.")("sourceUrl", input.sourceUrl);
    if (badSource) problems.add("sourceUrl", "invalid", badSource);
    else check("sourceUrl", input.sourceUrl, rules.capped(rules.sourceUrl, 2048));
    check("version", input.version, rules.version);
    check("revision", input.revision, rules.revision);
    check("platform", input.platform, rules.platform);
    if (input.sourceDateEpoch !== undefined && !(Number.isInteger(input.sourceDateEpoch) && input.sourceDateEpoch >= 0)) {
        problems.add("sourceDateEpoch", "invalid", `'sourceDateEpoch' must be whole seconds since 1970 (0 or more), got ${show(input.sourceDateEpoch)}: use e.g. the commit time, \`git log -1 --format=%ct\`.`);
    }
    eachEntry(problems, "goEnv", input.goEnv as Record<string, string> | undefined, rules.matches(new RegExp(`^(${GO_ENV_NAMES.join("|")})$`), `one of ${GO_ENV_NAMES.join(", ")}`), rules.capped(rules.oneLine, MAX_VALUE));
    // Values that go into the image or its build args carry no credentials (redacted in the message).
    const inImage = "build args, environment variables and labels are stored in the image and in Pulumi state in plaintext";
    const netrcFix = 'Remove the user and password from the URL and give them as a netrc (the BuildKit secret "netrc", `go-service-image build --netrc`).';
    for (const map of ["goEnv", "buildArgs", "env", "labels"] as const) {
        for (const [key, value] of Object.entries((isObject(input[map]) ? input[map] : {}) as Record<string, unknown>)) {
            const bad = rules.noCredentials(inImage, map === "goEnv" ? netrcFix : "Remove them: give private module credentials as a netrc, and registry logins as 'registry'.")(`${map}.${key}`, value);
            if (bad) problems.add(`${map}.${key}`, "invalid", bad);
        }
    }
    eachEntry(problems, "buildArgs", input.buildArgs, rules.capped(rules.envName, 256), rules.capped(rules.oneLine, MAX_VALUE));
    for (const key of Object.keys(isObject(input.buildArgs) ? input.buildArgs : {})) {
        if (RESERVED_ARGS.has(key)) {
            const owners: Record<string, string> = { VERSION: "set 'version'", REVISION: "set 'revision'", SOURCE_DATE_EPOCH: "set 'sourceDateEpoch'" };
            const fix = (GO_ENV_NAMES as readonly string[]).includes(key) ? `set it in 'goEnv'` : owners[key] ?? "remove it (the library sets it)";
            problems.add(`buildArgs.${key}`, "conflict", `'buildArgs.${key}' is owned by the generated Dockerfile: ${fix}.`);
        }
    }
    if (goVersion !== undefined && input.goVersion === undefined && rules.goVersion("goVersion", goVersion)) {
        problems.add("goVersion", "invalid", `the go.mod version ${show(goVersion)} in ${show(input.context)} is not a Go release version: set 'goVersion', e.g. "1.22".`);
    }

    const platform = typeof input.platform === "string" ? input.platform : DEFAULTS.platform;
    const cgo = input.cgo === true;
    const buildTags = [...new Set([...(Array.isArray(input.buildTags) ? input.buildTags : []), ...(input.embedTzdata === false ? [] : ["timetzdata"])])].sort();
    const mains = module ? resolveMains(input, buildContextOf(platform, cgo, buildTags, goVersion ?? "1.0"), problems) : undefined;
    const built = module && mains && resolveBinaries(input, mains, module.path, problems);
    if (!module) return { complete: false };
    const { local: _local, ...mod } = module;
    const rel = (abs: string) => path.relative(graph?.contextDir ?? input.context, abs).split(path.sep).join("/") || ".";
    const plan = {
        name,
        context: input.context,
        contextDir: graph?.contextDir ?? input.context,
        module: mod,
        serviceDir: rel(input.context),
        goModules: (graph?.modules ?? []).map((m) => ({ dir: rel(m.dir), hasGoSum: m.hasGoSum })),
        workspace: graph?.goWork && { dir: rel(path.dirname(graph.goWork.file)), hasSum: graph.goWork.hasSum },
        moduleDirs: (graph?.modules ?? []).map((m) => ({ path: m.path, dir: m.dir })),
        binaries: built ? built.binaries : [{ pkg: ".", name: "app" }],
        entrypoint: built ? built.entrypoint : "app",
        goVersion: goVersion ?? "1.0",
        builderImage: input.builderImage ?? DEFAULTS.builderImage,
        builderTagSuffix: input.builderTagSuffix ?? DEFAULTS.builderTagSuffix,
        builderDigest: input.digests?.builder,
        runtime: runtime ?? { kind: "scratch", image: "scratch" },
        cgo,
        versionVariable: input.versionVariable ?? DEFAULTS.versionVariable,
        ldflags: [...(input.ldflags ?? DEFAULTS.ldflags)],
        buildTags,
        port: input.port === 0 ? undefined : (input.port ?? DEFAULTS.port),
        user: input.user ?? DEFAULTS.user,
        command: [...(input.command ?? DEFAULTS.command)],
        env: sortedEntries(input.env),
        labels: sortedEntries(input.labels),
        sourceUrl: input.sourceUrl,
        dockerignoreExtra: [...(input.dockerignore ?? DEFAULTS.dockerignore)],
        buildArgs: sortedEntries({ ...(input.goEnv ?? DEFAULTS.goEnv), ...(input.buildArgs ?? DEFAULTS.buildArgs) } as Record<string, string>),
        version: input.version,
        revision: input.revision,
        platform,
        sourceDateEpoch: input.sourceDateEpoch ?? DEFAULTS.sourceDateEpoch,
    };
    return { plan, complete: problems.count === before && graph !== undefined };
}

/** Reads go.mod, go.sum and vendor/ in `dir`, recording what makes the module unusable. */
export function readGoModule(dir: string, problems: Problems): (GoModule & { readonly local: LocalModule }) | undefined {
    const stat = fs.statSync(dir, { throwIfNoEntry: false });
    if (!stat) {
        problems.add("context", "not-found", `'context' ${show(dir)} does not exist: give the Go module directory (the one with go.mod).`);
        return undefined;
    }
    if (!stat.isDirectory()) {
        problems.add("context", "invalid", `'context' ${show(dir)} is not a directory: give the Go module directory (the one with go.mod).`);
        return undefined;
    }
    const goModPath = path.join(dir, "go.mod");
    let text: string;
    try {
        text = fs.readFileSync(goModPath, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ENOENT") {
            problems.add("context", "not-found", `'context' ${show(dir)} has no go.mod: point 'context' at the module root, or run \`go mod init <module path>\` there.`);
        } else {
            problems.add("context", "unreadable", `${show(goModPath)} cannot be read (${code ?? "error"}): fix its permissions.`);
        }
        return undefined;
    }
    const file = parsedGoMod(goModPath, text, problems);
    if (!file) return undefined;
    const local = localModule(path.resolve(dir), file);
    return { path: local.path, goVersion: file.go, toolchain: file.toolchain, hasGoSum: local.hasGoSum, vendored: local.vendored, local };
}

/** The main packages to build: `mains` (a `*` element expands to every main package it matches), `main`, or the one detected. */
function resolveMains(input: ImageInput, ctx: BuildContext, problems: Problems): string[] | undefined {
    if (input.main !== undefined && input.mains !== undefined) {
        problems.add("mains", "conflict", `'main' and 'mains' are both set: keep 'mains' (it takes one or several packages).`);
        return undefined;
    }
    const given = input.mains ?? (input.main !== undefined ? [input.main] : undefined);
    const field = input.mains !== undefined ? "mains" : "main";
    if (given === undefined) {
        const candidates = findMainPackages(input.context, ctx);
        if (candidates.length === 1) return candidates;
        if (candidates.length === 0) {
            problems.add("main", "not-found", `no main package found in ${show(input.context)} (looked at the module root and cmd/*, build constraints applied): set 'main' to the package to build, e.g. "./cmd/api", or 'mains' to several.`);
        } else {
            problems.add("main", "ambiguous", `several main packages in ${show(input.context)}: ${candidates.join(", ")}; set 'main' to the one to build, or 'mains' to ship several (e.g. ["./cmd/*"]).`);
        }
        return undefined;
    }
    if (!Array.isArray(given) || given.length === 0) {
        problems.add(field, "invalid", `'${field}' must list at least one main package, e.g. ["./cmd/api", "./cmd/worker"], got ${show(given)}.`);
        return undefined;
    }
    const out: string[] = [];
    const before = problems.count;
    given.forEach((pkg, i) => {
        const f = input.mains !== undefined ? `mains[${i}]` : "main";
        if (typeof pkg === "string" && /^\.\/([A-Za-z0-9_.-]+\/)*\*$/.test(pkg)) {
            const parent = pkg.slice(0, -2);
            const found = listDirs(path.join(input.context, parent)).filter((d) => isMainPackage(path.join(input.context, parent, d), ctx)).map((d) => `${parent}/${d}`);
            if (found.length === 0) problems.add(f, "not-found", `'${f}' ${show(pkg)} matches no main package in ${show(input.context)}: check the directory.`);
            out.push(...found);
            return;
        }
        const bad = rules.mainPackage(f, pkg);
        if (bad) {
            problems.add(f, "invalid", bad);
            return;
        }
        const normalized = pkg === "." ? "." : pkg.replace(/\/+$/, "");
        if (!isMainPackage(path.join(input.context, normalized), ctx)) {
            problems.add(f, "not-found", `'${f}' ${show(pkg)} is not a package main in ${show(input.context)} for ${ctx.goos}/${ctx.goarch} (build constraints applied): point it at the directory whose .go files say \`package main\`.`);
            return;
        }
        out.push(normalized);
    });
    const unique = [...new Set(out)];
    if (unique.length !== out.length) problems.add(field, "invalid", `'${field}' names a package twice: ${show(out)}.`);
    return problems.count > before ? undefined : unique;
}

function listDirs(dir: string): string[] {
    try {
        return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    } catch {
        return [];
    }
}

/** The binaries: one per main package, named after it (or 'binaryName' for a single one); the entrypoint among them. */
function resolveBinaries(input: ImageInput, mains: readonly string[], modulePath: string, problems: Problems): { binaries: Array<{ pkg: string; name: string }>; entrypoint: string } | undefined {
    if (input.binaryName !== undefined && mains.length > 1) {
        problems.add("binaryName", "conflict", `'binaryName' names one binary, but ${mains.length} main packages are built (${mains.join(", ")}): each is named after its directory; remove 'binaryName'.`);
        return undefined;
    }
    const binaries = mains.map((pkg) => ({ pkg, name: mains.length === 1 && input.binaryName !== undefined ? input.binaryName : defaultBinaryName(pkg, modulePath) }));
    const names = binaries.map((b) => b.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) {
        problems.add("mains", "conflict", `two main packages would both be installed as /usr/local/bin/${twice}: ${binaries.filter((b) => b.name === twice).map((b) => b.pkg).join(", ")}; build them in separate images.`);
        return undefined;
    }
    const entrypoint = input.entrypoint ?? names[0];
    if (!names.includes(entrypoint)) {
        problems.add("entrypoint", "not-found", `'entrypoint' ${show(input.entrypoint)} is not one of the binaries built (${names.join(", ")}): choose one of them.`);
        return undefined;
    }
    return { binaries, entrypoint };
}

function resolveRuntime(choice: unknown, pin: string | undefined, problems: Problems): RuntimePlan | undefined {
    const at = pin ? `@${pin}` : "";
    if (choice === undefined || choice === "scratch") {
        if (pin !== undefined) problems.add("digests.runtime", "invalid", `'digests.runtime' is set but runtime "scratch" is not an image and has no digest: remove the pin.`);
        return { kind: "scratch", image: "scratch" };
    }
    if (choice === "distroless" || choice === "alpine") return { kind: choice, image: RUNTIME_IMAGES[choice] + at };
    if (isObject(choice) && typeof choice.image === "string") {
        problems.add("runtime", "invalid", `'runtime' is a string since version 0.3: write runtime: ${show(choice.image)} instead of { image: ${show(choice.image)} }.`);
        return undefined;
    }
    if (typeof choice === "string") {
        const near = closest(choice, RUNTIMES);
        if (near && !choice.includes(":") && !choice.includes("/")) {
            problems.add("runtime", "invalid", `'runtime' ${show(choice)} is not "scratch", "distroless" or "alpine": did you mean ${show(near)}? (Any other image is named with its tag or digest.)`);
            return undefined;
        }
        if (choice.trim() === "") {
            problems.add("runtime", "invalid", `'runtime' is empty: give "scratch" (the default), "distroless", "alpine" or an image with its tag or digest, e.g. "cgr.dev/chainguard/static:latest", or leave it out.`);
            return undefined;
        }
        if (!/[:@]/.test(choice.slice(choice.lastIndexOf("/") + 1))) {
            problems.add("runtime", "invalid", `'runtime' ${show(choice)} is not "scratch", "distroless" or "alpine", and as an image it has no tag or digest: name one, e.g. ${show(`${choice}:<tag>`)}, so the base never moves silently.`);
            return undefined;
        }
        const bad = checkImageReference("runtime", choice);
        if (bad) {
            problems.add("runtime", "invalid", `${bad} ('runtime' is ${RUNTIMES.map((r) => `"${r}"`).join(", ")} or an image reference)`);
            return undefined;
        }
        if (pin && choice.includes("@")) {
            problems.add("digests.runtime", "conflict", `'runtime' already has a digest and 'digests.runtime' sets another: keep one.`);
        }
        return { kind: "custom", image: choice + at };
    }
    problems.add("runtime", "invalid", `'runtime' must be "scratch", "distroless", "alpine" or an image reference like "registry.example.com/base/static:1", got ${show(choice)}.`);
    return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function checkBoolean(problems: Problems, field: string, value: unknown): void {
    if (value !== undefined && typeof value !== "boolean") problems.add(field, "invalid", `'${field}' must be true or false, got ${show(value)}.`);
}

function eachItem(problems: Problems, field: string, list: readonly string[] | undefined, rule: rules.Rule<string>): void {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
        problems.add(field, "invalid", `'${field}' must be an array of strings, got ${show(list)}.`);
        return;
    }
    list.forEach((item, i) => {
        const message = item === "" ? `'${field}[${i}]' is empty: remove it.` : rule(`${field}[${i}]`, item);
        if (message) problems.add(`${field}[${i}]`, "invalid", message);
    });
}

function totalLength(problems: Problems, field: string, list: readonly string[] | undefined, max: number): void {
    if (!Array.isArray(list)) return;
    const total = list.reduce((n, s) => n + (typeof s === "string" ? s.length + 4 : 0), 0);
    if (total > max) problems.add(field, "invalid", `'${field}' holds ${total} characters in all, more than ${max}: Dockerfile lines longer than 64 KiB fail to parse; shorten it.`);
}

function eachEntry(problems: Problems, field: string, map: Readonly<Record<string, string>> | undefined, keyRule: rules.Rule<string>, valueRule: rules.Rule<string>): void {
    if (map === undefined) return;
    if (!isObject(map)) {
        problems.add(field, "invalid", `'${field}' must be an object of string values, got ${show(map)}.`);
        return;
    }
    for (const [key, value] of Object.entries(map)) {
        const message = keyRule(`${field} key`, key) ?? valueRule(`${field}.${key}`, value);
        if (message) problems.add(`${field}.${key}`, "invalid", message);
    }
}

function sortedEntries(map: Readonly<Record<string, string>> | undefined): Array<readonly [string, string]> {
    return Object.entries(map ?? {}).sort(byName);
}

function defaultBinaryName(main: string, modulePath: string): string {
    const name = execName(main === "." ? modulePath : `${modulePath}/${main.replace(/^\.\//, "")}`);
    return rules.binaryName("binaryName", name) ? "app" : name;
}

/**
 * The name `go build` gives a main package's binary: the last element of its import path, or the
 * one before a major version suffix (`example.com/api/v2` → `api`, `miniflux.app/v2` → `miniflux.app`).
 * @see https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies
 */
export function execName(importPath: string): string {
    const parts = importPath.split("/").filter(Boolean);
    const last = parts.pop() ?? "app";
    return /^v[2-9]\d*$|^v[1-9]\d+$/.test(last) && parts.length > 0 ? parts.pop()! : last;
}
