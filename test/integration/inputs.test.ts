import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GoServiceImageArgs } from "../../src/args";
import { EngineError, engineBuild } from "../../src/image/engine";
import { prepare } from "../../src/pipeline";
import { dockerfileModel } from "../../src/render/dockerfile/instructions";
import { renderDockerfile } from "../../src/render/dockerfile/text";
import { Claims } from "../../src/resolve/claims";
import { BASE, ODD_INPUTS } from "../helpers/bad-inputs";
import { MAIN_GO, tempModule } from "../helpers/module";
import { buildLikeComponent, DOCKER, docker, REGISTRY, requireEnvironment } from "./engine";

describe("integration: odd inputs that resolve accepts build on the real engine", function () {
    const cwd = process.cwd();
    before(requireEnvironment);
    after(() => process.chdir(cwd));

    ODD_INPUTS.forEach(([what, input, where], i) => {
        it(what, async () => {
            const name = where?.name ?? `odd-${i}`;
            const built = await buildLikeComponent(name, { ...BASE, ...input, repository: input.repository ?? `${REGISTRY}/odd-${i}`, network: "host" } as GoServiceImageArgs);
            assert.match(built.id, /^sha256:[0-9a-f]{64}$/);
            const entrypoint = JSON.parse(docker("image", "inspect", "--format", "{{json .Config.Entrypoint}}", built.imageName)) as string[];
            assert.match(entrypoint[0], /^\/usr\/local\/bin\/[A-Za-z0-9._-]+$/);
        });
    });

    it("a build whose package is not main fails in the build, naming the package, instead of shipping an archive", async () => {
        const context = tempModule({ "go.mod": "module example.com/m\n\ngo 1.22\n", "cmd/api/main.go": MAIN_GO, "lib/lib.go": "package lib\n\nconst X = 1\n" });
        process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-elf-")));
        const prepared = prepare({ name: "elf", args: { context, repository: `${REGISTRY}/elf`, network: "host" }, purpose: "build", claims: new Claims() });
        // What an older main-package detection did: build a library. resolve no longer allows it, so the plan is bent here.
        fs.writeFileSync("Dockerfile", renderDockerfile(dockerfileModel({ ...prepared.plan.image, binaries: [{ pkg: "./lib", name: "elf" }], entrypoint: "elf" })));
        await assert.rejects(
            engineBuild({ ...prepared.build, dockerfile: "Dockerfile" }, `${REGISTRY}/elf:lib`, { docker: DOCKER }),
            (e: unknown) => e instanceof EngineError && /go build wrote no executable for \.\/lib: it is not a main package/.test(e.output),
        );
    });
});
