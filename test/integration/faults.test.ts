import { registered, settle, setMode } from "../helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync, spawnSync } from "child_process";
import { GoServiceImage, GoServiceImageError } from "../../src";
import { MAIN_GO, REPO_ROOT, simpleModule } from "../helpers/module";

/** A small tmpfs of its own (root only), unmounted after the test. */
function tmpfs(options: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-tmpfs-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
    mounts.push(dir);
    return dir;
}
const mounts: string[] = [];

function writeModule(dir: string): void {
    fs.writeFileSync(path.join(dir, "go.mod"), "module example.com/ro\n\ngo 1.22\n");
    fs.writeFileSync(path.join(dir, "main.go"), MAIN_GO);
}

describe("integration: file system faults give one clear error, before anything is registered", function () {
    const cwd = process.cwd();
    let program: string;
    before(function () {
        assert.strictEqual(process.getuid?.(), 0, "these tests mount file systems: run them as root (CI does)");
    });
    beforeEach(() => {
        setMode("update");
        program = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-program-"));
        process.chdir(program);
    });
    afterEach(() => {
        process.chdir(cwd);
        for (const m of mounts.splice(0)) spawnSync("umount", [m]);
    });

    const registersNothing = async (make: () => unknown, pattern: RegExp) => {
        await settle();
        const before = registered.length;
        assert.throws(make, (e: unknown) => e instanceof GoServiceImageError && e.problems.length === 1 && pattern.test(e.message));
        await settle();
        assert.strictEqual(registered.length, before, "nothing registered");
    };

    it("a read-only module builds (nothing is written into it); a read-only generatedDir (EROFS) is one clear error", async () => {
        const context = tmpfs("size=1m");
        writeModule(context);
        execFileSync("mount", ["-o", "remount,ro", context]);
        const svc = new GoServiceImage("ro", { context, repository: "localhost:5000/ro" });
        assert.match(await new Promise<string>((r) => svc.tag.apply(r)), /^content-/);
        const generatedDir = tmpfs("size=1m");
        execFileSync("mount", ["-o", "remount,ro", generatedDir]);
        await registersNothing(
            () => new GoServiceImage("ro-gen", { context: simpleModule(), repository: "localhost:5000/ro", generatedDir }),
            /"[^"]+" is on a read-only file system \(EROFS\), and the generated files go to "[^"]+ro-gen": make it writable, or set 'generatedDir' to a writable directory\./,
        );
    });

    it("a full disk (ENOSPC) where the Dockerfile goes: one error naming the file, nothing registered, no partial file", async () => {
        const full = tmpfs("size=16k");
        spawnSync("dd", ["if=/dev/zero", `of=${path.join(full, "filler")}`, "bs=1k", "count=64"]);
        await registersNothing(
            () => new GoServiceImage("full", { context: simpleModule(), repository: "localhost:5000/full", generatedDir: full }),
            /"[^"]+full\/Dockerfile" cannot be written \(ENOSPC\): free some space on that file system \(or set 'generatedDir' to another one\)\. Nothing was written\./,
        );
        assert.deepStrictEqual(fs.readdirSync(full).filter((f) => f !== "filler" && f !== "full"), []);
        assert.ok(!fs.existsSync(path.join(full, "full", "Dockerfile")), "no partial Dockerfile");
    });

    it("an unreadable file in the context (EACCES, as a non-root user): the CLI exits 2 with one line naming it", () => {
        const context = simpleModule({ "secret.go": "package main\n" });
        fs.chmodSync(context, 0o777); // readable and writable for the user, but for the one file
        fs.chmodSync(path.join(context, "secret.go"), 0o000);
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-nobody-"));
        fs.chownSync(work, 65534, 65534);
        const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin", "go-service-image.js"), "build", context, "--repository", "localhost:5000/x", "--docker", "/nonexistent/docker"], { cwd: work, uid: 65534, gid: 65534, encoding: "utf8" });
        assert.strictEqual(r.status, 2, r.stderr);
        assert.strictEqual(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
        assert.match(r.stderr, /^go-service-image: "[^"]+secret\.go" in the build context cannot be read \(EACCES\): make it readable \(chmod a\+r\): the build reads it\.\n$/);
        assert.deepStrictEqual(fs.readdirSync(work), [], "nothing written");
    });

    it("an unreadable embedded directory (//go:embed data, data/ mode 000, as a non-root user): the CLI exits 2 and the component's resolve throws, with one line naming it", () => {
        const context = simpleModule({ "main.go": 'package main\n\nimport "embed"\n\n//go:embed data\nvar data embed.FS\n\nfunc main() { _ = data }\n', "data/a.txt": "a\n" });
        fs.chmodSync(context, 0o777);
        fs.chmodSync(path.join(context, "data"), 0o000);
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-nobody-"));
        fs.chownSync(work, 65534, 65534);
        const asNobody = { cwd: work, uid: 65534, gid: 65534, encoding: "utf8" as const };
        const expected = /^(go-service-image|GoServiceImage "embed"): the directory "[^"]+\/data", embedded by package \. \(\/\/go:embed\), cannot be read \(EACCES\): make it readable \(chmod a\+rx\): the build reads it\.\n$/;
        const cli = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin", "go-service-image.js"), "build", context, "--repository", "localhost:5000/x", "--docker", "/nonexistent/docker"], asNobody);
        assert.strictEqual(cli.status, 2, cli.stderr);
        assert.match(cli.stderr, expected);
        // The component's path: the same resolve, as a Pulumi program run by that user would call it.
        const script = `
            const { prepare } = require(${JSON.stringify(path.join(REPO_ROOT, "dist", "pipeline.js"))});
            const { Claims } = require(${JSON.stringify(path.join(REPO_ROOT, "dist", "resolve", "claims.js"))});
            try { prepare({ name: "embed", args: { context: ${JSON.stringify(context)}, repository: "localhost:5000/x" }, purpose: "component", claims: new Claims() }); }
            catch (e) { process.stderr.write(e.name + "\\n" + e.message + "\\n"); process.exit(3); }`;
        const comp = spawnSync(process.execPath, ["-e", script], asNobody);
        assert.strictEqual(comp.status, 3, comp.stderr);
        const [name, ...lines] = comp.stderr.split("\n");
        assert.strictEqual(name, "GoServiceImageError");
        assert.match(lines.join("\n"), expected);
        assert.deepStrictEqual(fs.readdirSync(work), [], "nothing written");
    });

    it("a file over 2 GiB in the context is hashed (streamed) with little memory", () => {
        const context = simpleModule();
        const big = path.join(context, "data.bin");
        fs.writeFileSync(big, "");
        fs.truncateSync(big, Math.floor(2.2 * 1024 ** 3)); // sparse: no disk used
        const script = `
            const { prepare } = require(${JSON.stringify(path.join(REPO_ROOT, "dist", "pipeline.js"))});
            const { Claims } = require(${JSON.stringify(path.join(REPO_ROOT, "dist", "resolve", "claims.js"))});
            const p = prepare({ name: "big", args: { context: ${JSON.stringify(context)}, repository: "localhost:5000/big" }, purpose: "build", claims: new Claims() });
            console.log(JSON.stringify({ tag: p.tag, maxRssKiB: process.resourceUsage().maxRSS }));`;
        const r = spawnSync(process.execPath, ["-e", script], { cwd: fs.mkdtempSync(path.join(os.tmpdir(), "gsi-big-")), encoding: "utf8" });
        assert.strictEqual(r.status, 0, r.stderr);
        const { tag, maxRssKiB } = JSON.parse(r.stdout) as { tag: string; maxRssKiB: number };
        assert.match(tag, /^content-[0-9a-f]{16}$/);
        console.log(`      measured: hashing a 2.2 GiB file: max RSS ${(maxRssKiB / 1024).toFixed(0)} MiB`);
        assert.ok(maxRssKiB < 300 * 1024, `max RSS ${maxRssKiB} KiB: the file was not streamed`);
    });
});
