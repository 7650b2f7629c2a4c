import { registered, setMode, settle, valueOf } from "../helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { HELLO, REPO_ROOT } from "../helpers/module";

describe("examples/basic under mocks", () => {
    const cwd = process.cwd();
    before(() => process.chdir(REPO_ROOT));
    after(() => process.chdir(cwd));

    it("builds hello-service and exports imageRef by digest", async () => {
        setMode("update");
        const before = registered.length;
        const program = require(path.join(REPO_ROOT, "examples", "basic", "index.ts")) as { imageRef: pulumi.Output<string>; version: pulumi.Output<string> };
        const ref = await valueOf(program.imageRef);
        assert.match(ref!, /^localhost:5000\/hello-service@sha256:[0-9a-f]{64}$/);
        await settle();
        const image = registered.slice(before).find((r) => r.type === "docker:index/image:Image")!;
        assert.strictEqual(image.inputs.build.context, "examples/hello-service");
        assert.strictEqual(image.inputs.build.dockerfile, ".go-service-image/hello-service/Dockerfile");
        assert.strictEqual(image.inputs.build.args.VERSION, await valueOf(program.version));
    });

    it("the committed .dockerignore of hello-service is the generated one", () => {
        const committed = fs.readFileSync(path.join(HELLO, ".dockerignore"), "utf8");
        assert.strictEqual(committed, fs.readFileSync(path.join(REPO_ROOT, "test", "golden", "hello-service.dockerignore"), "utf8"));
    });
});
