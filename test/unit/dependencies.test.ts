import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { GoServiceImageError } from "../../src/errors";
import { loadGitHub } from "../../src/github/load";
import { REPO_ROOT } from "../helpers/module";

interface LockEntry {
    readonly dependencies?: Record<string, string>;
    readonly optionalDependencies?: Record<string, string>;
    readonly peerDependencies?: Record<string, string>;
    readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const lock = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> }).packages;
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as LockEntry;

/**
 * The packages npm installs for a program that depends on this one: its dependencies, their
 * dependencies and required peers, each found as Node finds it (the nearest node_modules up the
 * tree, as the lockfile's paths record). Optional peers are installed by nobody but the program.
 */
function installedFor(entry: LockEntry, at: string, seen = new Set<string>()): Set<string> {
    const wanted = { ...entry.dependencies, ...entry.optionalDependencies };
    for (const [name] of Object.entries(entry.peerDependencies ?? {})) if (!entry.peerDependenciesMeta?.[name]?.optional) wanted[name] = "*";
    for (const name of Object.keys(wanted)) {
        let dir = at;
        let found: string | undefined;
        for (;;) {
            const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
            if (lock[candidate]) {
                found = candidate;
                break;
            }
            if (!dir) break;
            const up = dir.lastIndexOf("/node_modules/");
            dir = up < 0 ? "" : dir.slice(0, up);
        }
        if (!found || seen.has(found)) continue;
        seen.add(found);
        installedFor(lock[found], found, seen);
    }
    return seen;
}

/**
 * The provider plugins the Node.js language host reports for those packages, as `pulumi package
 * add` and `pulumi install` fetch them: one for every installed package whose package.json says
 * `"pulumi": { "resource": true, "name": … }` (shared/REFERENCE.md: package add installs every
 * provider plugin the package's Node dependencies declare).
 */
function requiredPlugins(): string[] {
    const plugins: string[] = [];
    for (const dir of installedFor(pkg, "")) {
        const meta = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, dir, "package.json"), "utf8")) as { pulumi?: { resource?: boolean; name?: string } };
        if (meta.pulumi?.resource) plugins.push(meta.pulumi.name!);
    }
    return plugins.sort();
}

describe("dependencies: a consumer that does not use GitHub needs no GitHub provider", () => {
    it("the providers a consumer's install brings are exactly the two image engines'", () => {
        assert.deepStrictEqual(requiredPlugins(), ["docker", "docker-build"]);
    });

    it("@pulumi/github is an optional peer dependency (and a dev dependency for the tests)", () => {
        assert.strictEqual(pkg.dependencies?.["@pulumi/github"], undefined);
        assert.match(pkg.peerDependencies?.["@pulumi/github"] ?? "", /^\^6\./);
        assert.strictEqual(pkg.peerDependenciesMeta?.["@pulumi/github"]?.optional, true);
    });

    it("loading the package (as the plugin does to infer its schema) does not load @pulumi/github", () => {
        const script = `require(${JSON.stringify(path.join(REPO_ROOT, "src", "index.ts"))}); const loaded = Object.keys(require.cache).filter((f) => f.includes("/@pulumi/github/")); console.log(JSON.stringify(loaded));`;
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.deepStrictEqual(JSON.parse(r.stdout.trim().split("\n").pop()!), []);
    });

    it("'github' without @pulumi/github installed: one clear error naming the install", () => {
        const missing = (id: string) => {
            throw Object.assign(new Error(`Cannot find module '${id}'`), { code: "MODULE_NOT_FOUND" });
        };
        assert.throws(() => loadGitHub("api", "GoServiceImage", missing), (e: unknown) => {
            assert.ok(e instanceof GoServiceImageError);
            assert.deepStrictEqual(e.problems.map((p) => [p.field, p.code]), [["github", "missing"]]);
            assert.strictEqual(e.message, `GoServiceImage "api": 'github' commits the files with @pulumi/github, which is not installed: run \`npm install @pulumi/github@"^6.15.0"\` in the program (it is an optional peer dependency, so that programs without 'github' need no GitHub provider), or leave 'github' out.`);
            return true;
        });
        assert.throws(() => loadGitHub("api", "GoServiceImage", () => { throw new Error("boom"); }), /^Error: boom$/, "other load errors pass through");
    });
});
