import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** How a secret travels on the wire to the mock monitor: `{ [SECRET_SIG]: SECRET, value }` (the SDK's own signature values). */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET = "1b47061264138c4ac30d75fd1eb44270";

/** A resource registration as the mocks saw it. */
export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly custom: boolean;
    /** The `retainOnDelete` option as the register request carried it (undefined: not set, inherited). */
    readonly retainOnDelete?: boolean;
}

/** Every registration in this process, in order. Tests slice it by length before and after. */
export const registered: Registration[] = [];

/** Set by a test to make the fake registry report something else, e.g. `<none>@<none>`. */
export const fake: { repoDigest?: (imageName: string) => string | undefined; digest?: (tag: string) => string } = {};

const IMAGE = "docker:index/image:Image";
const BUILDX_IMAGE = "docker-build:index:Image";

/**
 * `@pulumi/docker-build`'s Image as its Create reports it (provider/internal/image.go): `ref` is the
 * first tag, with `@<digest>` once the build's image exporter reported a digest; `digest` is empty
 * otherwise. A preview pushes nothing: without buildOnPreview it does not build (digest ""), with it
 * it builds without pushing and the exporter still reports the would-be digest.
 */
function buildxImageState(inputs: Record<string, any>): Record<string, unknown> {
    const tag: string = inputs.tags[0];
    const hex = crypto.createHash("sha256").update(JSON.stringify([inputs.tags, inputs.platforms, inputs.buildArgs, inputs.context, inputs.dockerfile])).digest("hex");
    const contextHash = crypto.createHash("sha256").update(JSON.stringify(inputs.context)).digest("hex");
    const built = !pulumi.runtime.isDryRun() || inputs.buildOnPreview !== false;
    const digest = built ? (fake.digest ? fake.digest(tag) : `sha256:${hex}`) : "";
    return { ...inputs, contextHash, digest, ref: digest ? `${tag}@${digest}` : tag };
}

/**
 * Mocks that behave like the providers under a real engine (shared/REFERENCE.md): `docker.Image`
 * reports `repoDigest` as `<repository>@sha256:<64 hex>` after an update (the digest derived from
 * what was built, as a registry's would be); in a preview it leaves it out (unknown) unless
 * `buildOnPreview` is on, when it reports the local image id `sha256:<64 hex>` with no repository,
 * as the real provider does after building without pushing.
 */
const mocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true, retainOnDelete: retained.get(args.name) });
        if (args.type === IMAGE) {
            const imageName: string = args.inputs.imageName;
            const repository = imageName.slice(0, imageName.lastIndexOf(":"));
            const state: Record<string, unknown> = { ...args.inputs, baseImageName: imageName, registryServer: args.inputs.registry?.server ?? repository.split("/")[0] };
            const hex = crypto.createHash("sha256").update(JSON.stringify([imageName, args.inputs.build])).digest("hex");
            if (!pulumi.runtime.isDryRun()) {
                state.repoDigest = fake.repoDigest ? fake.repoDigest(imageName) : `${repository}@sha256:${hex}`;
            } else if (args.inputs.buildOnPreview === true) {
                state.repoDigest = `sha256:${crypto.createHash("sha256").update(hex).digest("hex")}`;
            }
            return { id: pulumi.runtime.isDryRun() ? undefined : `${imageName}`, state };
        }
        if (args.type === BUILDX_IMAGE) {
            const state = buildxImageState(args.inputs);
            return { id: state.digest ? String(state.digest) : args.name, state };
        }
        return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs;
    },
};

/** Resource name → URNs it was registered to depend on (`dependsOn`), read off the register request. */
export const dependencies = new Map<string, string[]>();
/** Resource name → the request's retainOnDelete (what the engine stores and honours on delete). */
const retained = new Map<string, boolean | undefined>();
// The mock monitor hands mocks neither dependencies nor options, so read them from the request on its way in.
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: { prototype: { registerResource: (req: any, cb: unknown) => unknown } } };
const register = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (req: any, cb: unknown) {
    dependencies.set(req.getName(), req.getDependenciesList());
    retained.set(req.getName(), req.hasRetainondelete() ? req.getRetainondelete() : undefined);
    return register.call(this, req, cb);
};

/** Selects preview (`pulumi preview`) or update (`pulumi up`) mode for what follows. */
export function setMode(mode: "preview" | "update"): void {
    pulumi.runtime.setMocks(mocks, "project", "stack", mode === "preview");
}
setMode("update");

/** The value of an Output, or `undefined` if it is unknown (its apply never runs then). */
export async function valueOf<T>(output: pulumi.Output<T>): Promise<T | undefined> {
    const known = await (output as unknown as { isKnown: Promise<boolean> }).isKnown;
    if (!known) return undefined;
    return new Promise<T>((resolve) => output.apply((v) => resolve(v)));
}

export async function isKnown(output: pulumi.Output<unknown>): Promise<boolean> {
    return (output as unknown as { isKnown: Promise<boolean> }).isKnown;
}

export async function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
    return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

/** Waits until registrations settle (mocks register asynchronously). */
export function settle(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Runs each test of the calling suite in a program directory of its own, in update mode, as one
 * `pulumi up` of a program would; `program.dir` is that directory and `program.next()` starts a
 * second run (a new process, simulated by a new directory: claims are per path).
 */
export function freshProgramPerTest(): { readonly dir: string; next(): void } {
    const cwd = process.cwd();
    const state = {
        dir: "",
        next() {
            state.dir = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-program-"));
            process.chdir(state.dir);
        },
    };
    beforeEach(() => {
        state.next();
        setMode("update");
        delete fake.repoDigest;
        delete fake.digest;
    });
    afterEach(() => process.chdir(cwd));
    return state;
}
