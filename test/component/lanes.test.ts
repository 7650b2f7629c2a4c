import { dependencies, freshProgramPerTest, registered, settle } from "../helpers/mocks";
import * as assert from "assert";
import { GoServiceImage, GoServiceImageArgs } from "../../src";
import { simpleModule } from "../helpers/module";

let n = 0;

/** Registers services one after another; returns each one's image child and the image children it waits for (by name). */
async function stack(count: number, args: (i: number) => Partial<GoServiceImageArgs>): Promise<Array<{ name: string; waitsFor: string[] }>> {
    const context = simpleModule();
    const names = Array.from({ length: count }, () => `lane-${++n}`);
    const before = registered.length;
    names.forEach((name, i) => new GoServiceImage(name, { context, repository: `localhost:5000/${name}`, ...args(i) } as GoServiceImageArgs));
    await settle();
    const images = new Set(registered.slice(before).filter((r) => r.type === "docker-build:index:Image" || r.type === "docker:index/image:Image").map((r) => r.name));
    return names.map((name) => ({ name, waitsFor: (dependencies.get(name) ?? []).map((urn) => urn.slice(urn.lastIndexOf("::") + 2)).filter((d) => images.has(d)) }));
}

describe("maxParallelBuilds: at most N builds at a time on one engine (each image waits for the one N before it)", () => {
    freshProgramPerTest();

    it("five services, two at a time on one builder: two chains (0→2→4, 1→3)", async () => {
        const s = await stack(5, () => ({ maxParallelBuilds: 2, buildx: { builder: `bk-${n}` } }));
        assert.deepStrictEqual(s.map((x) => x.waitsFor), [[], [], [s[0].name], [s[1].name], [s[2].name]]);
    });

    it("one at a time: one chain, in registration order; on the Docker engine too", async () => {
        const s = await stack(3, () => ({ maxParallelBuilds: 1 }));
        assert.deepStrictEqual(s.map((x) => x.waitsFor), [[], [s[0].name], [s[1].name]]);
    });

    it("images on other builders do not wait for each other; unset, no image waits (the default: every build at once)", async () => {
        const other = await stack(4, (i) => ({ maxParallelBuilds: 1, buildx: { builder: `own-${n}-${i}` } }));
        assert.deepStrictEqual(other.map((x) => x.waitsFor), [[], [], [], []]);
        const unbounded = await stack(3, () => ({ buildx: { builder: `free-${n}` } }));
        assert.deepStrictEqual(unbounded.map((x) => x.waitsFor), [[], [], []]);
    });
});
