/**
 * One measurement of stack scale, in a process of its own (mocks are global to a process):
 * registers N GoServiceImage components, or the same N docker.Image children directly, under
 * the test mocks in preview or update mode, and prints the milliseconds until every output settled.
 * Usage: ts-node bench/scale-worker.ts <N> <preview|update> <component|direct>
 */
import { setMode } from "../test/helpers/mocks";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { GoServiceImage } from "../src";
import { ROOT } from "./lib";

async function main(): Promise<void> {
    const [n, mode, kind] = [Number(process.argv[2]), process.argv[3] as "preview" | "update", process.argv[4]];
    setMode(mode);
    process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-scale-")));
    const context = path.join(ROOT, "examples", "hello-service");
    // Warm the module cache of the process (imports, first resolve) outside the measurement.
    const warm = new GoServiceImage("warm", { context, repository: "ghcr.io/acme/warm" });
    await settled([warm.imageName]);

    const start = process.hrtime.bigint();
    const outputs: pulumi.Output<unknown>[] = [];
    for (let i = 0; i < n; i++) {
        if (kind === "component") {
            const svc = new GoServiceImage(`svc-${i}`, { context, repository: `ghcr.io/acme/svc-${i}` });
            outputs.push(svc.imageName, mode === "update" ? svc.imageRef : svc.tag);
        } else {
            const image = new docker.Image(`svc-${i}`, {
                imageName: `ghcr.io/acme/svc-${i}:content-0123456789abcdef`,
                build: { context: "examples/hello-service", dockerfile: `.go-service-image/svc-${i}/Dockerfile`, args: { VERSION: "content-0123456789abcdef", SOURCE_DATE_EPOCH: "0" }, builderVersion: "BuilderBuildKit" },
                buildOnPreview: false,
            });
            outputs.push(image.imageName, mode === "update" ? image.repoDigest : image.imageName);
        }
    }
    await settled(outputs);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    process.stdout.write(JSON.stringify({ n, mode, kind, ms }) + "\n");
}

/** Resolves when every output is settled (known or not). */
function settled(outputs: pulumi.Output<unknown>[]): Promise<unknown> {
    return Promise.all(outputs.map((o) => (o as unknown as { isKnown: Promise<boolean> }).isKnown.then((known) => (known ? new Promise((r) => o.apply(r)) : undefined))));
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
