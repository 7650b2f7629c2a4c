import { freshProgramPerTest, registered, settle, SECRET_SIG } from "../helpers/mocks";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { GoServiceImage, GoServiceImageArgs } from "../../src";
import { simpleModule } from "../helpers/module";

const IMAGES = ["docker:index/image:Image", "docker-build:index:Image"];
const ENGINES: Array<[string, Partial<GoServiceImageArgs>]> = [["@pulumi/docker", {}], ["@pulumi/docker-build", { buildx: {} }]];

let n = 0;

/** The image registration of one component, as the register request carried it. */
async function imageRegistration(args: GoServiceImageArgs, opts?: pulumi.ComponentResourceOptions, name = `life-${++n}`) {
    await settle();
    const before = registered.length;
    new GoServiceImage(name, args, opts);
    await settle();
    const image = registered.slice(before).find((r) => IMAGES.includes(r.type));
    assert.ok(image, "no image registered");
    return image;
}

/** The value of a wire input, its secret wrapper removed. */
const plain = (v: any): any => (v && typeof v === "object" && SECRET_SIG in v ? v.value : v);

describe("lifecycle: pushed images survive deletes, credentials rotate without a diff", () => {
    const program = freshProgramPerTest();

    for (const [engine, extra] of ENGINES) {
        describe(engine, () => {
            it("the image child is registered with retainOnDelete: a destroy, rename or replace never calls the provider's delete", async () => {
                const image = await imageRegistration({ context: simpleModule(), repository: "localhost:5000/life", ...extra });
                assert.strictEqual(image.retainOnDelete, true);
            });

            it("it holds whatever the component's own options say (retainOnDelete: false on the component is inherited by nothing)", async () => {
                const image = await imageRegistration({ context: simpleModule(), repository: "localhost:5000/life", ...extra }, { retainOnDelete: false });
                assert.strictEqual(image.retainOnDelete, true);
            });

            it("deletePushedImage: true is the explicit opt-in to delete", async () => {
                const image = await imageRegistration({ context: simpleModule(), repository: "localhost:5000/life", deletePushedImage: true, ...extra });
                assert.strictEqual(image.retainOnDelete, false);
            });

            it("a new registry password every run (ECR, GAR, ACR tokens) changes nothing but the password", async () => {
                const context = simpleModule();
                const run = (password: string) => imageRegistration({ context, repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/life", registry: { username: "AWS", password }, ...extra }, undefined, "rotating");
                const a = await run("token-of-monday");
                program.next(); // the next pulumi up
                const b = await run("token-of-tuesday");
                const strip = (inputs: Record<string, any>) => {
                    const copy = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, plain(v)]))));
                    if (copy.registry) delete copy.registry.password; // @pulumi/docker: a password change rebuilds nothing (shared/REFERENCE.md, observed)
                    for (const r of copy.registries ?? []) delete r.password; // @pulumi/docker-build: Diff compares address and username only (provider/internal/image.go)
                    return copy;
                };
                assert.notDeepStrictEqual(a.inputs, b.inputs, "the new password reaches the provider");
                assert.deepStrictEqual(strip(b.inputs), strip(a.inputs));
            });
        });
    }

    it("buildx: a new netrc token every run is left out of the provider's diff (ignoreSecretsInDiffCalculation)", async () => {
        const context = simpleModule();
        const run = (token: string) => imageRegistration({ context, repository: "localhost:5000/life", buildx: { netrc: `machine github.com login x-access-token password ${token}\n` } }, undefined, "netrc-rotating");
        const a = await run("ghs_one");
        program.next(); // the next pulumi up
        const b = await run("ghs_two");
        // docker-build's Diff drops the secrets named in ignoreSecretsInDiffCalculation when both runs have them (provider/internal/image.go).
        for (const r of [a, b]) assert.deepStrictEqual(plain(r.inputs.ignoreSecretsInDiffCalculation), ["netrc"]);
        const { secrets: sa, ...ra } = a.inputs;
        const { secrets: sb, ...rb } = b.inputs;
        assert.notStrictEqual(plain(sa).netrc, plain(sb).netrc);
        assert.deepStrictEqual(rb, ra);
    });

    it("deletePushedImage must be a boolean", () => {
        assert.throws(() => new GoServiceImage("bad-delete", { context: simpleModule(), repository: "localhost:5000/life", deletePushedImage: "yes" as never }), /'deletePushedImage' must be true or false, got "yes"/);
    });
});
