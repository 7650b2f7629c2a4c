import * as path from "path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import * as fs from "fs";
import { BuildxOptions, DEFAULTS, GoServiceImageArgs, InfraLanguage, WorkflowOptions } from "./args";
import { isOurs } from "./resolve/files";
import { writeFilesIfChanged } from "./write";
import { GoServiceImageError, show } from "./errors";
import { buildxBuild } from "./image/buildx";
import { EngineError, engineBuild, enginePush } from "./image/engine";
import { prepare, writeGenerated } from "./pipeline";
import { Claims } from "./resolve/claims";
import { parseGoMod } from "./resolve/gomod";
import { execName } from "./resolve/image";
import { LIBRARY_VERSION } from "./version";

/** A usage error found while mapping flags: exit code 2 and a one-line reason. */
class UsageError extends Error {}

type Values = Record<string, unknown>;

const def = (value: unknown) => ` (default: ${typeof value === "string" ? value : JSON.stringify(value)})`;

const wholeNumber = (flag: string) => (s: string): number => {
    if (!/^-?\d+$/.test(s)) throw new InvalidArgumentError(`${flag} must be a whole number, got ${show(s)}.`);
    return Number(s);
};
const collect = (s: string, list: string[] = []): string[] => [...list, s];

/** The options both commands take: the build-shaping settings of ServiceOptions and BuildSettings. */
function imageOptions(cmd: Command): Command {
    return cmd
        .option("--name <name>", "service name, the image title (default: what go build names the module's binary: its path's last element, before a /vN suffix)")
        .option("--main <pkg>", "main package, e.g. ./cmd/api; repeat it to ship several in one image, or ./cmd/* for every one (default: detected)", collect)
        .option("--entrypoint <name>", "the binary the container runs when several are built (default: the first)")
        .option("--root <dir>", "the repository root local modules must lie in (default: the nearest directory with .git)")
        .option("--no-workspace", "build the module on its own (GOWORK=off) even when a go.work lists it")
        .option("--go-version <v>", "builder Go version (default: from go.mod)")
        .option("--builder-image <repo>", `builder image repository${def(DEFAULTS.builderImage)}`)
        .option("--builder-tag-suffix <s>", `builder tag suffix${def(DEFAULTS.builderTagSuffix)}`)
        .option("--runtime <r>", `scratch | distroless | alpine | <image reference>${def(DEFAULTS.runtime)}`)
        .option("--port <n>", `EXPOSE port, or none${def(DEFAULTS.port)}`, (s: string) => (s === "none" ? 0 : wholeNumber("--port")(s)))
        .option("--user <uid>", `numeric non-root user${def(DEFAULTS.user)}`, wholeNumber("--user"))
        .option("--binary-name <name>", "binary name (default: from the main package)")
        .option("--version-variable <v>", `Go variable stamped with the version${def(DEFAULTS.versionVariable)}`)
        .option("--ldflags <word>", "extra -ldflags word (repeatable; use --ldflags=<word> for words starting with -)", collect)
        .option("--build-tag <tag>", "Go build tag (repeatable)", collect)
        .option("--no-tzdata", "do not embed the time zone database")
        .option("--cgo", `build with cgo (not for scratch or distroless)${def(DEFAULTS.cgo)}`)
        .option("--env <K=V>", "runtime environment variable (repeatable)", collect)
        .option("--label <K=V>", "image label (repeatable)", collect)
        .option("--source-url <url>", "org.opencontainers.image.source label")
        .option("--dockerignore <pattern>", "extra .dockerignore pattern (repeatable)", collect)
        .option("--builder-digest <d>", "pin the builder image by digest (sha256:...)")
        .option("--runtime-digest <d>", "pin the runtime image by digest (sha256:...)")
        .option("--platform <p>", `target platform${def(DEFAULTS.platform)}`)
        .option("--args <json>", "any GoServiceImage option as JSON, e.g. '{\"port\":9000}'; flags given as well win over it");
}

/** The build settings (BuildSettings) the build and inputs commands take: they change the build, not the files. */
function settingOptions(cmd: Command): Command {
    return cmd
        .option("--image-version <v>", "version to stamp (default: the content tag)")
        .option("--revision <r>", `revision label, e.g. the commit SHA${def(DEFAULTS.revision)}`)
        .option("--source-date-epoch <s>", `time of every runtime file, seconds since 1970${def(DEFAULTS.sourceDateEpoch)}`, wholeNumber("--source-date-epoch"))
        .option("--go-env <K=V>", "GOPROXY, GOPRIVATE, GOFLAGS, ... build arg (repeatable)", collect)
        .option("--build-arg <K=V>", "extra build arg (repeatable)", collect);
}

/** Builds the command line program; output goes to the given writers. */
function program(out: (s: string) => void, err: (s: string) => void, done: (lines: string[]) => void): Command {
    const root = new Command("go-service-image")
        .description("Generates, builds and pushes Go service images the way the GoServiceImage Pulumi component does.")
        .version(LIBRARY_VERSION, "--version", "print the version")
        .helpOption("-h, --help", "show help")
        .exitOverride()
        // The root's options (--version) only before a command: after one, `build --version 1.2.3`
        // would print the tool's version and exit 0 without building.
        .enablePositionalOptions()
        .configureOutput({ writeOut: out, writeErr: err, outputError: () => undefined })
        .showHelpAfterError(false);

    imageOptions(
        root
            .command("render")
            .description("Writes the Dockerfile, its allow-list (Dockerfile.dockerignore) and the GitHub Actions workflow that GoServiceImage generates, without Pulumi.")
            .argument("<module-dir>", "the Go module directory (the one with go.mod)")
            .option("--out <dir>", "where the Dockerfile and Dockerfile.dockerignore go (default: the module dir)")
            .option("--repo-root <dir>", "the repository root: the workflow goes to <repo-root>/.github/workflows/<name>.yml (default: --out)")
            .option("--service-dir <path>", "the module's path in the repository (default: the module dir relative to --repo-root, else its path in the build context)")
            .option("--default-branch <b>", `branch that pushes images${def(DEFAULTS.github.defaultBranch)}`)
            .option("--platforms <list>", `image platforms, comma-separated${def(DEFAULTS.github.platforms.join(","))}`)
            .option("--golangci-lint-version <v>", `pinned linter version${def(DEFAULTS.github.golangciLintVersion)}`)
            .option("--no-govulncheck", "leave out govulncheck")
            .option("--sbom", "SBOM attestation on the pushed image")
            .option("--provenance", "provenance attestation on the pushed image")
            .option("--sign", "cosign keyless signing of the pushed digest (the identity goes to the public Rekor log)")
            .option("--attest", "GitHub artifact attestation of the pushed digest's build provenance")
            .option("--code-scanning", "the daily scan reports to code scanning (SARIF) instead of failing on findings")
            .option("--runs-on <label>", `runner label${def(DEFAULTS.github.runsOn)}`)
            .option("--variable-prefix <P>", "prefix of the repository variables and secret (default: from the name)"),
    ).action((dir: string, values: Values) => done(render(dir, values)));

    settingOptions(imageOptions(
        root
            .command("build")
            .description("Generates the files as GoServiceImage does, builds them with the local engine exactly as the component has @pulumi/docker build them, and prints repo:tag, or with --push repo@sha256:...")
            .argument("<module-dir>", "the Go module directory (the one with go.mod)")
            .option("--repository <repo>", "image repository without tag, e.g. ghcr.io/acme/api (required; or in --args)")
            .option("--push", "push and print the pushed image by digest")
            .addOption(new Option("--network <mode>", "network of the build's RUN steps (engines without a bridge need host)").choices(["default", "host", "none"]))
            .option("--netrc <file>", 'netrc for private modules, given to the build as the BuildKit secret "netrc"')
            .option("--docker <path>", "docker client (default: $GO_SERVICE_IMAGE_DOCKER or docker)")
            .option("--generated-dir <dir>", `where <name>/Dockerfile and its Dockerfile.dockerignore are written${def(DEFAULTS.generatedDir)}`)
            .option("--builder <name|endpoint>", "build with buildx on this builder, or on the BuildKit at an endpoint such as tcp://buildkit:1234")
            .option("--platforms <list>", "build with buildx for these platforms, one image index, e.g. linux/amd64,linux/arm64 (needs --push for several)")
            .option("--cache-from <cache>", "buildx cache import, e.g. type=registry,ref=ghcr.io/acme/api:cache (repeatable)", collect)
            .option("--cache-to <cache>", "buildx cache export, e.g. type=registry,ref=ghcr.io/acme/api:cache,mode=max (repeatable)", collect),
    )).action(async (dir: string, values: Values) => done(await build(dir, values, err)));

    settingOptions(imageOptions(
        root
            .command("inputs")
            .description("Prints what GoServiceImage builds for the module, as GitHub Actions step outputs: tag (the content tag), version and build-args. The generated workflow's publish job runs it, so CI pushes the image pulumi up deploys. Fails (exit 2) when the Dockerfile or its allow-list beside --dockerfile is not what these settings render.")
            .argument("<module-dir>", "the Go module directory (the one with go.mod)")
            .option("--dockerfile <file>", "the committed Dockerfile to check (its allow-list is <file>.dockerignore) (default: <module-dir>/Dockerfile)")
            .option("--platforms <list>", "the platforms of the image index, comma-separated (default: --platform)"),
    )).action((dir: string, values: Values) => done(inputs(dir, values)));

    root.command("render-preview")
        .description("Writes the infrastructure repository's workflow that PreviewWorkflow generates: pulumi preview --diff on pull requests as a comment, pulumi up on the default branch behind a deployment environment.")
        .requiredOption("--stack <name>", "the stack to preview and update, e.g. prod or acme/infra/prod")
        .option("--repo-root <dir>", "the infrastructure repository: the workflow goes to <repo-root>/.github/workflows/pulumi-<stack>.yml", ".")
        .option("--work-dir <dir>", `the Pulumi project's directory in the repository${def(DEFAULTS.preview.workDir)}`)
        .addOption(new Option("--language <l>", `the program's language${def(DEFAULTS.preview.language)}`).choices(Object.values(InfraLanguage)))
        .option("--default-branch <b>", `the branch pulumi up runs on${def(DEFAULTS.preview.defaultBranch)}`)
        .option("--pulumi-version <v>", `pinned Pulumi CLI version${def(DEFAULTS.preview.pulumiVersion)}`)
        .option("--backend-url <url>", "a self-managed backend (s3://…, azblob://…, gs://…) instead of Pulumi Cloud")
        .option("--runs-on <label>", `runner label${def(DEFAULTS.preview.runsOn)}`)
        .action((values: Values) => done(renderPreview(values)));
    return root;
}

/**
 * Runs the command line; resolves to the exit code: 0 done, 2 bad input (one line naming the
 * field, value and fix; nothing written), 1 a failed build or push.
 */
export async function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
    let lines: string[] = [];
    try {
        const cmd = program(out, err, (l) => (lines = l));
        if (argv.length === 0) {
            out(cmd.helpInformation());
            return 2;
        }
        await cmd.parseAsync([...argv], { from: "user" });
        for (const line of lines) out(line + "\n");
        return 0;
    } catch (e) {
        if (e instanceof CommanderError) {
            if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
            err(`go-service-image: ${usageMessage(e)} (see --help)\n`);
            return 2;
        }
        if (e instanceof GoServiceImageError) {
            err(`go-service-image: ${e.problems.map((p) => p.message).join(" ")}\n`);
            return 2;
        }
        if (e instanceof UsageError) {
            err(`go-service-image: ${e.message} (see --help)\n`);
            return 2;
        }
        if (e instanceof EngineError) {
            err(`go-service-image: ${e.message}\n`);
            return 1;
        }
        err(`go-service-image: ${(e as Error).message}\n`);
        return 1;
    }
}

/** Commander's message on one line, its "(Did you mean …?)" hint kept; a command's --version names the flag meant. */
function usageMessage(e: CommanderError): string {
    if (e.code === "commander.unknownOption" && /'--version'/.test(e.message)) {
        return "unknown option '--version' for a command: --version (before any command) prints the tool's version; build stamps a version into the image with --image-version <v>";
    }
    return e.message.replace(/^error: /, "").split("\n").map((l) => l.trim()).filter(Boolean).join(" ");
}

/** Writes the preview workflow into the repository; a file there that the library did not write is never overwritten. */
function renderPreview(v: Values): string[] {
    // Loaded here, not at start-up: it loads the YAML library, which the other commands need only for a workflow.
    const { previewWorkflow } = require("./preview") as typeof import("./preview");
    const generated = previewWorkflow(defined({
        stack: v.stack as string,
        workDir: v.workDir as string | undefined,
        language: v.language as InfraLanguage | undefined,
        defaultBranch: v.defaultBranch as string | undefined,
        pulumiVersion: v.pulumiVersion as string | undefined,
        backendUrl: v.backendUrl as string | undefined,
        runsOn: v.runsOn as string | undefined,
    }));
    const file = path.join(v.repoRoot as string, generated.path);
    if (fs.existsSync(file) && !isOurs(file)) throw new UsageError(`${file} exists and was not generated by go-service-image: move it away or choose another --stack`);
    writeFilesIfChanged(generated.plan.stack, [[file, generated.text]]);
    return [`wrote ${file}`];
}

/** Resolves and writes the Dockerfile, its allow-list and the workflow; returns what to print. */
function render(dir: string, v: Values): string[] {
    const repoRoot = v.repoRoot as string | undefined;
    const workflow: WorkflowOptions = {
        serviceDir: (v.serviceDir as string | undefined) ?? (repoRoot ? path.relative(repoRoot, dir).split(path.sep).join("/") || "." : undefined),
        defaultBranch: v.defaultBranch as string | undefined,
        platforms: (v.platforms as string | undefined)?.split(",").map((p) => p.trim()),
        golangciLintVersion: v.golangciLintVersion as string | undefined,
        govulncheck: v.govulncheck === false ? false : undefined,
        sbom: v.sbom as boolean | undefined,
        provenance: v.provenance as boolean | undefined,
        sign: v.sign as boolean | undefined,
        attest: v.attest as boolean | undefined,
        codeScanning: v.codeScanning as boolean | undefined,
        runsOn: v.runsOn as string | undefined,
        variablePrefix: v.variablePrefix as string | undefined,
    };
    const prepared = prepare({ name: nameOf(dir, v), args: argsOf(dir, v), purpose: "render", out: v.out as string | undefined, repoRoot, workflow: defined(workflow), claims: new Claims() });
    writeGenerated(prepared);
    return prepared.writes.map(([file]) => `wrote ${file}`);
}

/** The delimiter of a multi-line step output (GitHub's `name<<DELIMITER` syntax); no build arg can hold it, as none holds a line break. */
const EOF_MARK = "GO_SERVICE_IMAGE_EOF";

/**
 * What the component builds, as step outputs: resolved and rendered by the same pipeline, so the
 * tag, version and build args are the component's. The committed Dockerfile and allow-list must
 * be what the settings render (else CI would build other bytes under the component's tag).
 */
function inputs(dir: string, v: Values): string[] {
    const args = argsOf(dir, v);
    // --platforms, as build reads it: the index's platforms are part of what the tag names.
    const flags = buildxOf(v);
    const prepared = prepare({ name: nameOf(dir, v), args: flags ? { ...args, buildx: { ...args.buildx, ...flags } } : args, purpose: "inputs", push: true, claims: new Claims() });
    const dockerfile = (v.dockerfile as string | undefined) ?? prepared.plan.files.dockerfile;
    for (const [file, text] of [[dockerfile, prepared.dockerfile], [`${dockerfile}.dockerignore`, prepared.dockerignore]]) {
        let found: string | undefined;
        try {
            found = fs.readFileSync(file, "utf8");
        } catch (e) {
            throw new UsageError(`${file} cannot be read (${(e as NodeJS.ErrnoException).code}): it is provisioned with the workflow; run pulumi up for the stack that declares ${prepared.plan.name}`);
        }
        if (found !== text) throw new UsageError(`${file} is not what pulumi-go-service-image ${LIBRARY_VERSION} renders for these settings, so this build would not be the one pulumi up deploys: the file and the workflow come from different runs; run pulumi up for the stack that declares ${prepared.plan.name} (or go-service-image render) and commit the result`);
    }
    return [`tag=${prepared.tag}`, `version=${prepared.version}`, `build-args<<${EOF_MARK}`, ...Object.entries(prepared.build.args).map(([k, val]) => `${k}=${val}`), EOF_MARK];
}

/** Builds (and pushes) as the component would; returns what to print. */
async function build(dir: string, v: Values, err: (s: string) => void): Promise<string[]> {
    const name = nameOf(dir, v);
    const args = argsOf(dir, v);
    const flags = buildxOf(v);
    const prepared = prepare({
        name,
        args: { ...args, ...defined({ generatedDir: v.generatedDir as string | undefined, buildx: flags && { ...args.buildx, ...flags } }) },
        purpose: "build",
        netrc: v.netrc as string | undefined,
        push: v.push === true,
        // One service per invocation: nothing claimed by an earlier run in this process applies.
        claims: new Claims(),
    });
    writeGenerated(prepared);
    const repository = prepared.plan.deployment.repository as string;
    const engine = { docker: v.docker as string | undefined, progress: err, secrets: v.netrc ? { netrc: path.resolve(v.netrc as string) } : undefined };
    const buildx = prepared.plan.buildx;
    if (buildx) {
        // The CLI's caches are strings: flags, or JSON in --args.
        const options = { builder: buildx.builder, platforms: [...buildx.platforms], cacheFrom: buildx.cacheFrom as string[], cacheTo: buildx.cacheTo as string[] };
        const ref = await buildxBuild(name, prepared.build, repository, prepared.tag, options, v.push === true, engine);
        return [ref ? ref.imageRef : `${repository}:${prepared.tag}`];
    }
    await engineBuild(prepared.build, `${repository}:${prepared.tag}`, engine);
    if (!v.push) return [`${repository}:${prepared.tag}`];
    return [(await enginePush(name, repository, prepared.tag, engine)).imageRef];
}

/**
 * The service's name: `--name`, else what `go build` would name the module's binary (its module
 * path's last element, or the one before a major version suffix: a module in `v2/` is not "v2"),
 * else the directory's name when go.mod cannot be read (resolve then reports why).
 */
function nameOf(dir: string, v: Values): string {
    if (v.name !== undefined) return v.name as string;
    try {
        const modulePath = parseGoMod(fs.readFileSync(path.join(dir, "go.mod"), "utf8")).module;
        if (modulePath) return execName(modulePath);
    } catch {
        // no readable go.mod: resolve says so, naming the file
    }
    return path.basename(path.resolve(dir));
}

/** The flags as GoServiceImage arguments, over `--args`: a flag given wins. */
function argsOf(dir: string, v: Values): GoServiceImageArgs {
    const runtime = v.runtime as string | undefined;
    const fromFlags: Record<string, unknown> = {
        ...mainsOf(v.main as string[] | undefined),
        entrypoint: v.entrypoint,
        root: v.root,
        workspace: v.workspace === false ? false : undefined,
        goVersion: v.goVersion,
        builderImage: v.builderImage,
        builderTagSuffix: v.builderTagSuffix,
        runtime,
        port: v.port,
        user: v.user,
        binaryName: v.binaryName,
        versionVariable: v.versionVariable,
        ldflags: v.ldflags,
        buildTags: v.buildTag,
        embedTzdata: v.tzdata === false ? false : undefined,
        cgo: v.cgo,
        env: pairs("env", v.env),
        labels: pairs("label", v.label),
        sourceUrl: v.sourceUrl,
        dockerignore: v.dockerignore,
        digests: v.builderDigest || v.runtimeDigest ? { builder: v.builderDigest, runtime: v.runtimeDigest } : undefined,
        platform: v.platform,
        repository: v.repository,
        network: v.network,
        version: v.imageVersion,
        revision: v.revision,
        sourceDateEpoch: v.sourceDateEpoch,
        goEnv: pairs("go-env", v.goEnv),
        buildArgs: pairs("build-arg", v.buildArg),
    };
    return { ...jsonArgs(v.args as string | undefined), ...defined(fromFlags), context: dir } as GoServiceImageArgs;
}

/** The buildx flags, when any is given: then the build runs on buildx. */
function buildxOf(v: Values): BuildxOptions | undefined {
    const out = defined({
        builder: v.builder as string | undefined,
        platforms: (v.platforms as string | undefined)?.split(",").map((p) => p.trim()),
        cacheFrom: v.cacheFrom as string[] | undefined,
        cacheTo: v.cacheTo as string[] | undefined,
    });
    return Object.keys(out).length > 0 ? out : undefined;
}

/** One --main is `main`; several (or a `*`) are `mains`. */
function mainsOf(list: string[] | undefined): { main?: string; mains?: string[] } {
    if (list === undefined) return {};
    return list.length === 1 && !list[0].endsWith("*") ? { main: list[0] } : { mains: list };
}

function defined<T extends object>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined)) as T;
}

/** `--args`: a JSON object of options; the module dir comes from the command line only. */
function jsonArgs(text: string | undefined): Record<string, unknown> {
    if (text === undefined) return {};
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new UsageError(`--args is not JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UsageError("--args must be a JSON object of options");
    if ("context" in parsed) throw new UsageError("--args must not set context: give the module dir as the argument");
    return parsed as Record<string, unknown>;
}

function pairs(flag: string, list: unknown): Record<string, string> | undefined {
    if (list === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const item of list as string[]) {
        const i = item.indexOf("=");
        if (i <= 0) throw new UsageError(`--${flag} must be KEY=VALUE, got ${show(item)}`);
        out[item.slice(0, i)] = item.slice(i + 1);
    }
    return out;
}
