import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { generate } from "../helpers/generate";
import { depsModule, HELLO, REPO_ROOT, simpleModule, tempModule, MAIN_GO } from "../helpers/module";
import { indexOf, parse, Parsed, readWord, stages } from "../helpers/dockerfile";

const has = (p: Parsed, s: string) => p.text.includes(s);
const runs = (list: Parsed[]) => list.filter((p) => p.keyword === "RUN");
const buildRun = (list: Parsed[]) => runs(list).find((p) => has(p, "go build") && has(p, "-ldflags"))!;
/** The step checking the version and time build args, before anything compiles. */
const checkRun = (list: Parsed[]) => runs(list).find((p) => has(p, 'case "$VERSION"'))!;
/** The step checking each binary is a program and stamping the runtime files' times. */
const stampRun = (list: Parsed[]) => runs(list).find((p) => has(p, "grep -q ELF"))!;
/** The step compiling the imported packages before the sources arrive (it writes the dependency layer; the build step reads it). */
const isDepsRun = (p: Parsed) => p.keyword === "RUN" && has(p, "-export -deps") && !has(p, "-ldflags");

describe("Dockerfile generator", () => {
    describe("build stage", () => {
        // The main package reaches golang.org/x/text/language through a package of its own module.
        const { dockerfile } = generate(depsModule({
            "cmd/api/main.go": 'package main\n\nimport _ "example.com/deps/internal/lib"\n\nfunc main() {}\n',
            "internal/lib/lib.go": 'package lib\n\nimport (\n\t"fmt"\n\t_ "golang.org/x/text/language"\n)\n\nvar _ = fmt.Sprint\n',
        }), {}, "api");
        const [global, build] = stages(dockerfile);

        it("declares GO_VERSION from go.mod before the first FROM, overridable", () => {
            assert.deepStrictEqual(global.map((p) => p.text), ["ARG GO_VERSION=1.23.4"]);
        });

        it("cross-compiles from the build platform with the golang alpine builder", () => {
            assert.strictEqual(build[0].keyword, "FROM");
            assert.deepStrictEqual(build[0].flags, ["--platform=$BUILDPLATFORM"]);
            assert.deepStrictEqual(build[0].args, ["golang:${GO_VERSION}-alpine", "AS", "build"]);
            const run = buildRun(build);
            assert.match(run.text, /GOOS="\$TARGETOS" GOARCH="\$TARGETARCH" go build/);
            for (const arg of ["TARGETOS", "TARGETARCH"]) {
                assert.ok(indexOf(build, (p) => p.text === `ARG ${arg}`) < build.indexOf(run), `ARG ${arg} before the build`);
            }
        });

        it("copies go.mod and go.sum and downloads modules before copying the sources", () => {
            const copyMod = indexOf(build, (p) => p.keyword === "COPY" && p.args.join(" ") === "go.mod go.sum ./");
            const download = indexOf(build, (p) => p.keyword === "RUN" && has(p, "go mod download"));
            const copyAll = indexOf(build, (p) => p.keyword === "COPY" && p.args.join(" ") === ". .");
            assert.ok(copyMod >= 0 && copyMod < download && download < copyAll, `order: ${copyMod} < ${download} < ${copyAll}`);
            assert.deepStrictEqual(build[download].flags, ["--mount=type=cache,target=/var/cache/gomod", "--mount=type=secret,id=netrc,target=/root/.netrc"]);
            // Fetched into the builder's download cache, then extracted into the layer (which a registry cache carries) from there alone.
            assert.match(build[download].text, /GOMODCACHE=\/var\/cache\/gomod go mod download && \\\n\s+GOPROXY=file:\/\/\/var\/cache\/gomod\/cache\/download GONOPROXY= GOPRIVATE= GONOSUMDB= GOSUMDB=off go mod download \|\| \{ echo "go-service-image: api: go mod download failed: the lines above say which module and why" >&2; exit 1; \}$/);
        });

        const depsStep = (list: Parsed[]) => indexOf(list, isDepsRun);

        it("compiles the imported packages of other modules and of the standard library before the sources arrive, with the build's own flags, into a layer of their own", () => {
            const download = indexOf(build, (p) => p.keyword === "RUN" && has(p, "go mod download"));
            const deps = depsStep(build);
            const copyAll = indexOf(build, (p) => p.keyword === "COPY" && p.args.join(" ") === ". .");
            assert.ok(download >= 0 && download < deps && deps < copyAll, `order: ${download} < ${deps} < ${copyAll}`);
            for (const arg of ["TARGETOS", "TARGETARCH"]) assert.ok(indexOf(build, (p) => p.text === `ARG ${arg}`) < deps, `ARG ${arg} before the compile`);
            assert.deepStrictEqual(build[deps].flags, ["--mount=type=cache,target=/root/.cache/go-build"]);
            // The imports reached from the main package (through a package of its own module), sorted; local packages are not listed.
            // Compiled in the builder's one shared build cache (no GOCACHE of its own: what another service compiled is a hit).
            const flags = `GOPROXY=off GOOS="$TARGETOS" GOARCH="$TARGETARCH"`;
            const list = "fmt golang.org/x/text/language";
            const lines = [
                `${flags} go list -trimpath -buildvcs=false -tags timetzdata -e -export -deps -f '{{.Export}}' ${list} | sed -n 's|^/root/.cache/go-build/||p' > /tmp/godeps.list`,
                "sed 's|.*/||; s|-d$||' /tmp/godeps.list > /tmp/godeps.ids",
                "cd /root/.cache/go-build",
                "{ [ ! -s /tmp/godeps.ids ] || find . -name '*-a' -exec grep -lF -f /tmp/godeps.ids {} + >> /tmp/godeps.list || true; }",
                "mkdir -p /var/cache/godeps && { [ ! -s /tmp/godeps.list ] || tar -cf - $(cat /tmp/godeps.list) | tar -xf - -C /var/cache/godeps; }",
                "find /var/cache/godeps -exec touch -d @0 {} +",
            ];
            assert.strictEqual(build[deps].text, `RUN --mount=type=cache,target=/root/.cache/go-build \\\n    ${lines.join(" && \\\n    ")}`);
            assert.ok(!build[deps].text.includes("GOCACHE="), "no per-module cache directory");
        });

        it("builds with the build cache mounted, topped up from the dependency layer first, and the optional netrc", () => {
            assert.deepStrictEqual(buildRun(build).flags, ["--mount=type=cache,target=/root/.cache/go-build", "--mount=type=secret,id=netrc,target=/root/.netrc"]);
            // In the argument checks' step (a step costs a container start), after both checks.
            const topUp = checkRun(build);
            assert.deepStrictEqual(topUp.flags, ["--mount=type=cache,target=/root/.cache/go-build"]);
            assert.match(topUp.text, /esac && \\\n\s+\{ cp -au \/var\/cache\/godeps\/\. \/root\/\.cache\/go-build\/ \|\| echo "the build cache was not topped up from \/var\/cache\/godeps"; \}$/);
            assert.ok(build.indexOf(topUp) < build.indexOf(buildRun(build)), "the top-up runs before the build, on the same cache mount");
        });

        it("a failed go build prints one line naming the service, the package and the errors, then the compiler's lines; the build step's RUN line holds nothing else", () => {
            const text = buildRun(build).text;
            const body = text.slice(text.lastIndexOf("\n") + 1).trim();
            assert.strictEqual(body, `GOOS="$TARGETOS" GOARCH="$TARGETARCH" go build -trimpath -buildvcs=false -tags timetzdata -ldflags "-s -w -X main.version=\${VERSION}" -o /out/rootfs/usr/local/bin/api ./cmd/api 2>/tmp/go.log || { echo "go-service-image: api: go build ./cmd/api failed: $( (grep -E '[.]go:[0-9]+:' /tmp/go.log || tail -n 3 /tmp/go.log) | head -n 10 | tr '\\n' ' ')" >&2; cat /tmp/go.log >&2; exit 1; }; cat /tmp/go.log >&2`);
            assert.ok(body.length < 450, `the engine's one-line summary of the step is its whole RUN line: ${body.length} characters`);
        });

        it("leaves an import that is not a plain path out of the compile list (the list is a shell line): the build step reports it", () => {
            const { dockerfile } = generate(depsModule({
                "cmd/api/main.go": 'package main\n\nimport (\n\t"os"\n\t_ "x.io/a;touch /pwned"\n\t_ "x.io/$(id)"\n)\n\nfunc main() { os.Exit(0) }\n',
            }), {}, "api");
            const list = stages(dockerfile)[1];
            const text = list[depsStep(list)].text;
            assert.match(text, / -f '\{\{\.Export\}\}' os \| sed /);
            assert.ok(!text.includes("pwned") && !text.includes("$(id)"), text);
        });

        it("builds static, trimmed, without VCS stamping, with the version stamped", () => {
            assert.ok(build.some((p) => p.keyword === "ENV" && JSON.stringify(p.props) === JSON.stringify([["CGO_ENABLED", "0"], ["GOWORK", "off"]])), "static, and the module alone (GOWORK=off)");
            assert.match(stampRun(build).text, /if ! head -c 4 \/out\/rootfs\/usr\/local\/bin\/api \| grep -q ELF; then echo "go-service-image: api: go build wrote no executable for \.\/cmd\/api: it is not a main package" >&2; exit 1; fi &&/);
            assert.match(buildRun(build).text, /go build -trimpath -buildvcs=false -tags timetzdata -ldflags "-s -w -X main\.version=\$\{VERSION\}" -o \/out\/rootfs\/usr\/local\/bin\/api \.\/cmd\/api 2>/);
            assert.ok(build.some((p) => p.text === "ARG VERSION=dev"));
        });

        it("gives every runtime file the SOURCE_DATE_EPOCH time, checked to be whole seconds, default 0", () => {
            assert.ok(build.some((p) => p.text === "ARG SOURCE_DATE_EPOCH=0"));
            assert.match(checkRun(build).text, /case "\$SOURCE_DATE_EPOCH" in ''\|\*\[!0-9\]\*\)/);
            assert.match(stampRun(build).text, /find \/out\/rootfs -exec touch -d "@\$SOURCE_DATE_EPOCH" \{\} \+$/);
            assert.ok(build.indexOf(checkRun(build)) < build.indexOf(buildRun(build)), "checked before anything compiles");
        });

        it("declares VERSION after the dependency download, so a new version reuses that layer", () => {
            const version = indexOf(build, (p) => p.text === "ARG VERSION=dev");
            const download = indexOf(build, (p) => has(p, "go mod download"));
            assert.ok(download < version);
        });

        it("passes Go module settings through as build args", () => {
            for (const name of ["GOPROXY", "GOPRIVATE", "GOFLAGS", "GONOSUMDB", "GONOPROXY", "GOSUMDB", "GOINSECURE"]) {
                const at = indexOf(build, (p) => p.text === `ARG ${name}`);
                assert.ok(at >= 0 && at < indexOf(build, (p) => has(p, "go mod download")), `ARG ${name} before download`);
            }
        });

        it("checks VERSION in the build, where any build arg can arrive", () => {
            assert.match(checkRun(build).text, /case "\$VERSION" in ''\|\*\[!A-Za-z0-9\._\+-\]\*\) echo "go-service-image: api: VERSION may hold/);
        });
    });

    describe("module shapes", () => {
        it("a monorepo service: the imports of the local modules it uses are followed, their own packages are not compiled first", () => {
            const { dockerfile } = generate(path.join(REPO_ROOT, "examples", "monorepo", "services", "api"), {}, "api");
            const build = stages(dockerfile)[1];
            const deps = build.find(isDepsRun);
            const list = / -f '\{\{\.Export\}\}' (.*) \| sed/.exec(deps?.text ?? "")?.[1].split(" ");
            // libs/shared imports github.com/google/uuid and the HTTP plumbing; the service imports only libs/shared.
            assert.deepStrictEqual(list, ["context", "errors", "github.com/google/uuid", "log", "net/http", "os", "os/signal", "syscall", "time"]);
            // In the service's directory, where its go.mod is, after the download step.
            const at = build.indexOf(deps!);
            assert.strictEqual([...build.slice(0, at)].reverse().find((p) => p.keyword === "WORKDIR")?.args[0], "/src/services/api");
        });

        it("vendored modules build with -mod=vendor and download nothing", () => {
            const { dockerfile } = generate(depsModule({
                "vendor/modules.txt": "# golang.org/x/text v0.14.0\n## explicit\ngolang.org/x/text/language\n",
                "vendor/golang.org/x/text/language/language.go": "package language\n",
                "cmd/api/main.go": 'package main\n\nimport (\n\t"fmt"\n\t_ "golang.org/x/text/language"\n)\n\nfunc main() { fmt.Println() }\n',
            }));
            const build = stages(dockerfile)[1];
            assert.ok(!dockerfile.includes("go mod download"));
            assert.ok(!build.some((p) => p.keyword === "COPY" && p.args.includes("go.sum")));
            assert.match(buildRun(build).text, / -mod=vendor /);
            assert.deepStrictEqual(buildRun(build).flags, ["--mount=type=cache,target=/root/.cache/go-build"]);
            // Only the standard library is compiled first: the vendored packages arrive with the sources.
            const deps = build.find(isDepsRun);
            assert.match(deps?.text ?? "", / -tags timetzdata -e -export -deps -f '\{\{\.Export\}\}' fmt \| sed /);
        });

        it("a module without go.sum (no dependencies) has no download step and still copies its sources", () => {
            const { dockerfile } = generate(simpleModule({ "main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println() }\n' }));
            assert.ok(!dockerfile.includes("go.sum"));
            assert.ok(!dockerfile.includes("go mod download"));
            assert.ok(parse(dockerfile).some((p) => p.keyword === "COPY" && p.args.join(" ") === ". ."));
            // The standard library is still compiled first, outside any module: its imports need no go.mod.
            const deps = parse(dockerfile).find(isDepsRun);
            assert.match(deps?.text ?? "", / -tags timetzdata -e -export -deps -f '\{\{\.Export\}\}' fmt \| sed /);
        });

        it("builds the root package when it is main, naming the binary after the module", () => {
            const { dockerfile } = generate(tempModule({ "go.mod": "module github.com/acme/billing/v2\n\ngo 1.22\n", "main.go": MAIN_GO }));
            assert.match(dockerfile, /-o \/out\/rootfs\/usr\/local\/bin\/billing \. 2>/);
            assert.match(dockerfile, /ENTRYPOINT \["\/usr\/local\/bin\/billing"\]/);
        });

        it("uses the toolchain line over the go line for the builder version", () => {
            const { dockerfile } = generate(tempModule({ "go.mod": "module m\n\ngo 1.22\n\ntoolchain go1.22.7\n", "main.go": MAIN_GO }));
            assert.match(dockerfile, /^ARG GO_VERSION=1\.22\.7$/m);
        });

        it("goVersion overrides go.mod", () => {
            assert.match(generate(simpleModule(), { goVersion: "1.24" }).dockerfile, /^ARG GO_VERSION=1\.24$/m);
        });
    });

    describe("runtime stage", () => {
        it("scratch by default: one COPY of the assembled root filesystem, no RUN, numeric non-root user", () => {
            const { dockerfile } = generate(simpleModule(), { port: 9090 });
            const runtime = stages(dockerfile)[2];
            assert.deepStrictEqual(runtime[0].args, ["scratch"]);
            const copies = runtime.filter((p) => p.keyword === "COPY");
            assert.deepStrictEqual(copies.map((p) => [p.flags, p.args]), [[["--from=build"], ["/out/rootfs/", "/"]]]);
            assert.strictEqual(runs(runtime).length, 0);
            assert.deepStrictEqual(runtime.filter((p) => p.keyword === "USER").map((p) => p.args), [["65532:65532"]]);
            assert.deepStrictEqual(runtime.filter((p) => p.keyword === "EXPOSE").map((p) => p.args), [["9090"]]);
            assert.deepStrictEqual(runtime.find((p) => p.keyword === "ENTRYPOINT")!.json, ["/usr/local/bin/simple"]);
        });

        it("scratch: the build stage assembles CA certificates, passwd and group with the user, and a sticky /tmp", () => {
            const { dockerfile } = generate(simpleModule(), { user: 10001 });
            const rootfs = runs(stages(dockerfile)[1]).find((p) => has(p, "/etc/passwd"))!;
            assert.match(rootfs.text, /cp \/etc\/ssl\/certs\/ca-certificates\.crt \/out\/rootfs\/etc\/ssl\/certs\/ca-certificates\.crt/);
            assert.match(rootfs.text, /chmod 1777 \/out\/rootfs\/tmp/);
            assert.match(rootfs.text, /nonroot:x:10001:10001:nonroot:\/home\/nonroot:\/sbin\/nologin/);
            assert.match(rootfs.text, /nonroot:x:10001:\\n' > \/out\/rootfs\/etc\/group/);
            assert.match(dockerfile, /^USER 10001:10001$/m);
        });

        it("embeds tzdata by default and not when embedTzdata is false", () => {
            assert.match(generate(simpleModule()).dockerfile, /-tags timetzdata /);
            assert.doesNotMatch(generate(simpleModule(), { embedTzdata: false }).dockerfile, /timetzdata/);
            assert.match(generate(simpleModule(), { buildTags: ["netgo", "osusergo"] }).dockerfile, /-tags netgo,osusergo,timetzdata /);
        });

        for (const [runtime, image] of [["distroless", "gcr.io/distroless/static-debian12:nonroot"], ["alpine", "alpine:3.22"]] as const) {
            it(`${runtime}: FROM ${image}, the binary only, no root filesystem assembly`, () => {
                const { dockerfile } = generate(simpleModule(), { runtime });
                const [, build, rt] = stages(dockerfile);
                assert.deepStrictEqual(rt[0].args, [image]);
                assert.ok(!runs(build).some((p) => has(p, "/etc/passwd")));
                assert.strictEqual(runs(rt).length, 0, "no RUN in the runtime stage: cross-builds need no emulator");
                assert.match(dockerfile, /^USER 65532:65532$/m);
            });
        }

        it("a custom runtime image is used as given", () => {
            const { dockerfile } = generate(simpleModule(), { runtime: "cgr.dev/chainguard/static:latest" });
            assert.deepStrictEqual(stages(dockerfile)[2][0].args, ["cgr.dev/chainguard/static:latest"]);
        });

        it("pins every FROM by digest when digests are given", () => {
            const b = "sha256:" + "a".repeat(64);
            const r = "sha256:" + "b".repeat(64);
            const { dockerfile } = generate(simpleModule(), { runtime: "distroless", digests: { builder: b, runtime: r } });
            const froms = parse(dockerfile).filter((p) => p.keyword === "FROM").map((p) => p.args[0]);
            assert.deepStrictEqual(froms, [`golang:\${GO_VERSION}-alpine@${b}`, `gcr.io/distroless/static-debian12:nonroot@${r}`]);
        });

        it("OCI labels: title, version and revision from build args, source when given; never a creation time", () => {
            const { dockerfile } = generate(simpleModule(), { sourceUrl: "https://github.com/acme/simple", labels: { "com.acme.team": "payments" } }, "simple-api");
            const label = parse(dockerfile).find((p) => p.keyword === "LABEL")!;
            const read = Object.fromEntries(label.props.map(([k, v]) => [k, readWord(v)]));
            assert.deepStrictEqual(Object.keys(read), [
                "com.acme.team",
                "org.opencontainers.image.revision",
                "org.opencontainers.image.source",
                "org.opencontainers.image.title",
                "org.opencontainers.image.version",
            ]);
            assert.deepStrictEqual(read["org.opencontainers.image.version"].expands, ["VERSION"]);
            assert.deepStrictEqual(read["org.opencontainers.image.revision"].expands, ["REVISION"]);
            assert.strictEqual(read["org.opencontainers.image.title"].value, "simple-api");
            assert.strictEqual(read["org.opencontainers.image.source"].value, "https://github.com/acme/simple");
            assert.doesNotMatch(dockerfile, /created/);
        });

        it("ENV entries are sorted and CMD is exec form", () => {
            const { dockerfile } = generate(simpleModule(), { env: { Z_LAST: "1", A_FIRST: "two words" }, command: ["serve", "--addr=:8080"] });
            const env = parse(dockerfile).find((p) => p.keyword === "ENV" && p.props.some(([k]) => k === "A_FIRST"))!;
            assert.deepStrictEqual(env.props.map(([k, v]) => [k, readWord(v).value]), [["A_FIRST", "two words"], ["Z_LAST", "1"]]);
            assert.deepStrictEqual(parse(dockerfile).find((p) => p.keyword === "CMD")!.json, ["serve", "--addr=:8080"]);
        });

        it("port: 0 writes no EXPOSE", () => {
            assert.ok(!parse(generate(simpleModule(), { port: 0 }).dockerfile).some((p) => p.keyword === "EXPOSE"));
        });

        it("extra ldflags and a custom version variable reach the build", () => {
            const { dockerfile } = generate(simpleModule({ "internal/build/build.go": 'package build\n\nvar Version = "dev"\n' }), { versionVariable: "example.com/simple/internal/build.Version", ldflags: ["-X", "main.commit=abc123"] });
            assert.match(dockerfile, /-ldflags "-s -w -X example\.com\/simple\/internal\/build\.Version=\$\{VERSION\} -X main\.commit=abc123"/);
        });

        it("cgo with alpine builds on the target platform with a C toolchain", () => {
            const { dockerfile } = generate(simpleModule(), { cgo: true, runtime: "alpine" });
            const build = stages(dockerfile)[1];
            assert.deepStrictEqual(build[0].flags, []);
            assert.ok(build.some((p) => p.keyword === "ENV" && p.props[0][0] === "CGO_ENABLED" && p.props[0][1] === "1"));
            assert.ok(runs(build).some((p) => has(p, "apk add --no-cache gcc musl-dev")));
            assert.doesNotMatch(buildRun(build).text, /GOOS=/);
        });

        it("cgo: the pseudo-package \"C\" is never in the list compiled first (go list would report it as no package)", () => {
            const { dockerfile } = generate(simpleModule({ "main.go": 'package main\n\n// #include <stdlib.h>\nimport "C"\n\nimport "fmt"\n\nfunc main() { fmt.Println(C.rand()) }\n' }), { cgo: true, runtime: "alpine" });
            const deps = stages(dockerfile)[1].find(isDepsRun);
            assert.match(deps?.text ?? "", / go list -trimpath -buildvcs=false -tags timetzdata -e -export -deps -f '\{\{\.Export\}\}' fmt \| sed /);
        });
    });

    describe("text", () => {
        it("starts with the marker, ends with one newline, has no absolute paths of this machine", () => {
            const dir = simpleModule();
            const { dockerfile } = generate(dir);
            assert.match(dockerfile, /^# Generated by pulumi-go-service-image\./);
            assert.ok(dockerfile.endsWith("\n") && !dockerfile.endsWith("\n\n"));
            for (const local of [REPO_ROOT, dir, path.basename(dir), process.cwd()]) assert.ok(!dockerfile.includes(local), local);
        });

        it("is byte-identical across runs", () => {
            assert.strictEqual(generate(HELLO).dockerfile, generate(HELLO).dockerfile);
        });

        it("matches the golden files for examples/hello-service (UPDATE_GOLDEN=1 to accept a change)", () => {
            const spec = generate(HELLO, {}, "hello-service");
            for (const [file, text] of [["hello-service.Dockerfile", spec.dockerfile], ["hello-service.Dockerfile.dockerignore", spec.dockerignore]]) {
                const golden = path.join(REPO_ROOT, "test", "golden", file);
                if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(golden, text);
                assert.strictEqual(text, fs.readFileSync(golden, "utf8"), file);
            }
        });
    });
});
