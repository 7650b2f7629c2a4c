/**
 * `npm run bench`: measures image size, rebuild cost, stack scale and reproducibility, prints
 * the tables and writes bench/results.md. Needs the environment of the integration suite
 * (bash test/integration/env/up.sh). `BENCH_REPS` sets the repeats (default 3).
 */
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { checkEngine } from "../src/image/engine";
import { DOCKER, median, mib, spread } from "./lib";
import { rebuilds, reproducibility, sizes } from "./images";
import { perItem, scale } from "./scale";

const reps = Number(process.env.BENCH_REPS ?? 3);
const lines: string[] = [];
const out = (s = "") => {
    lines.push(s);
    console.log(s);
};
const table = (head: string[], rows: Array<Array<string | number>>) => {
    out(`| ${head.join(" | ")} |`);
    out(`| ${head.map(() => "---").join(" | ")} |`);
    for (const r of rows) out(`| ${r.join(" | ")} |`);
    out();
};

async function main(): Promise<void> {
    const engine = await checkEngine({ docker: DOCKER });
    const go = execFileSync("go", ["env", "GOVERSION"], { encoding: "utf8" }).trim();
    out("# Benchmarks");
    out();
    out(`Produced by \`npm run bench\` (${reps} repeats; median and min–max). Docker engine ${engine} (BuildKit built in), ${go}, ${require("os").cpus().length} cores. Base images are the stand-ins of test/integration/env/stand-ins.sh for every Dockerfile alike; ratios, not absolute times, are the result: this machine is shared and noisy.`);
    out();

    const s = sizes();
    out("## 1. Image size");
    out();
    out("Size of each image over the size of the static binary it ships (the limit is 1.0).");
    out();
    table(["example", "Dockerfile", "image MiB", "binary MiB", "image / binary"], s.rows.map((r) => [r.example, r.variant, mib(r.bytes), mib(s.binaries[r.example]), r.ratio.toFixed(3)]));

    const rb = rebuilds(reps);
    out("## 2. Rebuild cost");
    out();
    out("Seconds for a cold build (no build cache), a rebuild after a one-line source change, and a rebuild with nothing changed; ratio to the host's `go build` of the same step (cold: empty Go caches; the others: warm caches).");
    out();
    const rows: Array<Array<string | number>> = [];
    for (const r of rb.rows) {
        const h = rb.host[r.example];
        rows.push([r.example, r.variant, spread(r.cold), (median(r.cold) / median(h.cold)).toFixed(1), spread(r.change), (median(r.change) / median(h.change)).toFixed(1), spread(r.unchanged), (median(r.unchanged) / median(h.unchanged)).toFixed(1)]);
    }
    for (const h of Object.values(rb.host)) rows.push([h.example, h.variant, spread(h.cold), "1.0", spread(h.change), "1.0", spread(h.unchanged), "1.0"]);
    table(["example", "build", "cold s", "× host", "one-line change s", "× host", "unchanged s", "× host"], rows);

    const sc = scale(reps);
    out("## 3. Stack scale");
    out();
    out("N GoServiceImage components constructed under the test mocks until every output settled, against registering the same docker.Image children directly (milliseconds per component, median).");
    out();
    table(["mode", "N", "component ms each", "direct ms each", "ratio", "overhead ms each"], sc.map((r) => [r.mode, r.n, perItem(r.component, r.n).toFixed(2), perItem(r.direct, r.n).toFixed(2), (median(r.component) / median(r.direct)).toFixed(2), ((median(r.component) - median(r.direct)) / r.n).toFixed(2)]));

    const rp = reproducibility();
    out("## 4. Reproducibility");
    out();
    out("Two builds of the same source, each after clearing the build cache.");
    out();
    table(["example", "Dockerfile", "binary identical", "binary layer (diffID) identical", "image id identical"], rp.map((r) => [r.example, r.variant, yes(r.binary), yes(r.layer), yes(r.image)]));
    out(`On this engine (Docker ${engine}, BuildKit 0.8) the image config records build times, so the image id differs even when every layer is identical. The generated Dockerfile stamps every runtime file with \`SOURCE_DATE_EPOCH\` (the component passes 0, the workflow the commit time), which makes the layer identical here; BuildKit 0.11+ (Docker 23+) also takes \`SOURCE_DATE_EPOCH\` for the config and history times, which makes the whole image digest reproducible when provenance attestations are off (the default).`);
    out();

    // The engines section comes from its own run (`npm run bench:engines`): keep it.
    const file = path.join(__dirname, "results.md");
    const previous = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const engines = /<!-- engines:start -->[\s\S]*<!-- engines:end -->/.exec(previous)?.[0];
    fs.writeFileSync(file, engines ? `${lines.join("\n")}\n${engines}\n` : lines.join("\n"));
    console.log(`wrote ${path.join("bench", "results.md")}`);
}

function yes(b: boolean): string {
    return b ? "yes" : "no";
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
