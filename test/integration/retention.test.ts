import * as assert from "assert";
import { spawnSync } from "child_process";
import { freshBuilder, TEST_CA, TLS_REGISTRY } from "../../bench/buildkit";
import { replay, REPRODUCIBLE } from "../../bench/replay";
import { engineBuild, enginePush } from "../../src/image/engine";
import { GoServiceImageArgs } from "../../src";
import { HELLO } from "../helpers/module";
import { buildxComponentInputs, componentInputs, DOCKER, measure, requireEnvironment } from "./engine";

/**
 * Pushed images survive a delete, a rename and a replace of the component, on a registry the
 * providers can delete from: TLS on 127.0.0.1:5443 with deletes enabled, its CA in the system
 * store (test/integration/env/up.sh). No Pulumi engine runs here, so its part is modelled from its
 * documentation and the providers' part from their source; the pushes are real (the component's
 * inputs replayed on the engines), and so are the registry's answers.
 */

/** A registration as the component made it: what the engine keeps in state. */
interface Registered {
    readonly engine: "docker" | "docker-build";
    readonly tags: string[];
    readonly retainOnDelete?: boolean;
}

const MANIFESTS = "application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json,application/vnd.docker.distribution.manifest.list.v2+json";

/** curl against the TLS registry, trusting it through the system store as the providers do. */
function registry(method: "HEAD" | "GET" | "DELETE", path: string): { status: number; body: string } {
    const r = spawnSync("curl", ["-sS", "-X", method, ...(method === "HEAD" ? ["-I"] : []), "-H", `Accept: ${MANIFESTS}`, "-w", "\n%{http_code}", `https://${TLS_REGISTRY}/v2/${path}`], { encoding: "utf8" });
    assert.strictEqual(r.status, 0, `curl failed (is the CA trusted by the system? ${TEST_CA}): ${r.stderr}`);
    const lines = r.stdout.trimEnd().split("\n");
    return { status: Number(lines.pop()), body: lines.join("\n") };
}

const nameOf = (ref: string) => ref.slice(TLS_REGISTRY.length + 1).replace(/[:@].*$/, "");
const present = (repo: string, reference: string) => registry("HEAD", `${repo}/manifests/${reference}`).status === 200;

/**
 * The provider's Delete. @pulumi/docker-build: for each tag, `<repository>@<digest>` deleted from
 * the registry (provider/internal/image.go, Image.Delete: ref.SetDigest, then the client's delete,
 * the registry's manifest DELETE; observed as `DELETE /v2/<repo>/manifests/sha256:…`, 202, in
 * shared/REFERENCE.md). @pulumi/docker's Image: nothing ("This resource does not delete tags,
 * locally or remotely, when destroyed", its docs).
 */
function providerDelete(r: Registered, digest: string): number[] {
    if (r.engine === "docker") return [];
    return [...new Set(r.tags.map(nameOf))].map((repo) => registry("DELETE", `${repo}/manifests/${digest}`).status);
}

/**
 * The engine deleting a resource, as a destroy does, as a rename or reparent does to the old URN,
 * and as a replace does to the old resource after creating the new one (create before delete, the
 * default): it calls the provider's Delete unless the resource is retained ("If this option is set
 * then Pulumi will not call through to the resource provider's Delete method when deleting or
 * replacing the resource during pulumi up or pulumi destroy", Pulumi docs, Resource option
 * retainOnDelete).
 */
function engineDeletes(r: Registered, digest: string): number[] {
    return r.retainOnDelete === true ? [] : providerDelete(r, digest);
}

/** Each scenario's registrations, in order (each its own program run); the engine then deletes the first. */
const SCENARIOS: Array<{ what: string; names: string[] }> = [
    { what: "destroy", names: ["svc"] },
    { what: "a rename of the component (+ created, - deleted): the old digest, which deployments still run", names: ["svc-old", "svc-new"] },
    { what: "pulumi up --replace of the image (the replacement pushes the same digest first)", names: ["svc", "svc"] },
    { what: "two stacks sharing a tag: stack A destroyed while stack B runs the digest", names: ["svc-a", "svc-a"] },
];

describe(`integration: pushed images survive deletes, on a TLS registry with deletes enabled (${TLS_REGISTRY})`, function () {
    before(requireEnvironment);
    before(() => assert.strictEqual(registry("GET", "").status, 200, `no TLS registry on ${TLS_REGISTRY}: run bash test/integration/env/up.sh`));

    describe("@pulumi/docker (the Docker engine)", () => {
        /** Builds and pushes exactly what the component gives the provider; returns the registration and the digest. */
        async function push(name: string, args: Partial<GoServiceImageArgs> = {}): Promise<{ reg: Registered; digest: string; repo: string; tag: string }> {
            const repository = `${TLS_REGISTRY}/retain-docker`;
            const inputs = await componentInputs(name, { context: HELLO, repository, network: "host", ...args });
            await engineBuild(inputs.build, inputs.imageName, { docker: DOCKER });
            const ref = await enginePush(name, repository, inputs.tag, { docker: DOCKER });
            return { reg: { engine: "docker", tags: [inputs.imageName], retainOnDelete: inputs.retainOnDelete }, digest: ref.digest, repo: "retain-docker", tag: inputs.tag };
        }

        for (const s of SCENARIOS) {
            it(`${s.what}: the image stays, by digest and by tag`, async () => {
                const runs: Array<Awaited<ReturnType<typeof push>>> = [];
                for (const name of s.names) runs.push(await push(name));
                // A rename changes the title label, so the new name pushes another digest: the old one is what running deployments still pull.
                if (new Set(s.names).size === 1) assert.ok(runs.every((r) => r.digest === runs[0].digest), "the same sources and name give the same digest");
                assert.deepStrictEqual(engineDeletes(runs[0].reg, runs[0].digest), [], "no delete reaches the registry");
                assert.ok(present(runs[0].repo, runs[0].digest), "by digest");
                assert.ok(present(runs[0].repo, runs[0].tag), "by tag");
            });
        }

        it("deletePushedImage: true lets the engine call the provider's delete, which for @pulumi/docker deletes nothing from the registry", async () => {
            const r = await push("svc-opt-in", { deletePushedImage: true });
            assert.strictEqual(r.reg.retainOnDelete, false);
            assert.deepStrictEqual(engineDeletes(r.reg, r.digest), []);
            assert.ok(present(r.repo, r.digest));
        });
    });

    describe("@pulumi/docker-build (buildx, BuildKit v0.34.2)", () => {
        let builder: Awaited<ReturnType<typeof freshBuilder>>;
        before(async () => (builder = await freshBuilder("retain")));
        after(() => builder?.stop());

        /** Replays what the component gives docker-build's Image on the builder; returns the registration and the digest. */
        async function push(name: string, repo: string, args: Partial<GoServiceImageArgs> = {}): Promise<{ reg: Registered; digest: string; tag: string }> {
            const captured = await buildxComponentInputs(name, { context: HELLO, repository: `${TLS_REGISTRY}/${repo}`, ...args, buildx: { builder: builder.name, ...args.buildx } });
            const { digest } = replay(captured.inputs, captured.cwd, REPRODUCIBLE);
            return { reg: { engine: "docker-build", tags: captured.inputs.tags, retainOnDelete: captured.retainOnDelete }, digest, tag: captured.tag };
        }

        for (const s of SCENARIOS) {
            it(`${s.what}: the image stays, by digest and by tag`, async () => {
                const runs: Array<Awaited<ReturnType<typeof push>>> = [];
                for (const name of s.names) runs.push(await push(name, "retain-buildx"));
                // A rename changes the title label, so the new name pushes another digest: the old one is what running deployments still pull.
                if (new Set(s.names).size === 1) assert.ok(runs.every((r) => r.digest === runs[0].digest), "the same sources and name give the same digest");
                assert.deepStrictEqual(engineDeletes(runs[0].reg, runs[0].digest), [], "no delete reaches the registry");
                assert.ok(present("retain-buildx", runs[0].digest), "by digest");
                assert.ok(present("retain-buildx", runs[0].tag), "by tag");
            });
        }

        it("a two-platform index: destroy leaves the index and both platforms' manifests", async () => {
            const r = await push("svc-index", "retain-index", { buildx: { platforms: ["linux/amd64", "linux/arm64"] } });
            const index = JSON.parse(registry("GET", `retain-index/manifests/${r.digest}`).body) as { manifests: Array<{ digest: string }> };
            assert.strictEqual(index.manifests.length, 2);
            assert.deepStrictEqual(engineDeletes(r.reg, r.digest), []);
            for (const ref of [r.digest, r.tag, ...index.manifests.map((m) => m.digest)]) assert.ok(present("retain-index", ref), ref);
            measure(`retention: a two-platform index on the TLS registry kept after a destroy (${r.digest})`);
        });

        it("control: with deletePushedImage: true the same delete removes the image (the registry and the model do see a delete)", async () => {
            const r = await push("svc-opt-in", "retain-optin", { deletePushedImage: true });
            assert.strictEqual(r.reg.retainOnDelete, false);
            assert.ok(present("retain-optin", r.digest));
            assert.deepStrictEqual(engineDeletes(r.reg, r.digest), [202], "the provider's DELETE by digest");
            assert.ok(!present("retain-optin", r.digest), "gone by digest");
            assert.ok(!present("retain-optin", r.tag), "gone by tag");
        });
    });
});
