/**
 * Image size, rebuild cost and reproducibility of the generated Dockerfile against the two
 * Dockerfiles users would otherwise write, built from the same stand-in bases in the same run.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { GoServiceImageArgs } from "../src/args";
import { prepare } from "../src/pipeline";
import { Claims } from "../src/resolve/claims";
import { build, copyModule, copyOut, docker, goEnv, imageSize, median, mib, oneLineChange, ROOT, spread, time } from "./lib";

interface Example {
    readonly name: string;
    readonly dir: string;
    readonly main: string;
    readonly binary: string;
    /** The file the one-line change goes into. */
    readonly edit: string;
}

export const EXAMPLES: Example[] = [
    { name: "hello-service", dir: path.join(ROOT, "examples", "hello-service"), main: ".", binary: "hello-service", edit: "handlers.go" },
    { name: "deps-service", dir: path.join(ROOT, "examples", "deps-service"), main: "./cmd/deps-service", binary: "deps-service", edit: "internal/api/api.go" },
];

/** The naive single-stage Dockerfile: the Go image itself ships. */
function naive(ex: Example): string {
    return ["FROM golang:1.26-alpine", "WORKDIR /src", "COPY . .", `RUN go build -o /app ${ex.main}`, 'ENTRYPOINT ["/app"]', ""].join("\n");
}

/** The classic multi-stage Dockerfile as commonly published: alpine runtime, CA certificates, an added user, no cache mounts. */
function classic(ex: Example, hasGoSum: boolean): string {
    return [
        "FROM golang:1.26-alpine AS build",
        "WORKDIR /src",
        hasGoSum ? "COPY go.mod go.sum ./" : "COPY go.mod ./",
        "RUN go mod download",
        "COPY . .",
        `RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /app ${ex.main}`,
        "",
        "FROM alpine:3.22",
        "RUN apk add --no-cache ca-certificates && adduser -D -u 10001 app",
        "COPY --from=build /app /app",
        "USER app",
        'ENTRYPOINT ["/app"]',
        "",
    ].join("\n");
}

/** A Dockerfile to build: ours (rendered by the library for a runtime) or a comparison one. */
interface Variant {
    readonly label: string;
    /** Writes the Dockerfile for the module copy; returns its path and the build args. */
    prepare(ex: Example, module: string): { dockerfile: string; args: Record<string, string> };
}

function ours(runtime: string): Variant {
    return {
        label: `ours (${runtime})`,
        prepare(ex, module) {
            // The one pipeline the component and the CLI run, as `go-service-image render` uses it.
            const out = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-bench-df-"));
            const args = { context: module, runtime, version: "1.0.0", goEnv: goEnv() } as GoServiceImageArgs;
            const spec = prepare({ name: ex.name, args, purpose: "render", out, claims: new Claims() });
            const dockerfile = path.join(out, "Dockerfile");
            fs.writeFileSync(dockerfile, spec.dockerfile);
            fs.writeFileSync(`${dockerfile}.dockerignore`, spec.dockerignore);
            return { dockerfile, args: { ...spec.build.args } };
        },
    };
}

function fixed(label: string, text: (ex: Example, module: string) => string): Variant {
    return {
        label,
        prepare(ex, module) {
            const dockerfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-bench-df-")), "Dockerfile");
            fs.writeFileSync(dockerfile, text(ex, module));
            return { dockerfile, args: goEnv() };
        },
    };
}

const NAIVE = fixed("naive single-stage", (ex) => naive(ex));
const CLASSIC = fixed("classic multi-stage (alpine)", (ex, m) => classic(ex, fs.existsSync(path.join(m, "go.sum"))));

export interface SizeRow { example: string; variant: string; bytes: number; ratio: number }

/** 1. Image sizes, each over the static binary's size. */
export function sizes(): { rows: SizeRow[]; binaries: Record<string, number> } {
    const rows: SizeRow[] = [];
    const binaries: Record<string, number> = {};
    for (const ex of EXAMPLES) {
        const module = copyModule(ex.dir);
        const variants = [ours("scratch"), ours("distroless"), ours("alpine"), NAIVE, CLASSIC];
        const built: Array<[string, number]> = [];
        for (const v of variants) {
            const { dockerfile, args } = v.prepare(ex, module);
            const tag = `gsi-bench/${ex.name}:${v.label.replace(/\W+/g, "-").replace(/^-|-$/g, "")}`;
            build(dockerfile, module, tag, args);
            if (v.label === "ours (scratch)") binaries[ex.name] = fs.statSync(copyOut(tag, `/usr/local/bin/${ex.binary}`)).size;
            built.push([v.label, imageSize(tag)]);
        }
        for (const [variant, bytes] of built) rows.push({ example: ex.name, variant, bytes, ratio: bytes / binaries[ex.name] });
    }
    return { rows, binaries };
}

export interface RebuildRow { example: string; variant: string; cold: number[]; change: number[]; unchanged: number[] }

/** 2. Cold build, one-line change, nothing changed: docker (ours, classic) and the host's go build. */
export function rebuilds(reps: number): { rows: RebuildRow[]; host: Record<string, RebuildRow> } {
    const rows: RebuildRow[] = [];
    const host: Record<string, RebuildRow> = {};
    for (const ex of EXAMPLES) {
        for (const v of [ours("scratch"), CLASSIC]) {
            const row: RebuildRow = { example: ex.name, variant: v.label, cold: [], change: [], unchanged: [] };
            for (let i = 0; i < reps; i++) {
                const module = copyModule(ex.dir);
                docker("builder", "prune", "-af");
                const tag = `gsi-bench/${ex.name}:rebuild`;
                let prepared = v.prepare(ex, module);
                row.cold.push(time(() => build(prepared.dockerfile, module, tag, prepared.args)));
                oneLineChange(path.join(module, ex.edit), i);
                prepared = v.prepare(ex, module);
                row.change.push(time(() => build(prepared.dockerfile, module, tag, prepared.args)));
                row.unchanged.push(time(() => build(prepared.dockerfile, module, tag, prepared.args)));
            }
            rows.push(row);
        }
        host[ex.name] = hostBuilds(ex, reps);
    }
    return { rows, host };
}

/** The limit: `go build` on the host; cold is empty build and module caches, the others warm. */
function hostBuilds(ex: Example, reps: number): RebuildRow {
    const row: RebuildRow = { example: ex.name, variant: "host go build", cold: [], change: [], unchanged: [] };
    for (let i = 0; i < reps; i++) {
        const module = copyModule(ex.dir);
        const caches = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-bench-gocache-"));
        const env = { ...process.env, GOCACHE: path.join(caches, "build"), GOMODCACHE: path.join(caches, "mod"), CGO_ENABLED: "0", GOFLAGS: "-trimpath" };
        const goBuild = () => execFileSync("go", ["build", "-o", path.join(caches, "out"), ex.main], { cwd: module, env, stdio: "ignore" });
        row.cold.push(time(goBuild));
        oneLineChange(path.join(module, ex.edit), i);
        row.change.push(time(goBuild));
        row.unchanged.push(time(goBuild));
        execFileSync("chmod", ["-R", "u+w", caches]);
        fs.rmSync(caches, { recursive: true, force: true });
    }
    return row;
}

export interface ReproRow { example: string; variant: string; binary: boolean; layer: boolean; image: boolean }

/** 4. Two builds of the same source with no cache: which of binary, binary layer and image are identical? */
export function reproducibility(): ReproRow[] {
    const rows: ReproRow[] = [];
    for (const ex of EXAMPLES) {
        for (const v of [ours("scratch"), CLASSIC]) {
            const module = copyModule(ex.dir);
            const runs: Array<{ binary: string; layer: string; image: string }> = [];
            for (let i = 0; i < 2; i++) {
                docker("builder", "prune", "-af");
                const tag = `gsi-bench/${ex.name}:repro${i}`;
                const { dockerfile, args } = v.prepare(ex, module);
                build(dockerfile, module, tag, args);
                const binPath = v === CLASSIC ? "/app" : `/usr/local/bin/${ex.binary}`;
                const binary = crypto.createHash("sha256").update(fs.readFileSync(copyOut(tag, binPath))).digest("hex");
                const layers = JSON.parse(docker("image", "inspect", "--format", "{{json .RootFS.Layers}}", tag)) as string[];
                runs.push({ binary, layer: layers[layers.length - 1], image: docker("image", "inspect", "--format", "{{.Id}}", tag) });
                docker("rmi", "-f", tag);
            }
            rows.push({ example: ex.name, variant: v.label, binary: runs[0].binary === runs[1].binary, layer: runs[0].layer === runs[1].layer, image: runs[0].image === runs[1].image });
        }
    }
    return rows;
}

export { median, mib, spread };
