import { fake, freshProgramPerTest, isKnown, isSecret, registered, setMode, settle, valueOf, SECRET, SECRET_SIG } from "../helpers/mocks";
import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { GoServiceImage } from "../../src";
import { simpleModule } from "../helpers/module";

const BUILDX_IMAGE = "docker-build:index:Image";
const DOCKER_IMAGE = "docker:index/image:Image";
const COMPONENT = "pulumi-go-service-image:index:GoServiceImage";

let n = 0;
const fresh = (base = "bx") => `${base}-${++n}`;

/** The registration of the image resource a component made, and the wire's view of one input. */
async function imageOf(build: () => GoServiceImage): Promise<{ svc: GoServiceImage; type: string; inputs: Record<string, any> }> {
    await settle();
    const before = registered.length;
    const svc = build();
    await settle();
    const image = registered.slice(before).find((r) => r.type === BUILDX_IMAGE || r.type === DOCKER_IMAGE);
    assert.ok(image, "no image resource registered");
    return { svc, type: image.type, inputs: image.inputs };
}

describe("GoServiceImage with buildx (@pulumi/docker-build)", () => {
    const run = freshProgramPerTest();

    it("registers docker-build's Image with every setting: platforms, caches, builder, netrc secret, registry, pushed under the content tag", async () => {
        const context = simpleModule();
        const name = fresh("api");
        const before = registered.length;
        const svc = new GoServiceImage(name, {
            context,
            repository: "ghcr.io/acme/api",
            network: "host",
            registry: { username: "bot", password: "hunter2" },
            buildx: {
                platforms: ["linux/amd64", "linux/arm64"],
                cacheFrom: ["type=registry,ref=ghcr.io/acme/api:cache"],
                cacheTo: ["type=registry,ref=ghcr.io/acme/api:cache,mode=max"],
                builder: "ci-buildkit",
                netrc: "machine git.example.com login bot password s3cret",
            },
        });
        await valueOf(svc.imageRef);
        await settle();
        const mine = registered.slice(before);
        assert.deepStrictEqual(mine.map((r) => [r.type, r.name]), [[COMPONENT, name], [BUILDX_IMAGE, name]]);
        const tag = (await valueOf(svc.tag))!;
        // Secret values travel wrapped in the engine's secret signature: the provider keeps them encrypted in state.
        const { secrets, registries, ...plain } = mine[1].inputs;
        assert.strictEqual(secrets[SECRET_SIG], SECRET, "the netrc is sent as a secret");
        assert.strictEqual(registries[SECRET_SIG], SECRET, "the registry login is sent as a secret");
        assert.deepStrictEqual({ ...plain, secrets: secrets.value, registries: registries.value }, {
            tags: [`ghcr.io/acme/api:${tag}`],
            push: true,
            context: { location: path.relative(run.dir, context) },
            dockerfile: { location: `.go-service-image/${name}/Dockerfile` },
            buildArgs: { SOURCE_DATE_EPOCH: "0", VERSION: tag },
            platforms: ["linux/amd64", "linux/arm64"],
            network: "host",
            cacheFrom: [{ raw: "type=registry,ref=ghcr.io/acme/api:cache" }],
            cacheTo: [{ raw: "type=registry,ref=ghcr.io/acme/api:cache,mode=max" }],
            builder: { name: "ci-buildkit" },
            secrets: { netrc: "machine git.example.com login bot password s3cret" },
            ignoreSecretsInDiffCalculation: ["netrc"],
            registries: [{ address: "ghcr.io", username: "bot", password: "hunter2" }],
            buildOnPreview: false,
        });
        assert.deepStrictEqual(await valueOf(svc.platforms), ["linux/amd64", "linux/arm64"]);
        assert.strictEqual(await valueOf(svc.platform), "linux/amd64");
        assert.strictEqual(await valueOf(svc.imageName), `ghcr.io/acme/api:${tag}`);
    });

    it("keeps the netrc and the registry password secret in state", async () => {
        const { svc } = await imageOf(() => new GoServiceImage(fresh(), { context: simpleModule(), repository: "ghcr.io/acme/api", registry: { username: "bot", password: "pw" }, buildx: { netrc: "machine a login b password c" } }));
        const image = svc.image as unknown as { secrets: pulumi.Output<unknown>; registries: pulumi.Output<unknown> };
        assert.strictEqual(await isSecret(image.secrets), true, "secrets");
        assert.strictEqual(await isSecret(image.registries), true, "registries (the password)");
    });

    it("imageRef is the index digest the provider reports, on the repository: repo@sha256:…", async () => {
        const { svc, inputs } = await imageOf(() => new GoServiceImage(fresh(), { context: simpleModule(), repository: "localhost:5000/simple", buildx: { platforms: ["linux/amd64", "linux/arm64"] } }));
        const digest = (await valueOf(svc.digest))!;
        assert.match(digest, /^sha256:[0-9a-f]{64}$/);
        assert.strictEqual(await valueOf(svc.imageRef), `localhost:5000/simple@${digest}`);
        assert.strictEqual(await valueOf((svc.image as unknown as { ref: pulumi.Output<string> }).ref), `${inputs.tags[0]}@${digest}`, "the provider's own ref names the tag too");
    });

    it("buildx: {} builds linux/amd64 alone and keeps the tag the docker engine gives the same service", async () => {
        const context = simpleModule();
        const a = await imageOf(() => new GoServiceImage("same", { context, repository: "localhost:5000/simple", buildx: {} }));
        assert.deepStrictEqual(a.inputs.platforms, ["linux/amd64"]);
        for (const key of ["cacheFrom", "cacheTo", "builder", "secrets", "registries"]) assert.ok(!(key in a.inputs), `${key} left out`);
        const tagA = await valueOf(a.svc.tag);
        run.next();
        const b = await imageOf(() => new GoServiceImage("same", { context, repository: "localhost:5000/simple" }));
        assert.strictEqual(b.type, DOCKER_IMAGE);
        assert.strictEqual(await valueOf(b.svc.tag), tagA, "switching engines does not change what the tag names");
    });

    it("a second platform changes the tag: the index is another image", async () => {
        const context = simpleModule();
        const one = await imageOf(() => new GoServiceImage("plat", { context, repository: "localhost:5000/simple", buildx: { platforms: ["linux/amd64"] } }));
        run.next();
        const two = await imageOf(() => new GoServiceImage("plat", { context, repository: "localhost:5000/simple", buildx: { platforms: ["linux/amd64", "linux/arm64"] } }));
        assert.notStrictEqual(await valueOf(one.svc.tag), await valueOf(two.svc.tag));
    });

    it("a cache reference only known later (an Output) reaches the provider as given", async () => {
        const ref = pulumi.output("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api");
        const { inputs } = await imageOf(() => new GoServiceImage(fresh(), { context: simpleModule(), repository: ref, buildx: { cacheFrom: [pulumi.interpolate`type=registry,ref=${ref}:cache`] } }));
        assert.deepStrictEqual(inputs.cacheFrom, [{ raw: "type=registry,ref=123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:cache" }]);
        assert.deepStrictEqual(inputs.registries, undefined);
    });

    it("after an update with no digest reported (nothing exported) it fails loudly rather than deploy an unpushed image", async () => {
        fake.digest = () => "";
        const svc = new GoServiceImage(fresh(), { context: simpleModule(), repository: "localhost:5000/simple", buildx: {} });
        await assert.rejects(valueOf(svc.imageRef), /the registry did not report a usable digest for localhost:5000\/simple \(got null/);
    });

    describe("preview", () => {
        beforeEach(() => setMode("preview"));
        afterEach(() => setMode("update"));

        it("without buildOnPreview: the provider is told not to build, imageRef and digest are unknown, the tag is known", async () => {
            const { svc, inputs } = await imageOf(() => new GoServiceImage(fresh(), { context: simpleModule(), repository: "localhost:5000/simple", buildx: {} }));
            assert.strictEqual(inputs.buildOnPreview, false, "docker-build builds on preview unless told");
            assert.strictEqual(await isKnown(svc.imageRef), false);
            assert.strictEqual(await isKnown(svc.digest), false);
            assert.match((await valueOf(svc.tag))!, /^content-[0-9a-f]{16}$/);
        });

        it("with buildOnPreview: the would-be digest the build reports (nothing pushed) gives an unknown imageRef, not a false one", async () => {
            const { svc, inputs } = await imageOf(() => new GoServiceImage(fresh(), { context: simpleModule(), repository: "localhost:5000/simple", buildOnPreview: true, buildx: {} }));
            assert.strictEqual(inputs.buildOnPreview, true);
            assert.match(String(await valueOf((svc.image as unknown as { digest: pulumi.Output<string> }).digest)), /^sha256:/, "the mock reports a digest, as the exporter does without pushing");
            assert.strictEqual(await isKnown(svc.imageRef), false);
            assert.strictEqual(await isKnown(svc.digest), false);
        });

        it("with github, a preview says whether up deploys what CI published (it asks the registry for the content tag); an update asks nothing; the Docker engine says it rebuilds", async () => {
            const digest = "sha256:" + "cd".repeat(32);
            const seen: string[] = [];
            // A registry holding every content tag (CI published), over plain HTTP on loopback as Docker allows.
            const server = http.createServer((req, res) => {
                seen.push(`${req.method} ${req.url}`);
                if (/^\/v2\/api\/manifests\/content-[0-9a-f]{16}$/.test(req.url ?? "")) res.setHeader("Docker-Content-Digest", digest);
                else res.statusCode = 404;
                res.end();
            });
            await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
            const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
            const said: string[] = [];
            const info = pulumi.log.info;
            (pulumi.log as { info: typeof info }).info = async (message: string) => void said.push(message);
            try {
                const github = { repository: `said-${n}`, manageSecrets: false };
                const { svc } = await imageOf(() => new GoServiceImage(fresh(), { context: simpleModule(), repository: `${host}/api`, buildx: {}, github }));
                await settle();
                const tag = (await valueOf(svc.tag))!;
                assert.deepStrictEqual(seen, [`HEAD /v2/api/manifests/${tag}`]);
                assert.deepStrictEqual(said, [`${host}/api:${tag}: CI published this content as ${digest}: up builds it from CI's registry cache (nothing compiled, no module fetched) and deploys that digest.`]);

                said.length = 0;
                await imageOf(() => new GoServiceImage(fresh(), { context: simpleModule(), repository: `${host}/api`, github: { ...github, repository: `said-d-${n}` } }));
                await settle();
                assert.strictEqual(seen.length, 1, "the Docker engine path asks no registry");
                assert.match(said[0], /up builds it with the Docker engine, which reads no registry cache/);

                setMode("update");
                said.length = 0;
                await imageOf(() => new GoServiceImage(fresh(), { context: simpleModule(), repository: `${host}/api`, buildx: {}, github: { ...github, repository: `said-u-${n}` } }));
                await settle();
                assert.deepStrictEqual([seen.length, said], [1, []], "an update neither asks nor says");
            } finally {
                (pulumi.log as { info: typeof info }).info = info;
                await new Promise((r) => server.close(r));
            }
        });

        it("a preview then an update of the same program give the same inputs: no diff from the library", async () => {
            const context = simpleModule();
            const p = await imageOf(() => new GoServiceImage("stable", { context, repository: "localhost:5000/simple", buildx: { platforms: ["linux/amd64", "linux/arm64"] } }));
            setMode("update");
            run.next();
            const u = await imageOf(() => new GoServiceImage("stable", { context, repository: "localhost:5000/simple", buildx: { platforms: ["linux/amd64", "linux/arm64"] } }));
            assert.deepStrictEqual(u.inputs, p.inputs);
        });
    });
});
