/**
 * The Go caches of the generated workflow, measured on the path a CI run takes: the image job's
 * `docker buildx build` (the flags docker/build-push-action makes of the generated step) on a fresh
 * BuildKit v0.34.2 (a fresh runner), after a one-line change, with the module and build caches
 * restored by the cache dance, against the same without the restore, and against host `go build`
 * with the same restored caches as GOMODCACHE and GOCACHE. Writes bench/ci-cache.md.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { ciRepository, compiled, freshRunner, imageJobArgs, oneLineChange, RunnerResult } from "./buildkit";

const ROOT = path.resolve(__dirname, "..");
const reps = Number(process.env.BENCH_REPS ?? 3);

/** Host `go build` of the service with the restored caches, as a runner's setup-go would use them. */
function hostBuild(repo: string, cache: string): RunnerResult {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-host-cache-"));
    fs.cpSync(path.join(cache, "go-mod-cache"), path.join(tmp, "mod"), { recursive: true });
    fs.cpSync(path.join(cache, "go-build-cache"), path.join(tmp, "build"), { recursive: true });
    const start = process.hrtime.bigint();
    const r = spawnSync("go", ["build", "-x", "-trimpath", "-tags", "timetzdata", "-o", path.join(tmp, "api"), "."], {
        cwd: path.join(repo, "services", "api"),
        encoding: "utf8",
        env: { ...process.env, GOWORK: "off", GOFLAGS: "", GOMODCACHE: path.join(tmp, "mod"), GOCACHE: path.join(tmp, "build"), CGO_ENABLED: "0", GOPROXY: "off" },
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) throw new Error(`host go build failed:\n${r.stderr.slice(-2000)}`);
    return { seconds, downloads: 0, compiles: compiled(r.stderr) };
}

async function main(): Promise<void> {
    const rows: Array<{ layers: RunnerResult; restored: RunnerResult; cold: RunnerResult; host: RunnerResult }> = [];
    for (let i = 0; i < reps; i++) {
        const { repo, workflow } = ciRepository(path.join(ROOT, "examples", "monorepo"));
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-actions-cache-"));
        // The workflow's type=gha layer cache, played by a registry: written by the default branch's run.
        const layerCache = `127.0.0.1:5000/bench-ci-layer-cache:run-${process.hrtime.bigint()}`;
        await freshRunner(`bench-save-${i}`, imageJobArgs(workflow, repo, `sha-${i}a`, { ref: layerCache, write: true }), cache, true);
        oneLineChange(repo);
        const args = imageJobArgs(workflow, repo, `sha-${i}b`);
        // Each measurement paired with the others in one round, so load affects them alike.
        rows.push({
            layers: await freshRunner(`bench-layers-${i}`, imageJobArgs(workflow, repo, `sha-${i}b`, { ref: layerCache, write: false }), cache),
            restored: await freshRunner(`bench-restored-${i}`, args, cache),
            cold: await freshRunner(`bench-cold-${i}`, args),
            host: hostBuild(repo, cache),
        });
        process.stderr.write(`round ${i + 1}/${reps} done\n`);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const fmt = (pick: (r: (typeof rows)[number]) => RunnerResult) => {
        const xs = rows.map(pick);
        return `${med(xs.map((x) => x.seconds)).toFixed(2)} s (${Math.min(...xs.map((x) => x.seconds)).toFixed(2)}–${Math.max(...xs.map((x) => x.seconds)).toFixed(2)}) | ${med(xs.map((x) => x.downloads))} | ${med(xs.map((x) => x.compiles))}`;
    };
    const lines = [
        "# CI caches on a fresh runner",
        "",
        `Produced by \`npm run bench:ci-cache\` (${reps} rounds, median and min–max; ${os.cpus().length} cores). A fresh runner is a fresh BuildKit v0.34.2 with an empty state;`,
        "the build is the generated image job's `docker buildx build` of examples/monorepo services/api after a one-line change (a string literal in libs/shared),",
        "with `GOFLAGS=-x` so go says what it downloads and compiles.",
        "",
        "| run | time | module downloads | packages compiled |",
        "| --- | --- | --- | --- |",
        `| fresh runner, caches restored and the layer cache read (as the workflow runs on GitHub; the \`type=gha\` cache played by a registry) | ${fmt((r) => r.layers)} |`,
        `| fresh runner, caches restored (cache dance), no layer cache | ${fmt((r) => r.restored)} |`,
        `| fresh runner, no restore | ${fmt((r) => r.cold)} |`,
        `| host \`go build\`, same restored GOMODCACHE and GOCACHE | ${fmt((r) => r.host)} |`,
        "",
    ];
    const text = lines.join("\n");
    process.stdout.write(text);
    fs.writeFileSync(path.join(ROOT, "bench", "ci-cache.md"), text);
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
