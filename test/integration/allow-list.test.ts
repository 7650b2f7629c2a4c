import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { PLATFORMS } from "../../src/resolve/rules";
import { generate } from "../helpers/generate";
import { REPO_ROOT } from "../helpers/module";
import { hostGoEnv, measure } from "./engine";

/**
 * The files `go list -deps` says a build reads, on every Linux platform the library builds, with
 * cgo off: Go files, assembly, headers, syso, embedded files, as paths relative to `dir`.
 */
function goReads(dir: string, pkg: string, flags: string[]): Set<string> {
    const out = new Set<string>();
    for (const platform of PLATFORMS) {
        const text = execFileSync("go", ["list", ...flags, "-deps", "-f", '{{.Dir}}|{{join .GoFiles ","}},{{join .SFiles ","}},{{join .HFiles ","}},{{join .SysoFiles ","}},{{join .EmbedFiles ","}}', pkg], {
            cwd: dir,
            encoding: "utf8",
            env: { ...process.env, ...hostGoEnv(), GOOS: "linux", GOARCH: platform.split("/")[1], CGO_ENABLED: "0", GOFLAGS: "" },
        });
        for (const line of text.trim().split("\n")) {
            const [pkgDir, files] = line.split("|");
            if (!pkgDir.startsWith(dir + path.sep)) continue; // the standard library, the module cache
            for (const f of files.split(",").filter(Boolean)) out.add(path.relative(dir, path.join(pkgDir, f)).split(path.sep).join("/"));
        }
    }
    return out;
}

describe("integration: the allow-list against go list -deps on every Linux platform (cgo off)", function () {
    it("a vendored module (deps-service after go mod vendor): every file go reads is sent, and of vendor/ nothing else but modules.txt", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-vendored-"));
        fs.cpSync(path.join(REPO_ROOT, "examples", "deps-service"), dir, { recursive: true });
        execFileSync("go", ["mod", "vendor"], { cwd: dir, env: { ...process.env, ...hostGoEnv(), GOFLAGS: "-mod=mod" } });
        const list = generate(dir, {}, "deps-service").plan.image.contextAllowList;
        const reads = goReads(dir, "./cmd/deps-service", ["-mod=vendor"]);
        const missing = [...reads].filter((f) => !list.includes(f));
        assert.deepStrictEqual(missing, [], "files go reads that the context lacks");
        const extra = list.filter((f) => f.startsWith("vendor/") && f !== "vendor/modules.txt" && !reads.has(f));
        assert.deepStrictEqual(extra, [], "vendored files sent that no platform's build reads");
        const vendored = execFileSync("find", ["vendor", "-type", "f"], { cwd: dir, encoding: "utf8" }).trim().split("\n").length;
        const sent = list.filter((f) => f.startsWith("vendor/")).length;
        assert.ok(sent < vendored, "some of vendor/ is left out");
        measure(`vendored deps-service: ${sent} of vendor/'s ${vendored} files sent, each one a file go list -deps reads on some Linux platform (or modules.txt)`);
    });
});
