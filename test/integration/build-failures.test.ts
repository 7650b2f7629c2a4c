import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { freshBuilder } from "../../bench/buildkit";
import { replay } from "../../bench/replay";
import { failedStep } from "../../src/image/build-log";
import { copyModule, HELLO, MAIN_GO, tempModule } from "../helpers/module";
import { buildxComponentInputs, cliBuild, DOCKER, REGISTRY, requireEnvironment } from "./engine";

/** hello-service with a compile error at main.go's first statement. */
function broken(): string {
    const dir = copyModule(HELLO);
    const main = path.join(dir, "main.go");
    fs.writeFileSync(main, fs.readFileSync(main, "utf8").replace(/^func main\(\) \{$/m, "func main() {\n\tundefinedThing()"));
    return dir;
}

/** The CLI's closing message: from its `go-service-image:` line to the end. */
const closing = (err: string) => err.slice(err.lastIndexOf("\ngo-service-image: docker") + 1).trimEnd().split("\n");

const COMPILER = /^\.\/main\.go:\d+:\d+: undefined: undefinedThing$/;
const SUMMARY = /^go-service-image: broken: go build \. failed: \.\/main\.go:\d+:\d+: undefined: undefinedThing $/;

describe("integration: a failed build says why (the service, the step, the compiler's file:line errors)", function () {
    before(requireEnvironment);

    it("the CLI on the Docker engine: the failing step named, its summary line and the compiler's lines last; the engine's one-line summary is short", () => {
        const r = cliBuild([broken(), "--name", "broken", "--repository", `${REGISTRY}/broken`, "--network", "host", "--docker", DOCKER]);
        assert.strictEqual(r.status, 1, r.log.slice(-3000));
        const lines = closing(r.log);
        assert.match(lines[0], /^go-service-image: docker build of 127\.0\.0\.1:5000\/broken:content-[0-9a-f]{16} failed \(exit 1\) in the step \[build +\d+\/\d+\] RUN GOOS="linux" GOARCH="amd64" go build /);
        assert.match(lines[1], SUMMARY);
        assert.match(lines[lines.length - 1], COMPILER);
        const engineLine = r.log.split("\n").find((l) => l.startsWith("executor failed running ["))!;
        // Before 0.5 the build step's RUN line, and so this summary, held the top-up, both checks, the build, the ELF check and the time stamp: 900 characters.
        assert.ok(engineLine.length < 500, `the engine's one-line summary is ${engineLine.length} characters: ${engineLine}`);
    });

    it("the CLI on BuildKit v0.34.2 (buildx): the same closing lines", async () => {
        const b = await freshBuilder("fail-cli");
        try {
            const r = cliBuild([broken(), "--name", "broken", "--repository", `${REGISTRY}/broken`, "--builder", b.addr]);
            assert.strictEqual(r.status, 1, r.log.slice(-3000));
            const lines = closing(r.log);
            assert.match(lines[0], /^go-service-image: docker buildx build of 127\.0\.0\.1:5000\/broken:content-[0-9a-f]{16} failed \(exit 1\) in the step \[build +\d+\/\d+\] RUN GOOS="linux" GOARCH="amd64" go build /);
            assert.match(lines[1], SUMMARY);
            assert.match(lines[lines.length - 1], COMPILER);
        } finally {
            b.stop();
        }
    });

    it("the component's docker-build inputs replayed: the failing step's first line, the one a provider shows, carries the compiler's error", async () => {
        const b = await freshBuilder("fail-component");
        try {
            const captured = await buildxComponentInputs("broken", { context: broken(), repository: `${REGISTRY}/broken`, buildx: { builder: b.name } });
            const failure = (() => {
                try {
                    replay(captured.inputs, captured.cwd);
                } catch (e) {
                    return (e as Error & { log: string }).log;
                }
                return undefined;
            })();
            assert.ok(failure, "the build must fail");
            const step = failedStep(failure, 1000)!;
            assert.ok(step, failure.slice(-3000));
            assert.match(step.lines[0], SUMMARY);
            assert.match(step.title, /RUN GOOS="linux" GOARCH="amd64" go build/);
        } finally {
            b.stop();
        }
    });

    it("a module download that fails (a module no cache holds, no network) names the service and the step", () => {
        // A requirement no builder's download cache can hold, so the step fails whatever ran before on this engine.
        const context = tempModule({
            "go.mod": "module example.com/deps-offline\n\ngo 1.22\n\nrequire example.com/gsi-never-published v1.0.0\n",
            "go.sum": "example.com/gsi-never-published v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.com/gsi-never-published v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
            "main.go": MAIN_GO,
        });
        const r = cliBuild([context, "--name", "deps-offline", "--repository", `${REGISTRY}/deps-offline`, "--network", "none", "--go-env", "GOPROXY=https://proxy.golang.org", "--docker", DOCKER]);
        assert.strictEqual(r.status, 1, r.log.slice(-3000));
        const lines = closing(r.log);
        assert.match(lines[0], /in the step \[build +\d+\/\d+\] RUN GOMODCACHE=\/var\/cache\/gomod go mod download/);
        assert.match(lines[lines.length - 1], /^go-service-image: deps-offline: go mod download failed: the lines above say which module and why$/);
    });
});
