import { fake, freshProgramPerTest, isKnown, registered, setMode, settle, valueOf } from "../helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import { GoServiceImage, GoServiceImageError } from "../../src";
import { depsModule, MAIN_GO, simpleModule, tempModule } from "../helpers/module";

const IMAGE = "docker:index/image:Image";
const COMPONENT = "pulumi-go-service-image:index:GoServiceImage";
const HEX64 = /^sha256:[0-9a-f]{64}$/;

let n = 0;
/** A fresh resource name per test: mocks are global to the process. */
const fresh = (base = "svc") => `${base}-${++n}`;

describe("GoServiceImage component", () => {
    const run = freshProgramPerTest();
    const nextRun = () => run.next();

    describe("update mode", () => {
        it("registers the component and one docker.Image child that builds the generated Dockerfile with BuildKit", async () => {
            const context = depsModule();
            const name = fresh("api");
            const before = registered.length;
            const svc = new GoServiceImage(name, { context, repository: "ghcr.io/acme/api", network: "host", platform: "linux/arm64", goEnv: { GOPROXY: "https://proxy.example" }, buildArgs: { EXTRA: "1" } });
            await valueOf(svc.imageRef);
            await settle();
            const mine = registered.slice(before);
            assert.deepStrictEqual(mine.map((r) => [r.type, r.name]), [[COMPONENT, name], [IMAGE, name]]);
            const image = mine[1].inputs;
            const tag = await valueOf(svc.tag);
            assert.strictEqual(image.imageName, `ghcr.io/acme/api:${tag}`);
            assert.deepStrictEqual(image.build, {
                context: path.relative(run.dir, context),
                dockerfile: `.go-service-image/${name}/Dockerfile`,
                args: { EXTRA: "1", GOPROXY: "https://proxy.example", SOURCE_DATE_EPOCH: "0", VERSION: tag },
                platform: "linux/arm64",
                network: "host",
                builderVersion: "BuilderBuildKit",
            });
            assert.strictEqual(image.buildOnPreview, false);
        });

        it("writes the Dockerfile where the Image reads it and its allow-list beside it, where the provider looks first", async () => {
            const context = simpleModule();
            const name = fresh();
            const svc = new GoServiceImage(name, { context, repository: "localhost:5000/simple" });
            const dockerfilePath = (await valueOf(svc.dockerfilePath))!;
            assert.strictEqual(fs.readFileSync(path.join(run.dir, dockerfilePath), "utf8"), await valueOf(svc.dockerfile));
            assert.strictEqual(fs.readFileSync(path.join(run.dir, `${dockerfilePath}.dockerignore`), "utf8"), await valueOf(svc.dockerignore));
            assert.ok(!fs.existsSync(path.join(context, ".dockerignore")), "nothing written into the module");
        });

        it("outputs imageRef by digest as the provider reports it, digest, imageName with the content tag", async () => {
            const svc = new GoServiceImage(fresh(), { context: simpleModule(), repository: "localhost:5000/simple" });
            const [ref, digest, imageName, tag] = await Promise.all([valueOf(svc.imageRef), valueOf(svc.digest), valueOf(svc.imageName), valueOf(svc.tag)]);
            assert.match(digest!, HEX64);
            assert.strictEqual(ref, `localhost:5000/simple@${digest}`);
            assert.strictEqual(imageName, `localhost:5000/simple:${tag}`);
            assert.match(tag!, /^content-[0-9a-f]{16}$/);
        });

        it("takes repository as an Output from another resource", async () => {
            const svc = new GoServiceImage(fresh(), { context: simpleModule(), repository: pulumi.output("123.dkr.ecr.eu-west-1.amazonaws.com/api") });
            assert.match((await valueOf(svc.imageRef))!, /^123\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/api@sha256:[0-9a-f]{64}$/);
        });

        it("fails loudly instead of passing on <none>@<none>", async () => {
            fake.repoDigest = () => "<none>@<none>";
            const svc = new GoServiceImage(fresh(), { context: simpleModule(), repository: "localhost:5000/simple" });
            await assert.rejects(valueOf(svc.imageRef), /did not report a usable digest for localhost:5000\/simple \(got "<none>@<none>"/);
        });

        it("keeps the registry password secret and passes server and username", async () => {
            const before = registered.length;
            const svc = new GoServiceImage(fresh(), { context: simpleModule(), repository: "ghcr.io/acme/api", registry: { server: "ghcr.io", username: "bot", password: "hunter2" } });
            await settle();
            const image = registered.slice(before).find((r) => r.type === IMAGE)!;
            // The SDK marks the object holding a secret as secret on the wire: the signature below.
            const SECRET_SIG = "4dabf18193072939515e22adb298388d";
            assert.strictEqual(image.inputs.registry[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270");
            assert.deepStrictEqual(image.inputs.registry.value, { server: "ghcr.io", username: "bot", password: "hunter2" });
            for (const output of [svc.imageRef, svc.digest, svc.imageName, svc.tag, svc.version, svc.dockerfile, svc.dockerignore, svc.dockerfilePath]) {
                assert.ok(!JSON.stringify(await valueOf(output)).includes("hunter2"));
            }
        });

        it("a password given as a secret Output stays secret", async () => {
            const before = registered.length;
            new GoServiceImage(fresh(), { context: simpleModule(), repository: "ghcr.io/acme/api", registry: { username: "bot", password: pulumi.secret("tok") } });
            await settle();
            const image = registered.slice(before).find((r) => r.type === IMAGE)!;
            assert.ok("4dabf18193072939515e22adb298388d" in image.inputs.registry);
        });

        it("is deterministic: two constructions give identical files, tags and inputs", async () => {
            const context = depsModule();
            const name = fresh();
            const before = registered.length;
            const a = new GoServiceImage(name, { context, repository: "ghcr.io/acme/api" });
            const fileA = fs.readFileSync(path.join(run.dir, (await valueOf(a.dockerfilePath))!));
            const ignoreA = fs.readFileSync(path.join(run.dir, `${(await valueOf(a.dockerfilePath))!}.dockerignore`));
            nextRun();
            const b = new GoServiceImage(name, { context, repository: "ghcr.io/acme/api" });
            await settle();
            assert.deepStrictEqual(fs.readFileSync(path.join(run.dir, (await valueOf(b.dockerfilePath))!)), fileA);
            assert.deepStrictEqual(fs.readFileSync(path.join(run.dir, `${(await valueOf(b.dockerfilePath))!}.dockerignore`)), ignoreA);
            assert.strictEqual(await valueOf(a.tag), await valueOf(b.tag));
            const images = registered.slice(before).filter((r) => r.type === IMAGE);
            assert.deepStrictEqual(images[0].inputs, images[1].inputs);
        });

        it("a source change gives a new tag and so a new image; an ignored file does not", async () => {
            const context = simpleModule();
            const name = fresh();
            const tag = async () => {
                nextRun();
                return valueOf(new GoServiceImage(name, { context, repository: "ghcr.io/acme/api" }).tag);
            };
            const first = await tag();
            fs.writeFileSync(path.join(context, "notes.swp"), "x");
            assert.strictEqual(await tag(), first);
            fs.writeFileSync(path.join(context, "extra.go"), "package main\n");
            assert.notStrictEqual(await tag(), first);
        });

        it("several services side by side in one stack, each with its own Dockerfile", async () => {
            const before = registered.length;
            const api = new GoServiceImage(fresh("api"), { context: depsModule(), repository: "ghcr.io/acme/api" });
            const web = new GoServiceImage(fresh("web"), { context: simpleModule(), repository: "ghcr.io/acme/web", runtime: "distroless" });
            const [pa, pw] = [await valueOf(api.dockerfilePath), await valueOf(web.dockerfilePath)];
            assert.notStrictEqual(pa, pw);
            assert.match((await valueOf(web.dockerfile))!, /^FROM gcr\.io\/distroless\/static-debian12:nonroot$/m);
            await settle();
            assert.strictEqual(registered.slice(before).filter((r) => r.type === IMAGE).length, 2);
        });

        it("children are parented to the component", async () => {
            const svc = new GoServiceImage(fresh(), { context: simpleModule(), repository: "ghcr.io/acme/api" });
            const [parentUrn, urn] = await Promise.all([valueOf(svc.urn), valueOf((svc.image as unknown as { __parentResource: pulumi.Resource }).__parentResource.urn)]);
            assert.strictEqual(urn, parentUrn);
        });
    });

    describe("preview mode", () => {
        beforeEach(() => setMode("preview"));

        it("imageRef and digest are unknown; the files and the tag are known and written", async () => {
            const context = simpleModule();
            const svc = new GoServiceImage(fresh(), { context, repository: "ghcr.io/acme/api" });
            assert.strictEqual(await isKnown(svc.imageRef), false);
            assert.strictEqual(await isKnown(svc.digest), false);
            assert.match((await valueOf(svc.tag))!, /^content-/);
            assert.ok(fs.existsSync(path.join(run.dir, (await valueOf(svc.dockerfilePath))!)), "the provider's Check reads the Dockerfile in preview too");
            assert.ok(fs.existsSync(path.join(run.dir, `${(await valueOf(svc.dockerfilePath))!}.dockerignore`)));
        });

        it("preview and update generate the same files and tag", async () => {
            const context = simpleModule();
            const name = fresh();
            const p = new GoServiceImage(name, { context, repository: "ghcr.io/acme/api" });
            const previewed = [await valueOf(p.dockerfile), await valueOf(p.tag)];
            setMode("update");
            nextRun();
            const u = new GoServiceImage(name, { context, repository: "ghcr.io/acme/api" });
            assert.deepStrictEqual([await valueOf(u.dockerfile), await valueOf(u.tag)], previewed);
        });

        it("buildOnPreview: the provider's local image id (no repository) gives an unknown imageRef, not an error", async () => {
            const before = registered.length;
            const svc = new GoServiceImage(fresh(), { context: simpleModule(), repository: "ghcr.io/acme/api", buildOnPreview: true });
            await settle();
            const image = registered.slice(before).find((r) => r.type === IMAGE)!;
            assert.strictEqual(image.inputs.buildOnPreview, true);
            assert.match(String(await valueOf((svc.image as docker.Image).repoDigest)), /^sha256:[0-9a-f]{64}$/, "the mock reports what the real provider does in preview");
            assert.strictEqual(await isKnown(svc.imageRef), false);
            assert.strictEqual(await isKnown(svc.digest), false);
            assert.match((await valueOf(svc.tag))!, /^content-/);
        });

        it("after an update the same malformed digest still fails loudly", async () => {
            setMode("update");
            fake.repoDigest = () => `sha256:${"a".repeat(64)}`;
            const svc = new GoServiceImage(fresh(), { context: simpleModule(), repository: "ghcr.io/acme/api", buildOnPreview: true });
            await assert.rejects(valueOf(svc.imageRef), /did not report a usable digest for ghcr\.io\/acme\/api \(got "sha256:a{64}"/);
        });
    });

    describe("bad input", () => {
        const cases: Array<[string, () => Record<string, unknown>, RegExp]> = [
            ["missing repository", () => ({ context: simpleModule() }), /'repository' is required/],
            ["repository with tag", () => ({ context: simpleModule(), repository: "ghcr.io/acme/api:latest" }), /'repository' must not have a tag, got "ghcr\.io\/acme\/api:latest": .*give "ghcr\.io\/acme\/api"/],
            ["repository with digest", () => ({ context: simpleModule(), repository: `ghcr.io/acme/api@sha256:${"a".repeat(64)}` }), /'repository' must not have a digest/],
            ["uppercase repository", () => ({ context: simpleModule(), repository: "ghcr.io/Acme/API" }), /'repository' must be lowercase, got "ghcr\.io\/Acme\/API": use "ghcr\.io\/acme\/api"/],
            ["repository with scheme", () => ({ context: simpleModule(), repository: "https://ghcr.io/acme/api" }), /'repository' must not have a scheme.*use "ghcr\.io\/acme\/api"/],
            ["registry server with scheme", () => ({ context: simpleModule(), repository: "ghcr.io/acme/api", registry: { server: "https://ghcr.io" } }), /'registry\.server' must be a host without a scheme, got "https:\/\/ghcr\.io": use "ghcr\.io"/],
            ["registry port out of range", () => ({ context: simpleModule(), repository: "localhost:70000/api" }), /port 70000 in "localhost:70000\/api", out of range/],
            ["server not the repository's", () => ({ context: simpleModule(), repository: "ghcr.io/acme/api", registry: { server: "quay.io" } }), /'registry\.server' "quay\.io" is not the registry of 'repository'/],
            ["username without password", () => ({ context: simpleModule(), repository: "ghcr.io/acme/api", registry: { username: "bot" } }), /'registry\.password' is missing: give both username and password/],
            ["unknown network", () => ({ context: simpleModule(), repository: "ghcr.io/acme/api", network: "bridge0" }), /'network' must be "default", "host" or "none", got "bridge0"/],
            ["no go.mod", () => ({ context: fs.mkdtempSync(path.join(os.tmpdir(), "gsi-empty-")), repository: "ghcr.io/acme/api" }), /has no go\.mod/],
            ["cgo with scratch", () => ({ context: simpleModule(), repository: "ghcr.io/acme/api", cgo: true }), /'cgo' is true but runtime "scratch"/],
        ];
        for (const [what, args, pattern] of cases) {
            it(`${what}: throws before anything is registered or written`, async () => {
                const name = fresh("bad");
                await settle();
                const before = registered.length;
                const a = args();
                assert.throws(() => new GoServiceImage(name, a as never), (e: unknown) => e instanceof GoServiceImageError && pattern.test(e.message));
                await settle();
                assert.strictEqual(registered.length, before, "nothing registered");
                assert.ok(!fs.existsSync(path.join(run.dir, ".go-service-image")), "no Dockerfile written");
            });
        }

        it("writes nothing into the module: a .dockerignore of the user's own stays as it is", async () => {
            const context = simpleModule({ ".dockerignore": "my rules\n" });
            const before = fs.readdirSync(context).sort();
            const svc = new GoServiceImage(fresh(), { context, repository: "ghcr.io/acme/api" });
            assert.match((await valueOf(svc.tag))!, /^content-/);
            assert.deepStrictEqual(fs.readdirSync(context).sort(), before);
            assert.strictEqual(fs.readFileSync(path.join(context, ".dockerignore"), "utf8"), "my rules\n");
        });

        it("several services on one module, each with its own main and files, side by side", async () => {
            const context = tempModule({ "go.mod": "module example.com/two\n\ngo 1.22\n", "cmd/api/main.go": MAIN_GO, "cmd/worker/main.go": MAIN_GO });
            const api = new GoServiceImage(fresh("api"), { context, repository: "ghcr.io/acme/api", main: "./cmd/api" });
            const worker = new GoServiceImage(fresh("worker"), { context, repository: "ghcr.io/acme/worker", main: "./cmd/worker", dockerignore: ["**/*.md"] });
            assert.notStrictEqual(await valueOf(api.dockerfilePath), await valueOf(worker.dockerfilePath));
            assert.match((await valueOf(worker.dockerfile))!, /ENTRYPOINT \["\/usr\/local\/bin\/worker"\]/);
        });
    });
});
