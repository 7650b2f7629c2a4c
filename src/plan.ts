import { GoModule } from "./resolve/gomod";

/** Where the runtime stage comes from. */
export interface RuntimePlan {
    /** `scratch` assembles its own root filesystem; the others bring their own. */
    readonly kind: "scratch" | "distroless" | "alpine" | "custom";
    /** The `FROM` reference (`scratch`, or an image with tag and optional digest). */
    readonly image: string;
}

/**
 * Everything the generators need, validated and with every default filled in. Produced by
 * `resolve` only; the Dockerfile, .dockerignore and tag are pure functions of it.
 */
export interface ImagePlan {
    /** Service name: the component's name, used as image title. */
    readonly name: string;
    /** The module directory as given (for messages; generators never print it). */
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
    /** Sorted by name; user labels only (the OCI ones are added by the generator). */
    readonly labels: ReadonlyArray<readonly [string, string]>;
    readonly sourceUrl?: string;
    readonly dockerignoreExtra: readonly string[];
    /** Build args, sorted by name: Go env pass-through and user args (not VERSION). */
    readonly buildArgs: ReadonlyArray<readonly [string, string]>;
    readonly version?: string;
    readonly revision?: string;
    readonly platform?: string;
    /** Timestamp of every file in the runtime layer and, on BuildKit 0.11+, of the image config. */
    readonly sourceDateEpoch: number;
}
