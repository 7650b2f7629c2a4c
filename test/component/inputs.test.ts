import { freshProgramPerTest, registered, settle } from "../helpers/mocks";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { GoServiceImage, GoServiceImageError } from "../../src";
import { BAD_INPUTS, BASE, ODD_INPUTS } from "../helpers/bad-inputs";
import { simpleModule } from "../helpers/module";

const IMAGE = "docker:index/image:Image";

describe("the input table through the component", () => {
    const run = freshProgramPerTest();

    for (const [what, input, field, pattern, where] of BAD_INPUTS) {
        if (where?.cliOnly) continue;
        it(`rejected: ${what}`, async () => {
            const args = { ...BASE, ...input };
            const ignoreBefore = typeof args.context === "string" && fs.existsSync(path.join(args.context, ".dockerignore"));
            await settle();
            const before = registered.length;
            assert.throws(
                () => new GoServiceImage(where?.name ?? "table", args as never),
                (e: unknown) => {
                    assert.ok(e instanceof GoServiceImageError, `a raw error: ${(e as Error).stack}`);
                    assert.deepStrictEqual(e.problems.map((p) => p.field), [field], e.message);
                    assert.match(e.message, pattern);
                    return true;
                },
            );
            await settle();
            assert.strictEqual(registered.length, before, "nothing registered");
            assert.deepStrictEqual(fs.readdirSync(run.dir), [], "nothing written in the program directory");
            if (typeof args.context === "string" && !ignoreBefore) assert.ok(!fs.existsSync(path.join(args.context, ".dockerignore")), "no .dockerignore written");
        });
    }

    for (const [what, input, where] of ODD_INPUTS) {
        it(`accepted: ${what}`, async () => {
            const before = registered.length;
            const svc = new GoServiceImage(where?.name ?? "table", { ...BASE, ...input } as never);
            await settle();
            assert.strictEqual(registered.slice(before).filter((r) => r.type === IMAGE).length, 1);
            assert.ok(fs.existsSync(path.resolve(run.dir, await new Promise<string>((r) => svc.dockerfilePath.apply(r)))));
        });
    }

    it("six independent bad fields (image, deployment, files, workflow) throw once, listing all", async () => {
        await settle();
        const before = registered.length;
        assert.throws(
            () => new GoServiceImage("six", {
                context: simpleModule(),
                port: -1,
                user: 0,
                repository: "ghcr.io/Acme/api",
                network: "bridge" as never,
                env: { "BAD-NAME": "x" },
                generatedDir: "",
                github: { repository: "api", serviceDir: "../up", manageSecrets: false },
            }),
            (e: unknown) => {
                assert.ok(e instanceof GoServiceImageError);
                assert.deepStrictEqual(e.problems.map((p) => p.field).sort(), ["env.BAD-NAME", "generatedDir", "github.serviceDir", "network", "port", "repository", "user"]);
                assert.strictEqual(e.message.split("\n").length, 7);
                return true;
            },
        );
        await settle();
        assert.strictEqual(registered.length, before);
        assert.deepStrictEqual(fs.readdirSync(run.dir), []);
    });

    it("a context given as an Output (another resource's value): must be a plain string, not 'is required'", async () => {
        await settle();
        const before = registered.length;
        assert.throws(
            () => new GoServiceImage("late", { repository: "localhost:5000/late", context: pulumi.output(simpleModule()) as never }),
            (e: unknown) => {
                assert.ok(e instanceof GoServiceImageError);
                assert.deepStrictEqual(e.problems.map((p) => [p.field, p.code]), [["context", "invalid"]]);
                assert.match(e.message, /^GoServiceImage "late": 'context' must be a plain string \(the Go module directory, e\.g\. "\.\.\/services\/api"\), got an Output or a Promise: .*pass the path itself\.$/);
                return true;
            },
        );
        await settle();
        assert.strictEqual(registered.length, before);
    });
});
