/** What the library knows about the Go module, read from its files without Go. */
export interface GoModule {
    /** Module path from the `module` line. */
    readonly path: string;
    /** Version from the `go` line, e.g. `1.22` or `1.22.5`. */
    readonly goVersion?: string;
    /** Version from the `toolchain` line without the `go` prefix, e.g. `1.22.5`. */
    readonly toolchain?: string;
    /** go.sum exists (a module without dependencies has none). */
    readonly hasGoSum: boolean;
    /** vendor/modules.txt exists: build with `-mod=vendor` and download nothing. */
    readonly vendored: boolean;
}

/** Where the runtime stage comes from. */
export interface RuntimePlan {
    /** `scratch` assembles its own root filesystem; the others bring their own. */
    readonly kind: "scratch" | "distroless" | "alpine" | "custom";
    /** The `FROM` reference (`scratch`, or an image with tag and optional digest). */
    readonly image: string;
}

/** A file of the build context that Docker sends. */
export interface ContextFile {
    /** Slash path relative to the context. */
    readonly rel: string;
    readonly abs: string;
    readonly kind: "file" | "exec" | "symlink";
    readonly size: number;
}

/**
 * Everything the Dockerfile and .dockerignore renderers need, validated and with every default
 * filled in. Produced by `resolve` only; the renderers are pure functions of it.
 */
export interface ImagePlan {
    /** Service name: the component's name, used as image title. */
    readonly name: string;
    /** The module directory as given (for messages; renderers never print it). */
    readonly context: string;
    readonly module: GoModule;
    /** Main package, `.` or `./sub/dir`. */
    readonly mainPackage: string;
    readonly binaryName: string;
    readonly goVersion: string;
    /** Builder image without tag, e.g. `golang`. */
    readonly builderImage: string;
    readonly builderTagSuffix: string;
    readonly builderDigest?: string;
    readonly runtime: RuntimePlan;
    readonly cgo: boolean;
    readonly versionVariable: string;
    readonly ldflags: readonly string[];
    /** Build tags, sorted and deduplicated, `timetzdata` included when embedding tzdata. */
    readonly buildTags: readonly string[];
    readonly port?: number;
    readonly user: number;
    readonly command: readonly string[];
    /** Sorted by name. */
    readonly env: ReadonlyArray<readonly [string, string]>;
    /** Sorted by name; user labels only (the OCI ones are added by the renderer). */
    readonly labels: ReadonlyArray<readonly [string, string]>;
    readonly sourceUrl?: string;
    readonly dockerignoreExtra: readonly string[];
    /**
     * Paths inside the context that belong to the Pulumi program or to generated files, not to the
     * service (e.g. `infra` when the program sits in the module): never sent, never hashed.
     */
    readonly layoutIgnores: readonly string[];
    /** Build args, sorted by name: Go env pass-through and user args (not VERSION). */
    readonly buildArgs: ReadonlyArray<readonly [string, string]>;
    readonly version?: string;
    readonly revision?: string;
    readonly platform: string;
    /** Timestamp of every file in the runtime layer and, on BuildKit 0.11+, of the image config. */
    readonly sourceDateEpoch: number;
}
