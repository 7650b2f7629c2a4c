import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { GoServiceImageError, show } from "./errors";
import { isOursOrAbsent, portablePath, writeFilesIfChanged } from "./files";
import { resolveWorkflow } from "./workflow/plan";
import { buildWorkflow } from "./workflow/build";
import { renderWorkflow } from "./workflow/render";
import { MARKER } from "./dockerfile/build";
import { ResolveInput, resolve } from "./resolve";
import * as rules from "./resolve/rules";
import { buildSpec } from "./spec";
import { planFiles, writeFiles } from "./generated-files";
import { imageBuildInputs, NetworkMode } from "./build-inputs";
import { EngineError, engineBuild, enginePush } from "./engine";

const USAGE = `Usage:
  go-service-image render <module dir> [--out <dir>] [options]
      Writes the Dockerfile, .dockerignore and GitHub Actions workflow that GoServiceImage generates, without Pulumi.
  go-service-image build <module dir> --repository <repo> [--push] [options]
      Generates the files as GoServiceImage does (Dockerfile under .go-service-image/<name>/,
      .dockerignore in the module dir), builds them with the local engine exactly as the
      component has @pulumi/docker build them, and prints repo:tag, or with --push repo@sha256:...

Options for both:
  --name <name>             service name, the image title (default: the module dir's name)
  --main <pkg>              main package, e.g. ./cmd/api (default: detected)
  --go-version <v>          builder Go version (default: from go.mod)
  --runtime <r>             scratch | distroless | alpine | <image reference> (default: scratch)
  --port <n>|none           EXPOSE port (default: 8080)
  --user <uid>              numeric non-root user (default: 65532)
  --binary-name <name>      binary name (default: from the main package)
  --version-variable <v>    Go variable stamped with the version (default: main.version)
  --ldflags=<word>          extra -ldflags word (repeatable; use = for words starting with -)
  --build-tag <tag>         Go build tag (repeatable)
  --no-tzdata               do not embed the time zone database
  --cgo                     build with cgo (not for scratch or distroless)
  --env <K=V>               runtime environment variable (repeatable)
  --label <K=V>             image label (repeatable)
  --source-url <url>        org.opencontainers.image.source label
  --dockerignore <pattern>  extra .dockerignore pattern (repeatable)
  --builder-digest <d>      pin the builder image by digest (sha256:...)
  --runtime-digest <d>      pin the runtime image by digest (sha256:...)
  --args <json>             any GoServiceImage build option as JSON, e.g. '{"port":9000,"labels":{"team":"a"}}';
                            flags given as well win over it

render:
  --out <dir>               where to write Dockerfile and .dockerignore (default: the module dir)
  --repo-root <dir>         the repository root: the workflow goes to <repo-root>/.github/workflows/<name>.yml
                            (default: --out), and --service-dir defaults to the module dir relative to it
  --service-dir <path>      the module's path in the repository (default: see --repo-root, else .)
  --default-branch <b>      branch that pushes images (default: main)
  --platforms <list>        image platforms, comma-separated (default: linux/amd64)
  --golangci-lint-version <v>  pinned linter version (default: v2.15.0)
  --no-govulncheck          leave out govulncheck
  --sbom, --provenance      attestations on the pushed image
  --sign                    cosign keyless signing of the pushed digest
  --runs-on <label>         runner label (default: ubuntu-24.04)
  --variable-prefix <P>     prefix of the repository variables and secret (default: from the name)

build:
  --repository <repo>       image repository without tag, e.g. ghcr.io/acme/api (required)
  --push                    push and print the pushed image by digest
  --platform <p>            target platform, e.g. linux/arm64 (default: the engine's)
  --network <mode>          default | host | none (engines without a bridge need host)
  --version <v>             version to stamp (default: the content tag)
  --revision <r>            revision label, e.g. the commit SHA
  --go-env <K=V>            GOPROXY, GOPRIVATE, GOFLAGS, ... build arg (repeatable)
  --build-arg <K=V>         extra build arg (repeatable)
  --netrc <file>            netrc for private modules, given to the build as the BuildKit secret "netrc"
  --docker <path>           docker client (default: $GO_SERVICE_IMAGE_DOCKER or docker)
  --generated-dir <dir>     where <name>/Dockerfile is written (default: .go-service-image)
  --keep-dockerignore       keep the module's own .dockerignore
`;

/** A usage or input error: exit code 2 and a one-line reason. */
class UsageError extends Error {}

const OPTIONS = {
    out: { type: "string" },
    name: { type: "string" },
    main: { type: "string" },
    "go-version": { type: "string" },
    runtime: { type: "string" },
    port: { type: "string" },
    user: { type: "string" },
    "binary-name": { type: "string" },
    "version-variable": { type: "string" },
    ldflags: { type: "string", multiple: true },
    "build-tag": { type: "string", multiple: true },
    "no-tzdata": { type: "boolean" },
    cgo: { type: "boolean" },
    env: { type: "string", multiple: true },
    label: { type: "string", multiple: true },
    "source-url": { type: "string" },
    dockerignore: { type: "string", multiple: true },
    "builder-digest": { type: "string" },
    "runtime-digest": { type: "string" },
    repository: { type: "string" },
    push: { type: "boolean" },
    platform: { type: "string" },
    network: { type: "string" },
    version: { type: "string" },
    revision: { type: "string" },
    "go-env": { type: "string", multiple: true },
    "build-arg": { type: "string", multiple: true },
    docker: { type: "string" },
    netrc: { type: "string" },
    "generated-dir": { type: "string" },
    "keep-dockerignore": { type: "boolean" },
    "repo-root": { type: "string" },
    "service-dir": { type: "string" },
    "default-branch": { type: "string" },
    platforms: { type: "string" },
    "golangci-lint-version": { type: "string" },
    "no-govulncheck": { type: "boolean" },
    sbom: { type: "boolean" },
    provenance: { type: "boolean" },
    sign: { type: "boolean" },
    "runs-on": { type: "string" },
    "variable-prefix": { type: "string" },
    args: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

/** Runs the command line; returns the exit code. Output goes to the given writers. */
export function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
    try {
        const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
        if (values.help || positionals.length === 0) {
            out(USAGE);
            return values.help ? 0 : 2;
        }
        const [command, ...rest] = positionals;
        if (command !== "render" && command !== "build") throw new UsageError(`unknown command ${show(command)}: the commands are: render, build`);
        if (rest.length !== 1) throw new UsageError(`${command} takes one module directory, got ${rest.length}`);
        if (command === "render") {
            for (const file of render(rest[0], values)) out(`wrote ${file}\n`);
        } else {
            out(build(rest[0], values) + "\n");
        }
        return 0;
    } catch (e) {
        if (e instanceof GoServiceImageError) {
            err(`go-service-image: ${e.problems.map((p) => p.message).join(" ")}\n`);
            return 2;
        }
        if (e instanceof EngineError) {
            err(`go-service-image: ${e.message}\n`);
            return 1;
        }
        if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
            err(`go-service-image: ${(e as Error).message.split("\n")[0]} (see --help)\n`);
            return 2;
        }
        err(`go-service-image: ${(e as Error).message}\n`);
        return 1;
    }
}

/** Resolves and writes the Dockerfile, .dockerignore and workflow; returns the paths written (or already up to date). */
function render(dir: string, values: Values): string[] {
    const name = values.name ?? path.basename(path.resolve(dir));
    const plan = resolve(name, toInput(dir, values));
    const spec = buildSpec(plan);
    const outDir = values.out ?? dir;
    const repoRoot = values["repo-root"];
    const workflow = resolveWorkflow(plan, {
        serviceDir: values["service-dir"] ?? (repoRoot ? portablePath(dir, repoRoot) : undefined),
        defaultBranch: values["default-branch"],
        platforms: values.platforms?.split(",").map((p) => p.trim()),
        golangciLintVersion: values["golangci-lint-version"],
        govulncheck: values["no-govulncheck"] ? false : undefined,
        sbom: values.sbom,
        provenance: values.provenance,
        sign: values.sign,
        runsOn: values["runs-on"],
        variablePrefix: values["variable-prefix"],
    });
    const files: Array<[string, string]> = [
        [path.join(outDir, "Dockerfile"), spec.dockerfile],
        [path.join(outDir, ".dockerignore"), spec.dockerignore],
        [path.join(repoRoot ?? outDir, workflow.path), renderWorkflow(buildWorkflow(workflow))],
    ];
    for (const [file] of files) {
        if (!isOursOrAbsent(file, MARKER)) {
            throw new UsageError(`${show(file)} exists and was not generated by go-service-image: move it away or choose another --out`);
        }
    }
    writeFilesIfChanged(files);
    return files.map(([file]) => file);
}

/** Builds (and pushes) as the component would; returns what to print. */
function build(dir: string, values: Values): string {
    if (!values.repository) throw new UsageError("build needs --repository, e.g. --repository ghcr.io/acme/api");
    const repoProblem = rules.repository("repository", values.repository);
    if (repoProblem) throw new UsageError(repoProblem);
    const network = values.network;
    if (network !== undefined && !["default", "host", "none"].includes(network)) {
        throw new UsageError(`--network must be default, host or none, got ${show(network)}`);
    }
    if (values.netrc !== undefined && !fs.existsSync(values.netrc)) throw new UsageError(`--netrc ${show(values.netrc)} does not exist`);
    const name = values.name ?? path.basename(path.resolve(dir));
    const keepIgnore = values["keep-dockerignore"] === true;
    const plan = resolve(name, toInput(dir, values));
    const spec = buildSpec(plan, keepIgnore);
    const files = planFiles(name, dir, spec, { writeDockerignore: !keepIgnore, generatedDir: values["generated-dir"] });
    writeFiles(files);
    const engine = { docker: values.docker, stdio: "inherit" as const, secrets: values.netrc ? { netrc: path.resolve(values.netrc) } : undefined };
    const inputs = imageBuildInputs(dir, files.dockerfilePath, spec, network as NetworkMode | undefined);
    engineBuild(inputs, `${values.repository}:${spec.tag}`, engine);
    if (!values.push) return `${values.repository}:${spec.tag}`;
    return enginePush(name, values.repository, spec.tag, engine).imageRef;
}

function toInput(dir: string, v: Values): ResolveInput {
    const fromFlags: ResolveInput = {
        context: dir,
        main: v.main,
        goVersion: v["go-version"],
        runtime: v.runtime === undefined || ["scratch", "distroless", "alpine"].includes(v.runtime) ? (v.runtime as "scratch" | undefined) : { image: v.runtime },
        port: v.port === "none" ? false : v.port === undefined ? undefined : number("port", v.port),
        user: v.user === undefined ? undefined : number("user", v.user),
        binaryName: v["binary-name"],
        versionVariable: v["version-variable"],
        ldflags: v.ldflags,
        buildTags: v["build-tag"],
        embedTzdata: v["no-tzdata"] ? false : undefined,
        cgo: v.cgo,
        env: pairs("env", v.env),
        labels: pairs("label", v.label),
        sourceUrl: v["source-url"],
        dockerignore: v.dockerignore,
        digests: v["builder-digest"] || v["runtime-digest"] ? { builder: v["builder-digest"], runtime: v["runtime-digest"] } : undefined,
        platform: v.platform,
        version: v.version,
        revision: v.revision,
        goEnv: pairs("go-env", v["go-env"]),
        buildArgs: pairs("build-arg", v["build-arg"]),
    };
    const defined = Object.fromEntries(Object.entries(fromFlags).filter(([, value]) => value !== undefined));
    return { ...jsonArgs(v.args), ...defined } as ResolveInput;
}

/** `--args`: a JSON object of options; the module dir comes from the command line only. */
function jsonArgs(text: string | undefined): Partial<ResolveInput> {
    if (text === undefined) return {};
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new UsageError(`--args is not JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UsageError("--args must be a JSON object of options");
    if ("context" in parsed) throw new UsageError("--args must not set context: give the module dir as the argument");
    return parsed as Partial<ResolveInput>;
}

function number(flag: string, s: string): number {
    if (!/^\d+$/.test(s)) throw new UsageError(`--${flag} must be a whole number, got ${show(s)}`);
    return Number(s);
}

function pairs(flag: string, list: string[] | undefined): Record<string, string> | undefined {
    if (list === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const item of list) {
        const i = item.indexOf("=");
        if (i <= 0) throw new UsageError(`--${flag} must be KEY=VALUE, got ${show(item)}`);
        out[item.slice(0, i)] = item.slice(i + 1);
    }
    return out;
}
