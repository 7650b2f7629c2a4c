import { DEFAULTS, GO_ENV_NAMES } from "../../args";
import { byName } from "../../order";
import { ImagePlan } from "../../plan/image";
import { MARKER } from "../marker";
import { DockerfileModel, Instruction, Mount } from "./model";

/** Where the build stage assembles the runtime root filesystem. */
const ROOTFS = "/out/rootfs";
const MOD_CACHE: Mount = { type: "cache", target: "/go/pkg/mod" };
const BUILD_CACHE: Mount = { type: "cache", target: "/root/.cache/go-build" };
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
    if (plan.runtime.kind === "scratch") {
        out.push(rootfsStep(plan.user));
    }
    // Module mode builds the service module on its own (GOWORK=off, its own replaces); workspace mode uses the go.work it was resolved with.
    const gowork = plan.workspace ? `${inSrc(plan.workspace.dir)}/go.work` : "off";
    out.push({ kind: "env", vars: [["CGO_ENABLED", plan.cgo ? "1" : "0"], ["GOWORK", gowork]] });
    out.push(...GO_ENV_NAMES.map((name): Instruction => ({ kind: "arg", name })));
    const service = inSrc(plan.serviceDir);
    const vendored = module.vendored && !plan.workspace;
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
        if (service !== "/src") out.push({ kind: "workdir", path: service });
        out.push({ kind: "run", mounts: [MOD_CACHE, NETRC], commands: ["go mod download"] });
        if (service !== "/src") out.push({ kind: "workdir", path: "/src" });
    }
    out.push({ kind: "copy", sources: ["."], dest: "." });
    if (service !== "/src") out.push({ kind: "workdir", path: service });
    out.push(
        { kind: "arg", name: "TARGETOS" },
        { kind: "arg", name: "TARGETARCH" },
        { kind: "arg", name: "VERSION", default: "dev" },
        { kind: "arg", name: "SOURCE_DATE_EPOCH", default: "0" },
        {
            kind: "run",
            // The netrc here too: a cached download layer over an empty module cache downloads again while building.
            mounts: vendored ? [BUILD_CACHE] : [MOD_CACHE, BUILD_CACHE, NETRC],
            commands: [
                `case "$VERSION" in ''|*[!${VERSION_CHARS}]*) echo "VERSION may hold ${VERSION_CHARS} only, got: $VERSION" >&2; exit 1;; esac`,
                `case "$SOURCE_DATE_EPOCH" in ''|*[!0-9]*) echo "SOURCE_DATE_EPOCH must be whole seconds, got: $SOURCE_DATE_EPOCH" >&2; exit 1;; esac`,
                ...plan.binaries.flatMap((b) => [
                    goBuild(plan, b.pkg, b.name, vendored),
                    // A package that is not main builds an archive, not a program: fail here, not at `docker run`.
                    `if ! head -c 4 ${ROOTFS}${binaryPath(b.name)} | grep -q ELF; then echo "go build wrote no executable for ${b.pkg}: it is not a main package" >&2; exit 1; fi`,
                ]),
                // Every file of the runtime layer gets one time, so the layer (and on BuildKit 0.11+
                // with SOURCE_DATE_EPOCH passed, the whole image) is the same for the same source.
                `find ${ROOTFS} -exec touch -d "@$SOURCE_DATE_EPOCH" {} +`,
            ],
        },
    );
    return out;
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

/** The `go build` command of one main package. Every word in it was validated by `resolve` to need no quoting. */
function goBuild(plan: ImagePlan, pkg: string, name: string, vendored: boolean): string {
    const ldflags = ["-s", "-w", "-X", `${plan.versionVariable}=\${VERSION}`, ...plan.ldflags].join(" ");
    const words = [
        plan.cgo ? undefined : `GOOS="$TARGETOS" GOARCH="$TARGETARCH"`,
        "go build -trimpath -buildvcs=false",
        vendored ? "-mod=vendor" : undefined,
        plan.buildTags.length > 0 ? `-tags ${plan.buildTags.join(",")}` : undefined,
        `-ldflags "${ldflags}"`,
        `-o ${ROOTFS}${binaryPath(name)}`,
        pkg,
    ];
    return words.filter(Boolean).join(" ");
}

function runtimeStage(plan: ImagePlan): Instruction[] {
    const labels: Array<readonly [string, string | { arg: string }]> = [
        ["org.opencontainers.image.title", plan.name],
        ["org.opencontainers.image.version", { arg: "VERSION" }],
        ["org.opencontainers.image.revision", { arg: "REVISION" }],
    ];
    if (plan.sourceUrl) labels.push(["org.opencontainers.image.source", plan.sourceUrl]);
    const ociNames = new Set(labels.map(([k]) => k));
    labels.push(...plan.labels.filter(([k]) => !ociNames.has(k)));
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
