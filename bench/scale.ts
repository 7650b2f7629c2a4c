/** 3. Stack scale: N components under mocks, against the same children registered directly. */
import { execFileSync } from "child_process";
import * as path from "path";
import { median } from "./lib";

export interface ScaleRow { n: number; mode: string; component: number[]; direct: number[] }

const WORKER = path.join(__dirname, "scale-worker.ts");

function once(n: number, mode: string, kind: string): number {
    const out = execFileSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", WORKER, String(n), mode, kind], { encoding: "utf8" });
    return (JSON.parse(out.trim().split("\n").pop()!) as { ms: number }).ms;
}

export function scale(reps: number, sizes = [1, 10, 50, 200]): ScaleRow[] {
    const rows: ScaleRow[] = [];
    for (const mode of ["preview", "update"]) {
        for (const n of sizes) {
            const row: ScaleRow = { n, mode, component: [], direct: [] };
            for (let i = 0; i < reps; i++) {
                row.component.push(once(n, mode, "component"));
                row.direct.push(once(n, mode, "direct"));
            }
            rows.push(row);
        }
    }
    return rows;
}

/** Milliseconds per component, median over the repeats. */
export function perItem(xs: number[], n: number): number {
    return median(xs) / n;
}
