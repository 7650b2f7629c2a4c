import { DEFAULTS, GO_ENV_NAMES } from "../../args";
import { byName } from "../../order";
import { ImagePlan } from "../../plan/image";
import { MARKER } from "../marker";
import { DockerfileModel, Instruction, Mount } from "./model";

/** Where the build stage assembles the runtime root filesystem. */
const ROOTFS = "/out/rootfs";
/**
 * Module downloads kept between builds on a builder. The modules themselves are extracted into the
 * download layer (the image's /go/pkg/mod), so a registry cache carries them to a fresh builder.
 */
export const MOD_DOWNLOADS = "/var/cache/gomod";
const MOD_CACHE: Mount = { type: "cache", target: MOD_DOWNLOADS };
export const GO_BUILD_CACHE = "/root/.cache/go-build";
const BUILD_CACHE: Mount = { type: "cache", target: GO_BUILD_CACHE };
/** The compiled dependency packages, in a layer of their own (a registry cache carries it too). */
const DEPS_LAYER = "/var/cache/godeps";
/** Private modules: a netrc given as a BuildKit secret, never a build arg. Optional: absent is fine. */
const NETRC: Mount = { type: "secret", id: "netrc", target: "/root/.netrc" };

/** The characters a version may have; checked again in the build, where any value can arrive. */
export const VERSION_CHARS = "A-Za-z0-9._+-";

/** The path of a binary in the image. */
export function binaryPath(name: string): string {
    return `/usr/local/bin/${name}`;
}

/** A directory of the build context as an absolute path in the build stage. */
function inSrc(dir: string): string {
    return dir === "." ? "/src" : `/src/${dir}`;
}

/** Turns a plan into the Dockerfile model: a cross-compiling build stage and a runtime stage. */
export function dockerfileModel(plan: ImagePlan): DockerfileModel {
    return {
        header: [
            MARKER,
            `Build: DOCKER_BUILDKIT=1 docker build --build-arg VERSION=<version> -f <this file> <build context>`,
            plan.serviceDir === "."
                ? "Build context: the module directory. The allow-list beside this file (Dockerfile.dockerignore) selects what it sends."
                : `Build context: the directory holding ${plan.serviceDir} (the module)${plan.goModules.length > 1 ? " and the local modules it uses" : ""}. The allow-list beside this file (Dockerfile.dockerignore) selects what it sends.`,
        ],
        sections: [
            { instructions: [{ kind: "arg", name: "GO_VERSION", default: plan.goVersion }] },
            { instructions: buildStage(plan) },
            { instructions: runtimeStage(plan) },
        ],
    };
}

function builderRef(plan: ImagePlan): string {
    const digest = plan.builderDigest ? `@${plan.builderDigest}` : "";
    return `${plan.builderImage}:\${GO_VERSION}${plan.builderTagSuffix}${digest}`;
}

function buildStage(plan: ImagePlan): Instruction[] {
    const { module } = plan;
    const out: Instruction[] = [
        {
            kind: "from",
            // cgo needs the target's C toolchain, so it builds on the target platform instead.
            platform: plan.cgo ? undefined : "$BUILDPLATFORM",
            image: builderRef(plan),
            as: "build",
        },
    ];
    if (plan.cgo) {
        out.push({ kind: "run", mounts: [], commands: ["apk add --no-cache gcc musl-dev"] });
    }
    out.push({ kind: "workdir", path: "/src" });
    // The working directory, changed only when a step needs another one.
    let cwd = "/src";
    const cd = (dir: string): void => {
        if (dir !== cwd) out.push({ kind: "workdir", path: dir });
        cwd = dir;
    };
    if (plan.runtime.kind === "scratch") {
        out.push(rootfsStep(plan.user));
    }
    // Module mode builds the service module on its own (GOWORK=off, its own replaces); workspace mode uses the go.work it was resolved with.
    const gowork = plan.workspace ? `${inSrc(plan.workspace.dir)}/go.work` : "off";
    out.push({ kind: "env", vars: [["CGO_ENABLED", plan.cgo ? "1" : "0"], ["GOWORK", gowork]] });
    out.push(...GO_ENV_NAMES.map((name): Instruction => ({ kind: "arg", name })));
    const service = inSrc(plan.serviceDir);
    const { vendored } = module;
    const sums = plan.goModules.some((m) => m.hasGoSum) || (plan.workspace?.hasSum ?? false);
    if (!vendored && sums) {
        out.push({ kind: "comment", text: "Dependencies first: this layer is reused until a go.mod, go.sum or go.work changes." });
        if (plan.workspace) {
            const w = plan.workspace.dir === "." ? "" : `${plan.workspace.dir}/`;
            out.push({ kind: "copy", sources: plan.workspace.hasSum ? [`${w}go.work`, `${w}go.work.sum`] : [`${w}go.work`], dest: `./${w}` });
        }
        for (const m of plan.goModules) {
            const d = m.dir === "." ? "" : `${m.dir}/`;
            out.push({ kind: "copy", sources: m.hasGoSum ? [`${d}go.mod`, `${d}go.sum`] : [`${d}go.mod`], dest: `./${d}` });
        }
        cd(service);
        out.push({
            kind: "run",
            mounts: [MOD_CACHE, NETRC],
            commands: [
                // Fetch into the builder's download cache (only what it lacks), then extract this module set into the layer from there.
                `GOMODCACHE=${MOD_DOWNLOADS} go mod download`,
                `GOPROXY=file://${MOD_DOWNLOADS}/cache/download GONOPROXY= GOPRIVATE= GONOSUMDB= GOSUMDB=off go mod download ${failed(plan, "go mod download", "the lines above say which module and why")}`,
            ],
        });
    }
    out.push({ kind: "arg", name: "TARGETOS" }, { kind: "arg", name: "TARGETARCH" });
    const seeded = plan.dependencyPackages.length > 0;
    if (seeded) {
        out.push({ kind: "comment", text: "The imported packages of other modules and of the standard library compiled before the sources arrive: reused until the modules or the import list change." });
        cd(service);
        out.push(dependencyStep(plan));
    }
    cd("/src");
    out.push({ kind: "copy", sources: ["."], dest: "." });
    cd(service);
    out.push(
        { kind: "arg", name: "VERSION", default: "dev" },
        { kind: "arg", name: "SOURCE_DATE_EPOCH", default: "0" },
        // One short step per concern: an engine's one-line summary of a failed step is the whole RUN line, and each
        // failure prints one line naming the service and the step. The argument checks and the top-up share one (both
        // are a line, and a step costs a container start): the build cache mount gets the dependency layer's entries it
        // lacks (all of them on a fresh builder). `-u` copies an entry only where the mount has none, as the layer's are
        // all dated 0 (BusyBox's `cp -n` skips whole directories).
        {
            kind: "run",
            mounts: seeded ? [BUILD_CACHE] : [],
            commands: [
                `case "$VERSION" in ''|*[!${VERSION_CHARS}]*) ${say(plan, `VERSION may hold ${VERSION_CHARS} only, got: $VERSION`)}; exit 1;; esac`,
                `case "$SOURCE_DATE_EPOCH" in ''|*[!0-9]*) ${say(plan, "SOURCE_DATE_EPOCH must be whole seconds, got: $SOURCE_DATE_EPOCH")}; exit 1;; esac`,
                ...(seeded ? [`{ cp -au ${DEPS_LAYER}/. ${GO_BUILD_CACHE}/ || echo "the build cache was not topped up from ${DEPS_LAYER}"; }`] : []),
            ],
        },
    );
    for (const b of plan.binaries) {
        out.push({
            kind: "run",
            // The netrc here too, for a module the download step did not fetch.
            mounts: vendored ? [BUILD_CACHE] : [BUILD_CACHE, NETRC],
            commands: [goBuildReported(plan, b.pkg, b.name, vendored)],
        });
    }
    out.push({
        kind: "run",
        mounts: [],
        commands: [
            // A package that is not main builds an archive, not a program: fail here, not at `docker run`.
            ...plan.binaries.map((b) => `if ! head -c 4 ${ROOTFS}${binaryPath(b.name)} | grep -q ELF; then ${say(plan, `go build wrote no executable for ${b.pkg}: it is not a main package`)}; exit 1; fi`),
            // Every file of the runtime layer gets one time, so the layer (and on BuildKit 0.11+
            // with SOURCE_DATE_EPOCH passed, the whole image) is the same for the same source.
            `find ${ROOTFS} -exec touch -d "@$SOURCE_DATE_EPOCH" {} +`,
        ],
    });
    return out;
}

/** The one line a failing step prints: `go-service-image: <service>: <text>` on stderr (`text` is double-quoted shell). */
function say(plan: ImagePlan, text: string): string {
    return `echo "go-service-image: ${plan.name}: ${text}" >&2`;
}

/** `|| { … }`: on failure, one line naming the service and the step, then the step's exit status. */
function failed(plan: ImagePlan, step: string, why: string): string {
    return `|| { ${say(plan, `${step} failed: ${why}`)}; exit 1; }`;
}

/** Where a build step keeps the compiler's messages (the build stage only: never in the image). */
const BUILD_LOG = "/tmp/go.log";

/**
 * One binary's `go build`, its messages kept: on failure the step's first line names the service
 * and the package and carries the compiler's file:line errors joined (a provider that shows one
 * line of the step shows its first), then the messages follow as the compiler printed them (a
 * client that shows the step's last lines shows those).
 */
function goBuildReported(plan: ImagePlan, pkg: string, name: string, vendored: boolean): string {
    // The errors are the file:line lines (GOFLAGS=-x adds its trace to the same stream), else the last lines; on success the
    // stream is printed after the build, so a -x trace still reaches the log.
    return `${goBuild(plan, pkg, name, vendored)} 2>${BUILD_LOG} || { ${say(plan, `go build ${pkg} failed: $( (grep -E '[.]go:[0-9]+:' ${BUILD_LOG} || tail -n 3 ${BUILD_LOG}) | head -n 10 | tr '\\n' ' ')`)}; cat ${BUILD_LOG} >&2; exit 1; }; cat ${BUILD_LOG} >&2`;
}

/** The scratch root filesystem: CA bundle, users, a sticky /tmp and the user's home. */
function rootfsStep(uid: number): Instruction {
    const passwd = `root:x:0:0:root:/root:/sbin/nologin\\nnonroot:x:${uid}:${uid}:nonroot:/home/nonroot:/sbin/nologin\\n`;
    const group = `root:x:0:\\nnonroot:x:${uid}:\\n`;
    return {
        kind: "run",
        mounts: [],
        commands: [
            `mkdir -p ${ROOTFS}/etc/ssl/certs ${ROOTFS}/tmp ${ROOTFS}/home/nonroot ${ROOTFS}/usr/local/bin`,
            `cp /etc/ssl/certs/ca-certificates.crt ${ROOTFS}/etc/ssl/certs/ca-certificates.crt`,
            `chmod 1777 ${ROOTFS}/tmp`,
            `chown ${uid}:${uid} ${ROOTFS}/home/nonroot`,
            `printf '${passwd}' > ${ROOTFS}/etc/passwd`,
            `printf '${group}' > ${ROOTFS}/etc/group`,
        ],
    };
}

/** The dependency step's lists of what it compiled: files of the build stage only, never in the image. */
const DEPS_LIST = "/tmp/godeps.list";
const DEPS_IDS = "/tmp/godeps.ids";

/**
 * The packages the service imports from outside its own modules (the standard library's too),
 * compiled before the sources arrive, into a layer: a registry cache carries that layer to a fresh
 * builder, where no cache mount survives.
 *
 * They compile in the builder's one build cache mount, which every service on the builder shares:
 * Go's cache is content-addressed, so what another service already compiled with the same flags
 * (the standard library, a shared dependency) is a hit, never compiled again. `go list -export`
 * compiles them (the same compile actions, so the same cache entries, as `go build`'s) and names
 * the archive (`<id>-d`) each compile produced; the action entries (`-a`) that point at those
 * archives are the ones a later build looks up. The layer gets both, just this service's entries
 * out of the shared cache, so a fresh builder's build step finds every dependency compiled.
 */
function dependencyStep(plan: ImagePlan): Instruction {
    const deps = plan.dependencyPackages.join(" ");
    return {
        kind: "run",
        mounts: [BUILD_CACHE],
        commands: [
            // Only a head start, offline, -e: a package that does not compile here is listed with no archive, and compiled
            // (and reported) by the build step.
            `GOPROXY=off ${goCompile(plan, false, "list")} -e -export -deps -f '{{.Export}}' ${deps} | sed -n 's|^${GO_BUILD_CACHE}/||p' > ${DEPS_LIST}`,
            `sed 's|.*/||; s|-d$||' ${DEPS_LIST} > ${DEPS_IDS}`,
            `cd ${GO_BUILD_CACHE}`,
            `{ [ ! -s ${DEPS_IDS} ] || find . -name '*-a' -exec grep -lF -f ${DEPS_IDS} {} + >> ${DEPS_LIST} || true; }`,
            // One tar each way, the names as arguments (no tar -T: not every BusyBox has it): each entry is <2 hex>/<hex id>-<a|d>,
            // nothing a shell splits or expands, and a service's few thousand entries are far below the kernel's argument limit.
            `mkdir -p ${DEPS_LAYER} && { [ ! -s ${DEPS_LIST} ] || tar -cf - $(cat ${DEPS_LIST}) | tar -xf - -C ${DEPS_LAYER}; }`,
            // Time 0 on every copied entry, so the build step's \`cp -u\` only adds what the build cache lacks (GNU and BusyBox cp alike).
            `find ${DEPS_LAYER} -exec touch -d @0 {} +`,
        ],
    };
}

/** `go build` (or `go list`, to name what it compiled) with the flags every compile of the image shares (so the dependency layer's packages are cache hits). */
function goCompile(plan: ImagePlan, vendored: boolean, command: "build" | "list" = "build"): string {
    const words = [
        plan.cgo ? undefined : `GOOS="$TARGETOS" GOARCH="$TARGETARCH"`,
        `go ${command} -trimpath -buildvcs=false`,
        vendored ? "-mod=vendor" : undefined,
        plan.buildTags.length > 0 ? `-tags ${plan.buildTags.join(",")}` : undefined,
    ];
    return words.filter(Boolean).join(" ");
}

/** The `go build` command of one main package. Every word in it was validated by `resolve` to need no quoting. */
function goBuild(plan: ImagePlan, pkg: string, name: string, vendored: boolean): string {
    const ldflags = ["-s", "-w", "-X", `${plan.versionVariable}=\${VERSION}`, ...plan.ldflags].join(" ");
    return `${goCompile(plan, vendored)} -ldflags "${ldflags}" -o ${ROOTFS}${binaryPath(name)} ${pkg}`;
}

function runtimeStage(plan: ImagePlan): Instruction[] {
    const labels: Array<readonly [string, string | { arg: string }]> = [
        ["org.opencontainers.image.title", plan.name],
        ["org.opencontainers.image.version", { arg: "VERSION" }],
        ["org.opencontainers.image.revision", { arg: "REVISION" }],
    ];
    if (plan.sourceUrl) labels.push(["org.opencontainers.image.source", plan.sourceUrl]);
    // resolve refuses these four in 'labels', so the user's labels never repeat one.
    labels.push(...plan.labels);
    labels.sort(byName);

    const out: Instruction[] = [
        { kind: "from", image: plan.runtime.image },
        { kind: "copy", from: "build", sources: [`${ROOTFS}/`], dest: "/" },
    ];
    if (plan.env.length > 0) out.push({ kind: "env", vars: plan.env });
    out.push(
        { kind: "arg", name: "VERSION", default: "dev" },
        { kind: "arg", name: "REVISION", default: DEFAULTS.revision },
        { kind: "label", labels },
        { kind: "user", user: `${plan.user}:${plan.user}` },
    );
    if (plan.port !== undefined) out.push({ kind: "expose", port: plan.port });
    out.push({ kind: "entrypoint", argv: [binaryPath(plan.entrypoint)] });
    if (plan.command.length > 0) out.push({ kind: "cmd", argv: plan.command });
    return out;
}
