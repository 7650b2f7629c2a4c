import * as path from "path";
import ignore from "@balena/dockerignore";
import { Problems, show } from "../errors";
import { BuildSettings, GO_ENV_NAMES, RuntimeChoice, ServiceOptions } from "../options";
import { ImagePlan, RuntimePlan } from "../plan";
import { dockerignorePatterns } from "../dockerfile/dockerignore";
import { findMainPackages, GoModule, isMainPackage, readGoModule } from "./gomod";
import * as rules from "./rules";
import { byName } from "../order";

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

/** Everything `resolve` takes: the build-shaping options and the build settings. */
export type ResolveInput = ServiceOptions & BuildSettings;

/**
 * Validates the input, reads the Go module and fills in every default. Collects every problem
 * and throws one {@link GoServiceImageError} listing them all; writes nothing.
 */
export function resolve(name: string, input: ResolveInput): ImagePlan {
    const problems = new Problems();
    const check = <T>(field: string, value: T | undefined, rule: rules.Rule<T>): void => {
        if (value === undefined) return;
        const message = rule(field, value);
        if (message) problems.add(field, "invalid", message);
    };

    if (typeof name !== "string" || name.trim() === "") {
        problems.add("name", "missing", `the resource name must be a non-empty string, got ${show(name)}.`);
    }
    let module: GoModule | undefined;
    if (typeof input.context !== "string" || input.context === "") {
        problems.add("context", "missing", `'context' is required: give the Go module directory (the one with go.mod), e.g. "../services/api".`);
    } else {
        module = readGoModule(input.context, problems);
    }

    const mainPackage = module ? resolveMain(input, problems) : undefined;
    check("goVersion", input.goVersion, rules.goVersion);
    const goVersion = input.goVersion ?? module?.toolchain ?? module?.goVersion;
    if (module && input.goVersion === undefined) {
        if (goVersion === undefined) {
            problems.add("goVersion", "missing", `go.mod in ${show(input.context)} has no go line: add \`go 1.xx\` to it or set 'goVersion'.`);
        } else if (rules.goVersion("goVersion", goVersion)) {
            problems.add("goVersion", "invalid", `the go.mod version ${show(goVersion)} in ${show(input.context)} is not a Go release version: set 'goVersion', e.g. "1.22".`);
        }
    }

    check("builderImage", input.builderImage, rules.repository);
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
    eachItem(problems, "command", input.command, rules.oneLine);
    eachItem(problems, "dockerignore", input.dockerignore, rules.ignorePattern);
    if (input.port !== false) check("port", input.port, rules.port);
    check("user", input.user, rules.nonRootUser);
    check("binaryName", input.binaryName, rules.binaryName);
    eachEntry(problems, "env", input.env, rules.envName, rules.oneLine);
    eachEntry(problems, "labels", input.labels, rules.labelKey, rules.oneLine);
    check("sourceUrl", input.sourceUrl, rules.sourceUrl);
    check("version", input.version, rules.version);
    check("revision", input.revision, rules.revision);
    check("platform", input.platform, rules.platform);
    if (input.sourceDateEpoch !== undefined && !(Number.isInteger(input.sourceDateEpoch) && input.sourceDateEpoch >= 0)) {
        problems.add("sourceDateEpoch", "invalid", `'sourceDateEpoch' must be whole seconds since 1970 (0 or more), got ${show(input.sourceDateEpoch)}: use e.g. the commit time, \`git log -1 --format=%ct\`.`);
    }
    eachEntry(problems, "goEnv", input.goEnv as Record<string, string> | undefined, rules.matches(new RegExp(`^(${GO_ENV_NAMES.join("|")})$`), `one of ${GO_ENV_NAMES.join(", ")}`), rules.oneLine);
    eachEntry(problems, "buildArgs", input.buildArgs, rules.envName, rules.oneLine);
    for (const key of Object.keys(input.buildArgs ?? {})) {
        if (RESERVED_ARGS.has(key)) {
            const owners: Record<string, string> = { VERSION: "set 'version'", REVISION: "set 'revision'", SOURCE_DATE_EPOCH: "set 'sourceDateEpoch'" };
            const fix = (GO_ENV_NAMES as readonly string[]).includes(key) ? `set it in 'goEnv'` : owners[key] ?? "remove it (the library sets it)";
            problems.add(`buildArgs.${key}`, "conflict", `'buildArgs.${key}' is owned by the generated Dockerfile: ${fix}.`);
        }
    }
    if (module) checkDockerignoreKeepsModule(input.dockerignore ?? [], problems);

    problems.throwIfAny(name);
    // Every problem above was collected; from here on the values are known to be valid.
    const mod = module as GoModule;
    const main = mainPackage as string;
    return {
        name,
        context: input.context,
        module: mod,
        mainPackage: main,
        binaryName: input.binaryName ?? defaultBinaryName(main, mod.path),
        goVersion: goVersion as string,
        builderImage: input.builderImage ?? "golang",
        builderTagSuffix: input.builderTagSuffix ?? "-alpine",
        builderDigest: input.digests?.builder,
        runtime: runtime as RuntimePlan,
        cgo: input.cgo ?? false,
        versionVariable: input.versionVariable ?? "main.version",
        ldflags: [...(input.ldflags ?? [])],
        buildTags: [...new Set([...(input.buildTags ?? []), ...(input.embedTzdata === false ? [] : ["timetzdata"])])].sort(),
        port: input.port === false ? undefined : (input.port ?? 8080),
        user: input.user ?? 65532,
        command: [...(input.command ?? [])],
        env: sortedEntries(input.env),
        labels: sortedEntries(input.labels),
        sourceUrl: input.sourceUrl,
        dockerignoreExtra: [...(input.dockerignore ?? [])],
        buildArgs: sortedEntries({ ...(input.goEnv ?? {}), ...(input.buildArgs ?? {}) } as Record<string, string>),
        version: input.version,
        revision: input.revision,
        platform: input.platform,
        sourceDateEpoch: input.sourceDateEpoch ?? 0,
    };
}

function resolveMain(input: ResolveInput, problems: Problems): string | undefined {
    if (input.main !== undefined) {
        const bad = rules.mainPackage("main", input.main);
        if (bad) {
            problems.add("main", "invalid", bad);
            return undefined;
        }
        const normalized = input.main === "." ? "." : input.main.replace(/\/+$/, "");
        if (!isMainPackage(path.join(input.context, normalized))) {
            problems.add("main", "not-found", `'main' ${show(input.main)} is not a package main in ${show(input.context)}: point it at the directory whose .go files say \`package main\`.`);
            return undefined;
        }
        return normalized;
    }
    const candidates = findMainPackages(input.context);
    if (candidates.length === 1) return candidates[0];
    if (candidates.length === 0) {
        problems.add("main", "not-found", `no main package found in ${show(input.context)} (looked at the module root and cmd/*): set 'main' to the package to build, e.g. "./cmd/api".`);
    } else {
        problems.add("main", "ambiguous", `several main packages in ${show(input.context)}: ${candidates.join(", ")}; set 'main' to the one to build.`);
    }
    return undefined;
}

function resolveRuntime(choice: RuntimeChoice | undefined, pin: string | undefined, problems: Problems): RuntimePlan | undefined {
    const at = pin ? `@${pin}` : "";
    if (choice === undefined || choice === "scratch") {
        if (pin !== undefined) problems.add("digests.runtime", "invalid", `'digests.runtime' is set but runtime "scratch" is not an image and has no digest: remove the pin.`);
        return { kind: "scratch", image: "scratch" };
    }
    if (choice === "distroless" || choice === "alpine") return { kind: choice, image: RUNTIME_IMAGES[choice] + at };
    if (typeof choice === "object" && choice !== null && typeof choice.image === "string") {
        const bad = rules.imageReference("runtime.image", choice.image);
        if (bad) {
            problems.add("runtime.image", "invalid", bad);
            return undefined;
        }
        if (pin && choice.image.includes("@")) {
            problems.add("digests.runtime", "conflict", `'runtime.image' already has a digest and 'digests.runtime' sets another: keep one.`);
        }
        return { kind: "custom", image: choice.image + at };
    }
    problems.add("runtime", "invalid", `'runtime' must be "scratch", "distroless", "alpine" or { image: "<reference>" }, got ${show(choice)}.`);
    return undefined;
}

function checkBoolean(problems: Problems, field: string, value: unknown): void {
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

function eachEntry(
    problems: Problems,
    field: string,
    map: Readonly<Record<string, string>> | undefined,
    keyRule: rules.Rule<string>,
    valueRule: rules.Rule<string>,
): void {
    if (map === undefined) return;
    if (typeof map !== "object" || map === null || Array.isArray(map)) {
        problems.add(field, "invalid", `'${field}' must be an object of string values, got ${show(map)}.`);
        return;
    }
    for (const [key, value] of Object.entries(map)) {
        const message = keyRule(`${field} key`, key) ?? valueRule(`${field}.${key}`, value);
        if (message) problems.add(`${field}.${key}`, "invalid", message);
    }
}

/** The user's extra patterns must not drop what every Go build needs. */
function checkDockerignoreKeepsModule(extra: readonly string[], problems: Problems): void {
    if (!Array.isArray(extra) || extra.some((p) => typeof p !== "string" || rules.ignorePattern("", p))) return;
    const matcher = ignore().add(dockerignorePatterns(extra));
    for (const file of ["go.mod", "go.sum", "main.go", "vendor/modules.txt"]) {
        if (matcher.ignores(file)) {
            problems.add("dockerignore", "conflict", `'dockerignore' patterns exclude ${show(file)}, which the build needs: remove or narrow the pattern.`);
        }
    }
}

function sortedEntries(map: Readonly<Record<string, string>> | undefined): Array<readonly [string, string]> {
    return Object.entries(map ?? {}).sort(byName);
}

function defaultBinaryName(main: string, modulePath: string): string {
    const last = (main === "." ? modulePath : main).split("/").filter(Boolean).pop() ?? "app";
    // A module path may end in a major version suffix (example.com/api/v2): name it after the path before.
    const name = /^v\d+$/.test(last) && main === "." ? modulePath.split("/").slice(-2, -1)[0] ?? last : last;
    return rules.binaryName("binaryName", name) ? "app" : name;
}

