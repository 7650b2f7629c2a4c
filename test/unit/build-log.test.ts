import * as assert from "assert";
import { failedStep } from "../../src/image/build-log";

// Shapes copied from the plain progress of Docker 20.10's BuildKit and of BuildKit v0.34.2 through buildx.
const DOCKER_20_10 = [
    "#11 [build 7/9] RUN --mount=type=cache,target=/root/.cache/go-build     cp -au /var/cache/godeps/. /root/.cache/go-build/",
    "#11 DONE 0.1s",
    "",
    '#12 [build 8/9] RUN --mount=type=cache,target=/root/.cache/go-build     --mount=type=secret,id=netrc,target=/root/.netrc     GOOS="linux" GOARCH="amd64" go build -trimpath -o /out/rootfs/usr/local/bin/api .',
    "#12 sha256:52e2f86dfaa5d5124f277cc9860f23186d5aa73322f3b2c1831946731590146a",
    "#12 0.684 go-service-image: api: go build . failed: ./main.go:21:2: undefined: x ",
    "#12 0.685 # example.com/api",
    "#12 0.685 ./main.go:21:2: undefined: x",
    "#12 ERROR: executor failed running [/bin/sh -c go build …]: exit code: 1",
    "------",
    " > [build 8/9] RUN …:",
    "------",
    "executor failed running [/bin/sh -c go build …]: exit code: 1",
].join("\n");

const BUILDKIT_0_34 = [
    "#9 [build  5/11] RUN --mount=type=cache,target=/var/cache/gomod GOMODCACHE=/var/cache/gomod go mod download && GOPROXY=off go mod download",
    "#9 0.214 go: github.com/go-chi/chi/v5@v5.0.12: dial tcp: lookup proxy.golang.org: no such host",
    "#9 0.215 go-service-image: deps: go mod download failed: the lines above say which module and why",
    '#9 ERROR: process "/bin/sh -c GOMODCACHE=/var/cache/gomod go mod download" did not complete successfully: exit code: 1',
].join("\n");

describe("the failed step of a BuildKit plain log", () => {
    it("Docker 20.10: the step's title without its mounts, and its own lines in order", () => {
        assert.deepStrictEqual(failedStep(DOCKER_20_10), {
            title: `[build 8/9] ${'RUN GOOS="linux" GOARCH="amd64" go build -trimpath -o /out/rootfs/usr/local/bin/api .'.slice(0, 72)}…`,
            lines: ["go-service-image: api: go build . failed: ./main.go:21:2: undefined: x ", "# example.com/api", "./main.go:21:2: undefined: x"],
        });
    });

    it("BuildKit v0.34.2: a padded step number, a long instruction shortened", () => {
        const step = failedStep(BUILDKIT_0_34)!;
        assert.strictEqual(step.title, "[build  5/11] RUN GOMODCACHE=/var/cache/gomod go mod download && GOPROXY=off go mod do…");
        assert.strictEqual(failedStep(BUILDKIT_0_34.replace(" && GOPROXY=off go mod download", ""))!.title, "[build  5/11] RUN GOMODCACHE=/var/cache/gomod go mod download", "short ones whole");
        assert.deepStrictEqual(step.lines.slice(-1), ["go-service-image: deps: go mod download failed: the lines above say which module and why"]);
        assert.strictEqual(failedStep(BUILDKIT_0_34.replace("GOPROXY=off go mod download", "x".repeat(100)))!.title.length, "[build  5/11] ".length + 73);
    });

    it("keeps the last lines only, and finds nothing in a log without a failure", () => {
        const many = ["#3 [build 2/2] RUN go build", ...Array.from({ length: 30 }, (_, i) => `#3 0.${i} line ${i}`), "#3 ERROR: exit code: 1"].join("\n");
        assert.deepStrictEqual(failedStep(many, 3)!.lines, ["line 27", "line 28", "line 29"]);
        assert.strictEqual(failedStep("#1 [build 1/1] RUN true\n#1 DONE 0.1s\n"), undefined);
    });
});
