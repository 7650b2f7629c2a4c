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
    /** vendor/modules.txt exists: build with `-mod=vendor` and download nothing. Such a module never builds in a workspace (resolve looks for no go.work). */
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
    /** The service module's directory, absolute (for I/O and messages; renderers never print it). */
    readonly context: string;
    /** The build context, absolute: the module directory, or the directory holding every local module involved. */
    readonly contextDir: string;
    /** The service module (go.mod, go.sum, vendor/). */
    readonly module: GoModule;
    /** The service module's directory inside the build context: `.` or e.g. `services/api`. */
    readonly serviceDir: string;
    /** Every local module the build reads, inside the build context, the service's first: their go.mod (and go.sum) are copied before the sources. */
    readonly goModules: ReadonlyArray<{ readonly dir: string; readonly hasGoSum: boolean }>;
    /** The local modules by module path and absolute directory, for following imports. */
    readonly moduleDirs: ReadonlyArray<{ readonly path: string; readonly dir: string }>;
    /** The go.work the build uses (workspace mode), inside the build context; undefined: GOWORK=off. */
    readonly workspace?: { readonly dir: string; readonly hasSum: boolean };
    /** The binaries: main package (relative to the module, `.` or `./cmd/api`) and name, in order. */
    readonly binaries: ReadonlyArray<{ readonly pkg: string; readonly name: string }>;
    /** The binary the container runs. */
    readonly entrypoint: string;
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
     * Every file the build reads, relative to the build context, sorted: the allow-list of the
     * generated `Dockerfile.dockerignore`, so the context carries nothing else.
     */
    readonly contextAllowList: readonly string[];
    /**
     * The packages the target build imports from outside the local modules (the standard
     * library's and downloaded modules'; only the standard library's when vendored), sorted: the
     * build stage compiles them into a layer before the sources arrive, so a fresh builder with a
     * registry cache compiles only the service's own packages.
     */
    readonly dependencyPackages: readonly string[];
    /** Build args, sorted by name: Go env pass-through and user args (not VERSION). */
    readonly buildArgs: ReadonlyArray<readonly [string, string]>;
    readonly version?: string;
    readonly revision?: string;
    readonly platform: string;
    /** Timestamp of every file in the runtime layer and, on BuildKit 0.11+, of the image config. */
    readonly sourceDateEpoch: number;
}
