import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Options as ResolveInput } from "./generate";
import { depsModule, MAIN_GO, simpleModule, tempModule } from "./module";

/** A valid module the bad inputs are applied to. */
export const ok = simpleModule();

/** What every case starts from: a valid module and repository; a case overrides what it tests. */
export const BASE: ResolveInput = { context: ok, repository: "localhost:5000/table" };

/** Where a case runs: everywhere, or the component only (GitHub provisioning and resource names exist there alone). */
export interface CaseOptions {
    readonly name?: string;
    readonly componentOnly?: true;
    /** The CLI's own rules (its netrc is a file). */
    readonly cliOnly?: true;
}

const big = (n: number) => "x".repeat(n);
const EMBED_MAIN = 'package main\n\nimport "embed"\n\n//go:embed static\nvar static embed.FS\n\nfunc main() { _ = static }\n';
/** A module whose go.work sits in a parent directory, as in a workspace checkout. */
function underGoWork(vendored: boolean, use = "./svc"): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-work-"));
    fs.writeFileSync(path.join(root, "go.work"), `go 1.22\n\nuse ${use}\n`);
    const dir = path.join(root, "svc");
    fs.cpSync(simpleModule(vendored ? { "vendor/modules.txt": "" } : {}), dir, { recursive: true });
    return dir;
}
/** A module whose Go file `link.go` is a symbolic link to `target` (made, with Go in it, when it is absolute). */
function withLink(target: string): string {
    const dir = simpleModule();
    const abs = path.resolve(dir, target);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, "package main\n");
    fs.symlinkSync(target, path.join(dir, "link.go"));
    return dir;
}
function generatedDirIsFile(): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-file-")), "gen");
    fs.writeFileSync(file, "a file");
    return file;
}

/** [case, input, field, message pattern, where]: each bad input gives one problem naming field, value and fix. */
export const BAD_INPUTS: Array<[string, Partial<ResolveInput>, string, RegExp, CaseOptions?]> = [
    ["missing context", { context: "" }, "context", /'context' is required: give the Go module directory/],
    ["context that does not exist", { context: "/nonexistent/gsi" }, "context", /"\/nonexistent\/gsi" does not exist/],
    ["context that is a file", { context: `${ok}/main.go` }, "context", /is not a directory/],
    ["context without go.mod", { context: tempModule({ "main.go": MAIN_GO }) }, "context", /has no go\.mod: point 'context' at the module root, or run `go mod init/],
    ["go.mod without module line", { context: tempModule({ "go.mod": "go 1.22\n", "main.go": MAIN_GO }) }, "context", /has no module line: add `module <path>`/],
    ["go.mod without go line", { context: tempModule({ "go.mod": "module m\n", "main.go": MAIN_GO }) }, "goVersion", /has no go line: add `go 1\.xx` to it or set 'goVersion'/],
    ["malformed go line", { context: tempModule({ "go.mod": "module m\ngo banana\n", "main.go": MAIN_GO }) }, "context", /go\.mod" is not valid \(go\.mod:2: invalid go version 'banana'/],
    ["goVersion with go prefix", { goVersion: "go1.22" }, "goVersion", /'goVersion' must be a Go version like "1\.22".*got "go1\.22"/],
    ["no main package", { context: tempModule({ "go.mod": "module m\ngo 1.22\n", "lib.go": "package m\n" }) }, "main", /no main package found .*set 'main'/],
    ["ambiguous main package", { context: tempModule({ "go.mod": "module m\ngo 1.22\n", "cmd/a/main.go": MAIN_GO, "cmd/b/main.go": MAIN_GO }) }, "main", /several main packages .*\.\/cmd\/a, \.\/cmd\/b; set 'main'/],
    ["main outside the module", { main: "../other" }, "main", /'main' must be a package path inside the module .*got "\.\.\/other"/],
    ["main that is not package main", { context: tempModule({ "go.mod": "module m\ngo 1.22\n", "main.go": MAIN_GO, "lib/l.go": "package lib\n" }), main: "./lib" }, "main", /'main' "\.\/lib" is not a package main/],
    ["a runtime image without a tag", { runtime: "ubuntu" }, "runtime", /'runtime' "ubuntu" is not "scratch", "distroless" or "alpine", and as an image it has no tag or digest: name one, e.g\. "ubuntu:<tag>"/],
    ["a runtime keyword misspelt", { runtime: "distroles" }, "runtime", /'runtime' "distroles" is not "scratch", "distroless" or "alpine": did you mean "distroless"\?/],
    ["a runtime that is not a string", { runtime: 42 as never }, "runtime", /'runtime' must be "scratch", "distroless", "alpine" or an image reference like "registry\.example\.com\/base\/static:1", got 42/],
    ["custom runtime with uppercase", { runtime: "Alpine:3" }, "runtime", /'runtime' must be an image reference.*\('runtime' is "scratch", "distroless", "alpine" or an image reference\)/],
    ["runtime in the shape before 0.3", { runtime: { image: "cgr.dev/chainguard/static:latest" } as never }, "runtime", /'runtime' is a string since version 0\.3: write runtime: "cgr\.dev\/chainguard\/static:latest" instead of \{ image: /],
    ["port false, the shape before 0.3", { port: false as never }, "port", /'port' is a number since version 0\.3: write port: 0 for no EXPOSE instead of false/],
    ["cgo with scratch", { cgo: true }, "cgo", /'cgo' is true but runtime "scratch" has no C library.*set cgo: false/],
    ["cgo with distroless", { cgo: true, runtime: "distroless" }, "cgo", /runtime "distroless" has no C library/],
    ["cgo not a boolean", { cgo: "yes" as never }, "cgo", /'cgo' must be true or false, got "yes"/],
    ["malformed builder digest", { digests: { builder: "sha256:abc" } }, "digests.builder", /'digests.builder' must be an image digest "sha256:" followed by 64/],
    ["runtime digest with scratch", { digests: { runtime: "sha256:" + "a".repeat(64) } }, "digests.runtime", /runtime "scratch" is not an image .*remove the pin/],
    ["empty version variable", { versionVariable: "" }, "versionVariable", /'versionVariable' must be a Go variable as "importpath\.name"/],
    ["version variable without package", { versionVariable: "version" }, "versionVariable", /got "version"/],
    ["ldflags word with a space", { ldflags: ["-X main.a=b"] }, "ldflags[0]", /'ldflags\[0\]' must be one -ldflags word .*split words into separate array items/],
    ["ldflags word with a quote", { ldflags: ['-X=main.a="b"'] }, "ldflags[0]", /no spaces, quotes or \$/],
    ["build tag with a space", { buildTags: ["a b"] }, "buildTags[0]", /'buildTags\[0\]' must be a Go build tag/],
    ["port -1", { port: -1 }, "port", /'port' must be a whole number from 1 to 65535 \(or 0 for no EXPOSE\), got -1/],
    ["port 70000", { port: 70000 }, "port", /got 70000/],
    ["port not whole", { port: 80.5 }, "port", /got 80\.5/],
    ["root user", { user: 0 }, "user", /'user' must not be 0 \(root\): use a numeric non-root id such as 65532/],
    ["negative user", { user: -1 }, "user", /'user' must be a numeric user id from 1/],
    ["user as a name", { user: "app" as never }, "user", /names cannot be resolved in a scratch image/],
    ["binary name with slash", { binaryName: "a/b" }, "binaryName", /'binaryName' must be a file name/],
    ["env name with dash", { env: { "MY-VAR": "x" } }, "env.MY-VAR", /'env key' must be a variable name/],
    ["env value with newline", { env: { A: "x\nRUN evil" } }, "env.A", /'env\.A' must be one line without control characters.*remove the line breaks/],
    ["label value with newline", { labels: { a: "x\ny" } }, "labels.a", /'labels\.a' must be one line/],
    ["label key with space", { labels: { "a b": "x" } }, "labels.a b", /'labels key' must be a label key/],
    ["command with newline", { command: ["serve\n"] }, "command[0]", /'command\[0\]' must be one line/],
    ["empty command item", { command: [""] }, "command[0]", /'command\[0\]' is empty: remove it/],
    ["source url without scheme", { sourceUrl: "github.com/acme/x" }, "sourceUrl", /'sourceUrl' must be an http\(s\) URL/],
    ["version with space", { version: "1.0 beta" }, "version", /'version' must be a version of letters, digits and \. _ \+ -/],
    ["version with $()", { version: "$(id)" }, "version", /got "\$\(id\)"/],
    ["revision with quote", { revision: "abc'" }, "revision", /'revision' must be a revision/],
    ["unsupported platform", { platform: "linux/arm/v7" }, "platform", /'platform' must be one of linux\/amd64, linux\/arm64/],
    ["platform for windows", { platform: "windows/amd64" }, "platform", /got "windows\/amd64"/],
    ["unknown goEnv", { goEnv: { GOPATH: "/x" } as never }, "goEnv.GOPATH", /must be one of GOFLAGS/],
    ["goEnv with newline", { goEnv: { GOPROXY: "a\nb" } }, "goEnv.GOPROXY", /must be one line/],
    ["build arg owned by the library", { buildArgs: { VERSION: "1" } }, "buildArgs.VERSION", /'buildArgs\.VERSION' is owned by the generated Dockerfile: set 'version'/],
    ["Go env through buildArgs", { buildArgs: { GOPROXY: "x" } }, "buildArgs.GOPROXY", /set it in 'goEnv'/],
    ["negative source date epoch", { sourceDateEpoch: -1 }, "sourceDateEpoch", /'sourceDateEpoch' must be whole seconds since 1970 .*git log -1 --format=%ct/],
    ["SOURCE_DATE_EPOCH through buildArgs", { buildArgs: { SOURCE_DATE_EPOCH: "1" } }, "buildArgs.SOURCE_DATE_EPOCH", /set 'sourceDateEpoch'/],
    ["build arg name with dash", { buildArgs: { "A-B": "x" } }, "buildArgs.A-B", /'buildArgs key' must be a variable name/],
    ["dockerignore that drops go.mod", { dockerignore: ["*.mod"] }, "dockerignore", /'dockerignore' pattern "\*\.mod" leaves out "go\.mod" \(the go\.mod of example\.com\/simple\), which the build needs: remove or narrow it/],
    ["dockerignore pattern with newline", { dockerignore: ["a\nb"] }, "dockerignore[0]", /must be one line/],
    ["dockerignore pattern with a regex group", { dockerignore: ["($HOME"] }, "dockerignore[0]", /got "\(\$HOME"/],
    ["builder image with tag", { builderImage: "golang:1.22" }, "builderImage", /'builderImage' must not have a tag/],
    ["builder tag suffix with space", { builderTagSuffix: "-alpine 3" }, "builderTagSuffix", /'builderTagSuffix' must be a tag suffix/],

    // Accepted once, failing late inside docker build: each is a resolve error now.
    ["go.mod with an unknown directive", { context: tempModule({ "go.mod": "module m\ngo 1.22\nrequires x v1\n", "main.go": MAIN_GO }) }, "context", /go\.mod" is not valid \(go\.mod:3: unknown directive: requires\): fix it/],
    ["go.mod with an unclosed block", { context: tempModule({ "go.mod": "module m\ngo 1.22\nrequire (\n\tx v1.0.0\n", "main.go": MAIN_GO }) }, "context", /the require block is never closed/],
    ["go.mod require without a version", { context: tempModule({ "go.mod": "module m\ngo 1.22\nrequire example.com/x\n", "main.go": MAIN_GO }) }, "context", /usage: require module\/path v1\.2\.3/],
    ["a go.work that does not list the module", { context: underGoWork(false, "./other") }, "context", /go\.work" does not list the module .*: add `use \.\/svc` to it, or set workspace: false/],
    ["a local replace to a directory that does not exist", { context: tempModule({ "go.mod": "module m\ngo 1.22\nrequire example.com/shared v0.0.0\nreplace example.com/shared => ./shared\n", "main.go": MAIN_GO }) }, "context", /replaces example\.com\/shared with "\.\/shared" points at "[^"]+shared", which does not exist/],
    ["a local replace outside the repository root", { context: tempModule({ "go.mod": "module m\ngo 1.22\nrequire example.com/shared v0.0.0\nreplace example.com/shared => ../shared\n", "main.go": MAIN_GO }) }, "context", /replaces example\.com\/shared with "\.\.\/shared" \([^)]+\), outside the module directory \(no \.git above it\).*set 'root' to a directory holding both/],
    ["workspace not a boolean", { workspace: "off" as never }, "workspace", /'workspace' must be true or false, got "off"/],
    ["main and mains both", { main: ".", mains: ["."] }, "mains", /'main' and 'mains' are both set: keep 'mains'/],
    ["mains empty", { mains: [] }, "mains", /'mains' must list at least one main package/],
    ["mains glob matching nothing", { mains: ["./cmd/*"] }, "mains[0]", /'mains\[0\]' "\.\/cmd\/\*" matches no main package/],
    ["binaryName with several mains", { context: tempModule({ "go.mod": "module m\ngo 1.22\n", "cmd/a/main.go": MAIN_GO, "cmd/b/main.go": MAIN_GO }), mains: ["./cmd/*"], binaryName: "x" }, "binaryName", /'binaryName' names one binary, but 2 main packages are built/],
    ["an entrypoint that is not built", { entrypoint: "worker" }, "entrypoint", /'entrypoint' "worker" is not one of the binaries built \(simple\): choose one of them/],
    ["two mains with one binary name", { context: tempModule({ "go.mod": "module m\ngo 1.22\n", "a/api/main.go": MAIN_GO, "b/api/main.go": MAIN_GO }), mains: ["./a/api", "./b/api"] }, "mains", /two main packages would both be installed as \/usr\/local\/bin\/api/],
    ["import \"C\" with cgo off", { context: simpleModule({ "c.go": 'package main\n\n// #include <stdio.h>\nimport "C"\n' }) }, "cgo", /'cgo' is false but "c\.go" in .* import "C": with cgo off Go leaves those files out/],
    ["an embed pattern that matches nothing", { context: simpleModule({ "main.go": EMBED_MAIN }) }, "context", /\/\/go:embed static in .* matches no file, so `go build` fails/],
    ["dockerignore that drops go.sum", { context: depsModule(), dockerignore: ["go.sum"] }, "dockerignore", /pattern "go\.sum" leaves out "go\.sum" \(the go\.sum of example\.com\/deps\)/],
    ["dockerignore that drops the main package", { context: depsModule(), dockerignore: ["cmd"] }, "dockerignore", /pattern "cmd" leaves out "cmd\/api\/main\.go" \(a main package\)/],
    ["dockerignore that drops an embedded file", { context: simpleModule({ "main.go": EMBED_MAIN, "static/index.html": "<p>" }), dockerignore: ["**/*.html"] }, "dockerignore", /pattern "\*\*\/\*\.html" leaves out "static\/index\.html" \(embedded by package \.\)/],
    ["a Go file that links out of the context", { context: withLink(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-out-")), "outside.go")) }, "context", /"[^"]*link\.go" is a symbolic link to "\/tmp\/[^"]+outside\.go", outside the build context.*Replace the link with the file/],
    ["a Go file with a relative link out of the context", { context: withLink("../gsi-elsewhere/outside.go") }, "context", /is a symbolic link to "\.\.\/gsi-elsewhere\/outside\.go", outside the build context/],
    ["an env value past the line limit", { env: { BIG: big(17000) } }, "env.BIG", /'env\.BIG' is 17000 characters long, more than 16384: shorten it/],
    ["a label value past the line limit", { labels: { big: big(20000) } }, "labels.big", /'labels\.big' is 20000 characters long/],
    ["commands past the line limit", { command: [big(9000), big(9000)] }, "command", /'command' holds 18008 characters in all, more than 16384/],
    ["ldflags past the line limit", { ldflags: Array.from({ length: 400 }, (_, i) => `-X=main.v${i}=${big(40)}`) }, "ldflags", /'ldflags' holds \d+ characters in all/],
    ["an env name past the limit", { env: { [`A${big(300)}`]: "x" } }, `env.A${big(300)}`, /'env key' is 301 characters long, more than 256/],
    ["credentials in GOPROXY", { goEnv: { GOPROXY: "https://bot:s3cret@proxy.example.com,direct" } }, "goEnv.GOPROXY", /'goEnv\.GOPROXY' carries credentials \("https:\/\/\*\*\*@proxy\.example\.com,direct"\).*give them as a netrc/],
    ["credentials in a build arg's URL", { buildArgs: { MIRROR: "https://ci:tok3n@mirror.example/x" } }, "buildArgs.MIRROR", /'buildArgs\.MIRROR' carries credentials \("https:\/\/\*\*\*@mirror\.example\/x"\): build args, environment variables and labels are stored in the image/],
    ["credentials in an env value's URL", { env: { DATABASE_URL: "postgres://app:pw0rd@db:5432/app" } }, "env.DATABASE_URL", /'env\.DATABASE_URL' carries credentials \("postgres:\/\/\*\*\*@db:5432\/app"\)/],
    ["a token in the source URL", { sourceUrl: "https://x-access-token:ghs_abc@github.com/acme/api" }, "sourceUrl", /'sourceUrl' carries credentials \("https:\/\/\*\*\*@github\.com\/acme\/api"\)/],
    ["credentials in a registry cache ref", { buildx: { cacheFrom: ["type=registry,ref=bot:s3cret@ghcr.io/acme/api:cache"] } }, "buildx.cacheFrom", /'buildx\.cacheFrom'( \(--cache-from\))? carries credentials \("type=registry,ref=\*\*\*@ghcr\.io\/acme\/api:cache"\): a cache spec is an engine input/],
    ["a key in an s3 cache spec", { buildx: { cacheTo: ["type=s3,region=x,bucket=b,secret_access_key=s3cret"] } }, "buildx.cacheTo", /'buildx\.cacheTo'( \(--cache-to\))? carries credentials \("type=s3,region=x,bucket=b,secret_access_key=\*\*\*"\)/],
    ["a netrc path where its text goes", { buildx: { netrc: "/root/.netrc" } }, "buildx.netrc", /'buildx\.netrc' must be the text of a netrc file \("machine <host> login <user> password <token>"\), got the path "\/root\/\.netrc": the component takes the netrc's content, e\.g\. config\.requireSecret\("netrc"\) or fs\.readFileSync\("\/root\/\.netrc", "utf8"\); the CLI's --netrc takes a file\.$/, { componentOnly: true }],
    ["a netrc text without a machine", { buildx: { netrc: "login bot password s3cret" } }, "buildx.netrc", /got text with no machine or default entry/, { componentOnly: true }],
    ["github netrc as a path", { github: { repository: "api", manageSecrets: false, privateModules: true, netrc: "~/.netrc" } }, "github.netrc", /'github\.netrc' must be the text of a netrc file .*got the path "~\/\.netrc"/, { componentOnly: true }],
    ["credentials in GONOSUMDB's URL-like value", { goEnv: { GOINSECURE: "http://u:p@git.example" } }, "goEnv.GOINSECURE", /carries credentials/],
    ["an unknown option (a typo)", { potr: 9000 } as never, "potr", /"potr" is not an option of GoServiceImage: did you mean 'port'\?/],
    ["an unknown option in a case of its own", { Port: 9000 } as never, "Port", /did you mean 'port'\?/],
    ["an unknown option nothing resembles", { colour: "blue" } as never, "colour", /"colour" is not an option of GoServiceImage: the options are context, main/],
    ["an unknown digests option", { digests: { base: "sha256:" + "a".repeat(64) } } as never, "digests.base", /"digests\.base" is not an option .*the options are builder, runtime/],
    ["an unknown registry option", { registry: { usr: "bot" } } as never, "registry.usr", /"registry\.usr" is not an option/],
    ["buildOnPreview not a boolean", { buildOnPreview: 1 as never }, "buildOnPreview", /'buildOnPreview' must be true or false, got 1/],
    ["maxParallelBuilds of 0", { maxParallelBuilds: 0 }, "maxParallelBuilds", /'maxParallelBuilds' must be a whole number of at least 1, got 0: leave it unset for no bound/],
    ["maxParallelBuilds as a string", { maxParallelBuilds: "2" as never }, "maxParallelBuilds", /'maxParallelBuilds' must be a whole number of at least 1, got "2"/],
    ["maxParallelBuilds not whole", { maxParallelBuilds: 1.5 }, "maxParallelBuilds", /'maxParallelBuilds' must be a whole number of at least 1, got 1\.5/],
    ["embedTzdata not a boolean", { embedTzdata: "false" as never }, "embedTzdata", /'embedTzdata' must be true or false/],
    ["ldflags not an array", { ldflags: "-s" as never }, "ldflags", /'ldflags' must be an array of strings, got "-s"/],
    ["env not an object", { env: ["A=1"] as never }, "env", /'env' must be an object of string values/],
    ["a main package hidden by build constraints", { context: tempModule({ "go.mod": "module m\ngo 1.22\n", "main.go": "//go:build ignore\n\npackage main\n\nfunc main() {}\n", "lib.go": "package m\n" }) }, "main", /no main package found .*build constraints applied/],
    ["main pointing at a package for another system", { context: tempModule({ "go.mod": "module m\ngo 1.22\n", "lib.go": "package m\n", "cmd/win/main_windows.go": MAIN_GO }), main: "./cmd/win" }, "main", /'main' "\.\/cmd\/win" is not a package main .* for linux\/amd64 \(build constraints applied\)/],

    // Deployment values.
    ["missing repository", { repository: undefined }, "repository", /'repository' is required: give the image repository without tag, e\.g\. "ghcr\.io\/acme\/api"/],
    ["repository with a tag", { repository: "ghcr.io/acme/api:latest" }, "repository", /'repository' must not have a tag, got "ghcr\.io\/acme\/api:latest": the tag is derived from the build; give "ghcr\.io\/acme\/api"/],
    ["repository with a digest", { repository: `ghcr.io/acme/api@sha256:${"a".repeat(64)}` }, "repository", /'repository' must not have a digest.*give "ghcr\.io\/acme\/api"/],
    ["uppercase repository with a tag", { repository: "ghcr.io/Acme/API:latest" }, "repository", /'repository' must be lowercase, got "ghcr\.io\/Acme\/API:latest": use "ghcr\.io\/acme\/api"/],
    ["uppercase repository", { repository: "ghcr.io/Acme/API" }, "repository", /'repository' must be lowercase, got "ghcr\.io\/Acme\/API": use "ghcr\.io\/acme\/api"/],
    ["repository with a scheme", { repository: "https://ghcr.io/acme/api" }, "repository", /'repository' must not have a scheme, got "https:\/\/ghcr\.io\/acme\/api": use "ghcr\.io\/acme\/api"/],
    ["repository with a port out of range", { repository: "localhost:70000/api" }, "repository", /has port 70000 in "localhost:70000\/api", out of range/],
    ["repository with a double slash", { repository: "ghcr.io//api" }, "repository", /'repository' is not an image repository like "ghcr\.io\/acme\/api".*invalid reference format/],
    ["repository with a space", { repository: "ghcr.io/acme/my api" }, "repository", /'repository' is not an image repository .*"ghcr\.io\/acme\/my api"/],
    ["repository not a string", { repository: 42 as never }, "repository", /'repository' must be an image repository like "ghcr\.io\/acme\/api".*got 42/],
    ["registry server with a scheme", { repository: "ghcr.io/acme/api", registry: { server: "https://ghcr.io" } }, "registry.server", /'registry\.server' must be a host without a scheme, got "https:\/\/ghcr\.io": use "ghcr\.io"/],
    ["registry server with a path", { repository: "ghcr.io/acme/api", registry: { server: "ghcr.io/acme" } }, "registry.server", /must be a host without a path, got "ghcr\.io\/acme": use "ghcr\.io"/],
    ["registry server not the repository's", { repository: "ghcr.io/acme/api", registry: { server: "quay.io" } }, "registry.server", /'registry\.server' "quay\.io" is not the registry of 'repository' "ghcr\.io\/acme\/api"/],
    ["registry username without password", { registry: { username: "bot" } }, "registry.password", /'registry\.password' is missing: give both username and password/],
    ["registry password without username", { registry: { password: "x" } }, "registry.username", /'registry\.username' is missing/],
    ["registry not an object", { registry: "ghcr.io" as never }, "registry", /'registry' must be \{ server\?, username\?, password\? \}/],
    ["an unknown network", { network: "bridge0" as never }, "network", /'network' must be "default", "host" or "none", got "bridge0"/],

    // The buildx engine (component: @pulumi/docker-build; CLI: docker buildx, the same checks).
    ["buildx not an object", { buildx: "yes" as never }, "buildx", /'buildx' must be an object such as \{ platforms: \["linux\/amd64", "linux\/arm64"\] \} \(or \{\} for the defaults\), got "yes"/],
    ["buildx with an unknown platform", { buildx: { platforms: ["linux/mips"] } }, "buildx.platforms", /'buildx\.platforms'( \(--platforms\))? has "linux\/mips": each must be one of linux\/amd64/],
    ["buildx with no platforms", { buildx: { platforms: [] } }, "buildx.platforms", /'buildx\.platforms'( \(--platforms\))? must list at least one platform/],
    ["buildx platforms as one string", { buildx: { platforms: "linux/amd64,linux/arm64" as never } }, "buildx.platforms", /'buildx\.platforms'( \(--platforms\))? must be a list of platforms, got the string "linux\/amd64,linux\/arm64": write \["linux\/amd64","linux\/arm64"\]/],
    ["github platforms as one string", { github: { repository: "api", manageSecrets: false, platforms: "linux/amd64" as never } }, "github.platforms", /'github\.platforms' must be a list of platforms, got the string "linux\/amd64": write \["linux\/amd64"\]/, { componentOnly: true }],
    ["an empty runtime", { runtime: "" }, "runtime", /'runtime' is empty: give "scratch" \(the default\), "distroless", "alpine" or an image with its tag or digest/],
    ["a label the library writes: version", { labels: { "org.opencontainers.image.version": "1.2.3" } }, "labels.org.opencontainers.image.version", /'labels' sets "org\.opencontainers\.image\.version", which the library writes itself: set it with 'version' \(--image-version\) instead/],
    ["a label the library writes: title", { labels: { "org.opencontainers.image.title": "x" } }, "labels.org.opencontainers.image.title", /set it with the service name/],
    ["a label the library writes: revision", { labels: { "org.opencontainers.image.revision": "abc" } }, "labels.org.opencontainers.image.revision", /set it with 'revision' \(--revision\)/],
    ["a label the library writes: source", { labels: { "org.opencontainers.image.source": "https://x.example" } }, "labels.org.opencontainers.image.source", /set it with 'sourceUrl' \(--source-url\)/],
    ["buildx listing a platform twice", { buildx: { platforms: ["linux/amd64", "linux/amd64"] } }, "buildx.platforms", /lists a platform twice: "linux\/amd64,linux\/amd64"/],
    ["buildx platforms and platform both", { platform: "linux/arm64", buildx: { platforms: ["linux/amd64"] } }, "buildx.platforms", /'buildx\.platforms'( \(--platforms\))? and 'platform'( \(--platform\))? are both given: give every platform in 'buildx\.platforms'/],
    ["buildx builder with a slash", { buildx: { builder: "team/builder" } }, "buildx.builder", /'buildx\.builder'( \(--builder\))? must be (the name of )?a buildx builder/],
    ["buildx builder an endpoint, in the component", { buildx: { builder: "tcp://buildkit.internal:1234" } }, "buildx.builder", /'buildx\.builder' must name a buildx builder, got the endpoint "tcp:\/\/buildkit\.internal:1234": register it once with `docker buildx create --name buildkit --driver remote tcp:\/\/buildkit\.internal:1234`/, { componentOnly: true }],
    ["buildx cache without a ref", { buildx: { cacheFrom: ["type=registry"] } }, "buildx.cacheFrom", /'buildx\.cacheFrom'( \(--cache-from\))? must be a buildx cache like "type=registry,ref=ghcr\.io\/acme\/api:cache"/],
    ["buildx cache of an unknown type", { buildx: { cacheTo: ["type=s4,bucket=x"] } }, "buildx.cacheTo", /'buildx\.cacheTo'( \(--cache-to\))? must be a buildx cache like .*got "type=s4,bucket=x"/],
    ["buildx caches not a list", { buildx: { cacheTo: "type=local,dest=/tmp/c" as never } }, "buildx.cacheTo", /'buildx\.cacheTo'( \(--cache-to\))? must be a list of buildx caches/],
    ["buildx cache not a string", { buildx: { cacheFrom: [42 as never] } }, "buildx.cacheFrom", /entries must be strings like "type=registry,ref=/],
    ["buildx netrc empty", { buildx: { netrc: " " } }, "buildx.netrc", /'buildx\.netrc' must be the text of a netrc file .*config\.requireSecret\("netrc"\)/, { componentOnly: true }],
    ["buildx netrc in the CLI's --args", { buildx: { netrc: "machine x login y password z" } }, "buildx.netrc", /give --netrc <file> instead/, { cliOnly: true }],
    ["buildx unknown option", { buildx: { platform: ["linux/arm64"] } as never }, "buildx.platform", /"buildx\.platform" is not an option of GoServiceImage: did you mean 'buildx\.platforms'\?/],

    // Where the files go.
    ["a file where the Dockerfile's allow-list goes", { generatedDir: (() => { const d = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-gen-")); fs.mkdirSync(path.join(d, "table", "Dockerfile.dockerignore"), { recursive: true }); return d; })() }, "generatedDir", /Dockerfile\.dockerignore" exists and is not a regular file: move it away/, { name: "table" }],
    ["a generatedDir that is a file", { generatedDir: generatedDirIsFile() }, "generatedDir", /"[^"]*gen" is a file, but "[^"]*" must be a directory \(ENOTDIR\): move the file away or set 'generatedDir' to another path/],
    ["an empty generatedDir", { generatedDir: "" }, "generatedDir", /'generatedDir' must be a non-empty one-line path, got ""/],
    ["a generatedDir with a line break", { generatedDir: "gen\nx" }, "generatedDir", /'generatedDir' must be a non-empty one-line path/],
    ["an empty resource name", {}, "name", /the resource name must be a non-empty string, got ""/, { name: "" }],

    // The GitHub part (the component alone provisions GitHub).
    ["github repository with an owner", { github: { repository: "acme/api", manageSecrets: false } }, "github.repository", /'github\.repository' must be a repository name without owner, like "api", got "acme\/api"/, { componentOnly: true }],
    ["github without registry credentials", { github: { repository: "api" } }, "registry", /'github' keeps the registry login in TABLE_REGISTRY_USERNAME .*set registry\.username and registry\.password \(a ghcr\.io repository needs neither.*\), or set github\.manageSecrets: false/, { componentOnly: true, name: "table" }],
    ["github service dir escaping the repository", { github: { repository: "api", manageSecrets: false, serviceDir: "../x" } }, "github.serviceDir", /'github\.serviceDir' must be a path inside the repository/, { componentOnly: true }],
    ["github branch with ..", { github: { repository: "api", manageSecrets: false, branch: "a..b" } }, "github.branch", /'github\.branch' must be a branch name/, { componentOnly: true }],
    ["github default branch with a space", { github: { repository: "api", manageSecrets: false, defaultBranch: "main line" } }, "github.defaultBranch", /'github\.defaultBranch' must be a branch name/, { componentOnly: true }],
    ["github linter version latest", { github: { repository: "api", manageSecrets: false, golangciLintVersion: "latest" } }, "github.golangciLintVersion", /pinned: never "latest"/, { componentOnly: true }],
    ["github platforms empty", { github: { repository: "api", manageSecrets: false, platforms: [] } }, "github.platforms", /must list at least one platform/, { componentOnly: true }],
    ["github platform unknown", { github: { repository: "api", manageSecrets: false, platforms: ["linux/mips"] } }, "github.platforms[0]", /must be one of linux\/amd64/, { componentOnly: true }],
    ["github variable prefix reserved", { github: { repository: "api", manageSecrets: false, variablePrefix: "GITHUB_X" } }, "github.variablePrefix", /GitHub reserves it/, { componentOnly: true }],
    ["github runner with a space", { github: { repository: "api", manageSecrets: false, runsOn: "ubuntu latest" } }, "github.runsOn", /must be a runner label/, { componentOnly: true }],
    ["github sign not a boolean", { github: { repository: "api", manageSecrets: false, sign: "yes" as never } }, "github.sign", /'github\.sign' must be true or false/, { componentOnly: true }],
    ["github manageSecrets not a boolean", { github: { repository: "api", manageSecrets: "no" as never } }, "github.manageSecrets", /'github\.manageSecrets' must be true or false/, { componentOnly: true }],
    ["github commit author on two lines", { github: { repository: "api", manageSecrets: false, commitAuthor: "a\nb" } }, "github.commitAuthor", /'github\.commitAuthor' must be a non-empty string on one line/, { componentOnly: true }],
    ["github empty commit message", { github: { repository: "api", manageSecrets: false, commitMessage: " " } }, "github.commitMessage", /'github\.commitMessage' must be a non-empty string/, { componentOnly: true }],
    ["github branch protection without repositoryId", { github: { repository: "api", manageSecrets: false, branchProtection: {} as never } }, "github.branchProtection", /'github\.branchProtection' must be \{ repositoryId, strict\? \}/, { componentOnly: true }],
    ["github unknown option", { github: { repository: "api", manageSecrets: false, servicedir: "x" } as never }, "github.servicedir", /"github\.servicedir" is not an option of GoServiceImage: did you mean 'github\.serviceDir'\?/, { componentOnly: true }],
    ["github not an object", { github: "api" as never }, "github", /'github' must be an object with at least 'repository'/, { componentOnly: true }],
    ["a name the workflow file cannot carry", { github: { repository: "api", manageSecrets: false } }, "name", /'name' must be a name of letters, digits, \. _ - \(it names the workflow file\), got "my api"/, { componentOnly: true, name: "my api" }],
];

/** Odd inputs that are valid: each is accepted, renders, and (in the integration suite) builds. */
export const ODD_INPUTS: Array<[string, Partial<ResolveInput>, CaseOptions?]> = [
    ["env values with quotes, $, backslashes and unicode", { env: { A: `say "hi" $HOME \\ 'x'`, B: "héllo wörld ✓", C: "" } }],
    ["labels with spaces and quotes", { labels: { "com.acme.note": 'a "quoted" value with $VAR', "org.example/x": "y" } }],
    ["a command with spaces, quotes and $", { command: ["serve", "--greeting=hello world", "--path=$HOME", '--q="x"'] }],
    ["no EXPOSE", { port: 0 }],
    ["port 1 and user 1", { port: 1, user: 1 }],
    ["the highest port and user", { port: 65535, user: 2147483647 }],
    ["a binary name with dots", { binaryName: "api.v2" }],
    ["extra ldflags words", { ldflags: ["-X", "main.commit=abc123", "-X=main.date=2026-11-25"] }],
    ["extra build tags", { buildTags: ["netgo", "osusergo"] }],
    ["no embedded tzdata", { embedTzdata: false }],
    ["a semver version with build metadata", { version: "1.2.3-rc.1+build.5" }],
    ["a commit SHA as revision", { revision: "0123456789abcdef0123456789abcdef01234567" }],
    ["a source date epoch", { sourceDateEpoch: 1700000000 }],
    ["linux/arm64", { platform: "linux/arm64" }],
    ["linux/riscv64", { platform: "linux/riscv64" }],
    ["GOFLAGS through goEnv", { goEnv: { GOFLAGS: "-mod=mod" } }],
    ["an extra build arg", { buildArgs: { EXTRA: "value with spaces" } }],
    ["extra .dockerignore patterns with a re-include", { context: simpleModule({ "README.md": "x", "notes.md": "y" }), dockerignore: ["**/*.md", "!README.md", "testdata"] }],
    ["a version variable in another package", { context: simpleModule({ "internal/build/build.go": 'package build\n\nvar Version = "dev"\n' }), versionVariable: "example.com/simple/internal/build.Version" }],
    ["a name with dots", {}, { name: "api.v2" }],
    ["a name that looks like a path", {}, { name: "../../etc" }],
    ["a long name", {}, { name: "a".repeat(100) }],
    ["a generatedDir of its own", { generatedDir: "out/gen" }],
    ["a root gen.go behind //go:build ignore beside cmd/api", { context: tempModule({ "go.mod": "module example.com/m\ngo 1.22\n", "gen.go": "//go:build ignore\n\npackage main\n\nfunc main() {}\n", "lib.go": "package m\n", "cmd/api/main.go": MAIN_GO }) }],
    ["embedded files", { context: simpleModule({ "main.go": EMBED_MAIN, "static/index.html": "<p>hi</p>\n", "static/.hidden": "x" }) }],
    ["a cgo file behind //go:build cgo with a pure-Go fallback", { context: simpleModule({ "c.go": '//go:build cgo\n\npackage main\n\nimport "C"\n', "nocgo.go": "//go:build !cgo\n\npackage main\n" }) }],
    ["a symbolic link inside the context", { context: (() => { const d = simpleModule({ "gen/extra.go.txt": "package main\n" }); fs.symlinkSync("gen/extra.go.txt", path.join(d, "extra.go")); return d; })() }],
    ["a local replace inside the context", { context: tempModule({ "go.mod": "module example.com/m\ngo 1.22\nrequire example.com/lib v0.0.0\nreplace example.com/lib => ./lib\n", "lib/go.mod": "module example.com/lib\ngo 1.22\n", "lib/lib.go": "package lib\n\nconst Name = \"lib\"\n", "main.go": 'package main\n\nimport "example.com/lib"\n\nfunc main() { println(lib.Name) }\n' }) }],
    ["a vendored module under a go.work (it builds on its own)", { context: underGoWork(true) }],
    ["a module under a go.work that lists it", { context: underGoWork(false) }],
    ["a go.work that does not list it, with workspace: false", { context: underGoWork(false, "./other"), workspace: false }],
    ["two mains in one image", { context: tempModule({ "go.mod": "module example.com/m\ngo 1.22\n", "cmd/api/main.go": MAIN_GO, "cmd/worker/main.go": MAIN_GO }), mains: ["./cmd/*"], entrypoint: "worker" }],
    ["a nested repository path", { repository: "localhost:5000/a/b/c" }],
    ["a Docker Hub repository with its registry named", { repository: "acme/api", registry: { server: "index.docker.io" } }],
    ["the distroless runtime", { runtime: "distroless" }],
    ["the alpine runtime", { runtime: "alpine" }],
    ["a custom runtime", { runtime: "127.0.0.1:5000/base/static:1" }],
];
