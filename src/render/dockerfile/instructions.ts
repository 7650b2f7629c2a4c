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

/** The path of the binary in the image. */
export function binaryPath(plan: ImagePlan): string {
    return `/usr/local/bin/${plan.binaryName}`;
}

/** Turns a plan into the Dockerfile model: a cross-compiling build stage and a runtime stage. */
export function dockerfileModel(plan: ImagePlan): DockerfileModel {
    return {
        header: [
            MARKER,
            `Build: DOCKER_BUILDKIT=1 docker build --build-arg VERSION=<version> -f <this file> <module dir>`,
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
    // GOWORK=off: the image builds this module on its own, whatever go.work the context carries.
    out.push({ kind: "env", vars: [["CGO_ENABLED", plan.cgo ? "1" : "0"], ["GOWORK", "off"]] });
    out.push(...GO_ENV_NAMES.map((name): Instruction => ({ kind: "arg", name })));
    if (!module.vendored && module.hasGoSum) {
        out.push(
            { kind: "comment", text: "Dependencies first: this layer is reused until go.mod or go.sum change." },
            { kind: "copy", sources: ["go.mod", "go.sum"], dest: "./" },
            { kind: "run", mounts: [MOD_CACHE, NETRC], commands: ["go mod download"] },
        );
    }
    out.push(
        { kind: "copy", sources: ["."], dest: "." },
        { kind: "arg", name: "TARGETOS" },
        { kind: "arg", name: "TARGETARCH" },
        { kind: "arg", name: "VERSION", default: "dev" },
        { kind: "arg", name: "SOURCE_DATE_EPOCH", default: "0" },
        {
            kind: "run",
            mounts: module.vendored ? [BUILD_CACHE] : [MOD_CACHE, BUILD_CACHE],
            commands: [
                `case "$VERSION" in ''|*[!${VERSION_CHARS}]*) echo "VERSION may hold ${VERSION_CHARS} only, got: $VERSION" >&2; exit 1;; esac`,
                `case "$SOURCE_DATE_EPOCH" in ''|*[!0-9]*) echo "SOURCE_DATE_EPOCH must be whole seconds, got: $SOURCE_DATE_EPOCH" >&2; exit 1;; esac`,
                goBuild(plan),
                // A package that is not main builds an archive, not a program: fail here, not at `docker run`.
                `if ! head -c 4 ${ROOTFS}${binaryPath(plan)} | grep -q ELF; then echo "go build wrote no executable for ${plan.mainPackage}: it is not a main package" >&2; exit 1; fi`,
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

/** The `go build` command. Every word in it was validated by `resolve` to need no quoting. */
function goBuild(plan: ImagePlan): string {
    const ldflags = ["-s", "-w", "-X", `${plan.versionVariable}=\${VERSION}`, ...plan.ldflags].join(" ");
    const words = [
        plan.cgo ? undefined : `GOOS="$TARGETOS" GOARCH="$TARGETARCH"`,
        "go build -trimpath -buildvcs=false",
        plan.module.vendored ? "-mod=vendor" : undefined,
        plan.buildTags.length > 0 ? `-tags ${plan.buildTags.join(",")}` : undefined,
        `-ldflags "${ldflags}"`,
        `-o ${ROOTFS}${binaryPath(plan)}`,
        plan.mainPackage,
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
    out.push({ kind: "entrypoint", argv: [binaryPath(plan)] });
    if (plan.command.length > 0) out.push({ kind: "cmd", argv: plan.command });
    return out;
}
