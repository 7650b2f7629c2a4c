import { registered, SECRET_SIG, setMode, settle } from "../helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync, spawnSync } from "child_process";
import { GoServiceImage, GoServiceImageArgs } from "../../src";
import { ImageBuildInputs } from "../../src/image/build-inputs";
import { checkEngine, engineBuild } from "../../src/image/engine";
import { copyModule, copyOut, docker, DOCKER } from "../../bench/docker";
import { freePort } from "../../bench/buildkit";
import { BuildxImageInputs } from "../../bench/replay";

export { copyModule, copyOut, docker, DOCKER };

export const REGISTRY = "127.0.0.1:5000";
const ENGINE = { docker: DOCKER };

/** Fails (never skips) when the environment is missing: CI must not pass without an engine. */
export async function requireEnvironment(): Promise<void> {
    try {
        await checkEngine(ENGINE);
    } catch (e) {
        throw new Error(`${(e as Error).message}\nStart the environment first: bash test/integration/env/up.sh`);
    }
    const res = await fetch(`http://${REGISTRY}/v2/`).catch((e: Error) => e);
    if (res instanceof Error || !res.ok) throw new Error(`no registry answers on ${REGISTRY}: run bash test/integration/env/up.sh`);
}


/** Go module settings of this machine, passed through so module downloads reach its proxy. */
export function hostGoEnv(): GoServiceImageArgs["goEnv"] {
    const env = JSON.parse(execFileSync("go", ["env", "-json", "GOPROXY", "GOSUMDB", "GOFLAGS"], { encoding: "utf8" })) as Record<string, string>;
    return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
}

/**
 * Runs GoServiceImage under mocks as one `pulumi up` of a program of its own, in a fresh program
 * directory it stays in (so the relative paths it hands the provider resolve for the build that
 * follows), and captures the image resource of `type` it registered, its secrets unwrapped.
 */
async function capture(name: string, args: GoServiceImageArgs, type: string): Promise<{ inputs: Record<string, any>; cwd: string; tag: string; version: string; retainOnDelete?: boolean }> {
    setMode("update");
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-run-"));
    process.chdir(cwd);
    const before = registered.length;
    const svc = new GoServiceImage(name, args);
    await settle();
    const image = registered.slice(before).find((r) => r.type === type);
    assert.ok(image, `the component registered no ${type}`);
    const tag = await new Promise<string>((r) => svc.tag.apply(r));
    const version = await new Promise<string>((r) => svc.version.apply(r));
    const unwrap = (v: unknown) => (typeof v === "object" && v !== null && SECRET_SIG in v ? (v as unknown as { value: unknown }).value : v);
    return { inputs: Object.fromEntries(Object.entries(image.inputs).map(([k, v]) => [k, unwrap(v)])), cwd, tag, version, retainOnDelete: image.retainOnDelete };
}

/** What GoServiceImage hands @pulumi/docker's Image. */
export async function componentInputs(name: string, args: GoServiceImageArgs): Promise<{ imageName: string; build: ImageBuildInputs; tag: string; version: string; retainOnDelete?: boolean }> {
    const { inputs, tag, version, retainOnDelete } = await capture(name, args, "docker:index/image:Image");
    return { imageName: inputs.imageName, build: inputs.build, tag, version, retainOnDelete };
}

/** What GoServiceImage with `buildx` hands @pulumi/docker-build's Image, and the program directory its relative paths start from. */
export async function buildxComponentInputs(name: string, args: GoServiceImageArgs): Promise<{ inputs: BuildxImageInputs; cwd: string; tag: string; retainOnDelete?: boolean }> {
    const { inputs, cwd, tag, retainOnDelete } = await capture(name, args, "docker-build:index:Image");
    return { inputs: inputs as unknown as BuildxImageInputs, cwd, tag, retainOnDelete };
}

/** `go-service-image build` run from a working directory of its own; stdout is the result, stderr the streamed log. */
export function cliBuild(args: string[]): { status: number | null; out: string; log: string } {
    const bin = path.join(__dirname, "..", "..", "bin", "go-service-image.js");
    const r = spawnSync(process.execPath, [bin, "build", ...args], { encoding: "utf8", cwd: fs.mkdtempSync(path.join(os.tmpdir(), "gsi-cli-")), env: { ...process.env, GO_SERVICE_IMAGE_DOCKER: DOCKER }, maxBuffer: 256 * 1024 * 1024 });
    return { status: r.status, out: r.stdout.trim(), log: r.stderr };
}

/** The ELF machine of a binary inside an image: 62 x86-64, 183 aarch64. */
export function binaryMachine(image: string, binary: string): number {
    docker("pull", "-q", image);
    return elf(copyOut(image, binary)).machine;
}

export interface Built {
    readonly imageName: string;
    readonly id: string;
    readonly log: string;
    readonly seconds: number;
    readonly version: string;
    readonly tag: string;
}

/** Builds exactly the Dockerfile and inputs the component gives the provider. */
export async function buildLikeComponent(name: string, args: GoServiceImageArgs): Promise<Built> {
    const inputs = await componentInputs(name, args);
    const start = process.hrtime.bigint();
    const { id, log } = await engineBuild(inputs.build, inputs.imageName, ENGINE);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { imageName: inputs.imageName, id, log, seconds, version: inputs.version, tag: inputs.tag };
}

/** One entry of an image's flattened filesystem. */
export interface FsEntry {
    readonly path: string;
    readonly mode: string;
    readonly owner: string;
    readonly size: number;
    readonly type: string;
}

/** The image's filesystem as `tar -tv --numeric-owner` lists a `docker export` of it. */
export function imageFiles(image: string): FsEntry[] {
    const id = docker("create", "--network", "none", image);
    try {
        const tar = spawnSync("sh", ["-c", `${DOCKER} export ${id} | tar -tv --numeric-owner -f -`], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        assert.strictEqual(tar.status, 0, tar.stderr);
        return tar.stdout.split("\n").filter(Boolean).map((line) => {
            const [mode, owner, size] = line.split(/\s+/);
            const p = line.replace(/^.*?\d\d:\d\d /, "").replace(/ -> .*$/, "").replace(/\/$/, "");
            return { path: "/" + p.replace(/^\.?\//, ""), mode, owner, size: Number(size), type: mode[0] };
        });
    } finally {
        docker("rm", id);
    }
}

/** ELF facts that matter here: machine (62 x86-64, 183 aarch64) and whether it asks for a dynamic loader. */
export function elf(file: string): { machine: number; dynamic: boolean } {
    const b = fs.readFileSync(file);
    assert.strictEqual(b.toString("latin1", 1, 4), "ELF", `${file} is not ELF`);
    assert.strictEqual(b[4], 2, "64-bit ELF expected");
    const phoff = Number(b.readBigUInt64LE(0x20));
    const phentsize = b.readUInt16LE(0x36);
    const phnum = b.readUInt16LE(0x38);
    let dynamic = false;
    for (let i = 0; i < phnum; i++) {
        const type = b.readUInt32LE(phoff + i * phentsize);
        if (type === 3 /* PT_INTERP */ || type === 2 /* PT_DYNAMIC */) dynamic = true;
    }
    return { machine: b.readUInt16LE(0x12), dynamic };
}


/** Runs the image on the host network with PORT set; waits for /healthz; returns the base URL and the time it took. */
export async function start(image: string): Promise<{ url: string; container: string; readyMs: number; stop: () => void }> {
    const port = await freePort();
    const t0 = Date.now();
    const container = docker("run", "-d", "--network", "host", "-e", `PORT=${port}`, image);
    const stop = () => {
        spawnSync(DOCKER, ["rm", "-f", container]);
    };
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
        const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
        if (ok) return { url, container, readyMs: Date.now() - t0, stop };
        if (Date.now() - t0 > 10_000) {
            const logs = spawnSync(DOCKER, ["logs", container], { encoding: "utf8" });
            stop();
            throw new Error(`${image} did not answer /healthz within 10 s; logs:\n${logs.stdout}${logs.stderr}`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
}

/** The step lines of a plain BuildKit log: `#N [stage i/n] INSTRUCTION`, with whether each was CACHED. */
export function steps(log: string): Array<{ step: string; cached: boolean }> {
    const out: Array<{ step: string; cached: boolean }> = [];
    for (const m of log.matchAll(/^#(\d+) \[([^\]]+ \d+\/\d+)\] (.*)$/gm)) {
        const id = m[1];
        const cached = new RegExp(`^#${id} CACHED$`, "m").test(log);
        out.push({ step: `[${m[2]}] ${m[3]}`, cached });
    }
    return out;
}

/** Writes a line to the measurements file read by the closing note and the README. */
export function measure(line: string): void {
    console.log(`      measured: ${line}`);
    fs.appendFileSync(path.join(os.tmpdir(), "go-service-image-measurements.txt"), line + "\n");
}
