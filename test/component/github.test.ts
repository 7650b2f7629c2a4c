import { dependencies, registered, setMode, settle, valueOf } from "../helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GoServiceImage, GoServiceImageArgs, GoServiceImageError } from "../../src";
import { depsModule, simpleModule } from "../helpers/module";

const FILE = "github:index/repositoryFile:RepositoryFile";
const VARIABLE = "github:index/actionsVariable:ActionsVariable";
const SECRET = "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret";
const REPO_SECRET = "github:index/actionsSecret:ActionsSecret";
const ENVIRONMENT = "github:index/repositoryEnvironment:RepositoryEnvironment";
const ENV_POLICY = "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy";
const PROTECTION = "github:index/branchProtection:BranchProtection";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

let n = 0;
const fresh = (base: string) => `${base}${++n}`;
const registry = { username: "bot", password: "s3cret-token" };

/** A URN's last part is the resource name. */
const nameOf = (urn: string) => urn.split("::").pop()!;

describe("GoServiceImage: GitHub provisioning", () => {
    const cwd = process.cwd();
    beforeEach(() => {
        process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), "gsi-gh-")));
        setMode("update");
    });
    afterEach(() => process.chdir(cwd));

    function make(name: string, args: Partial<GoServiceImageArgs> & { github: GoServiceImageArgs["github"] }) {
        const before = registered.length;
        const svc = new GoServiceImage(name, { context: depsModule(), repository: "registry.example.com/acme/api", registry, ...args } as GoServiceImageArgs);
        return { svc, mine: async () => (await settle(), registered.slice(before)) };
    }

    it("commits the Dockerfile, its allow-list and last the workflow one after another, with the generated texts: the workflow's first run finds everything it builds and reads", async () => {
        const name = fresh("api");
        const { svc, mine } = make(name, { github: { repository: "platform", serviceDir: "services/api" } });
        const regs = await mine();
        const files = regs.filter((r) => r.type === FILE);
        assert.deepStrictEqual(files.map((f) => f.inputs.file), ["services/api/Dockerfile", "services/api/Dockerfile.dockerignore", `.github/workflows/${name}.yml`]);
        assert.deepStrictEqual(files.map((f) => f.inputs.content), [await valueOf(svc.dockerfile), await valueOf(svc.dockerignore), await valueOf(svc.workflow)]);
        // Its own commit is the push that starts its first run: after the files, the environment, the variables and the secret.
        const settings = regs.filter((r) => [ENVIRONMENT, VARIABLE, SECRET].includes(r.type)).map((r) => r.name).sort();
        assert.deepStrictEqual(dependencies.get(files[2].name)!.map(nameOf).sort(), [files[1].name, ...settings].sort());
        for (const f of files) {
            assert.strictEqual(f.inputs.repository, "platform");
            assert.strictEqual(f.inputs.branch, "main");
            assert.match(f.inputs.commitMessage, /\(pulumi-go-service-image\)$/);
        }
        assert.deepStrictEqual(dependencies.get(files[1].name)!.map(nameOf), [files[0].name]);
        assert.strictEqual(await valueOf(svc.workflowPath), `.github/workflows/${name}.yml`);
        assert.deepStrictEqual(await valueOf(svc.statusChecks), [`${name}-test`, `${name}-image`]);
    });

    it("a .dockerignore of the user's own in the module is left alone: the allow-list goes beside the Dockerfile", async () => {
        const name = fresh("own");
        const context = depsModule({ ".dockerignore": "mine\n" });
        const { mine } = make(name, { context, github: { repository: "own-ignore" } });
        const files = (await mine()).filter((r) => r.type === FILE).map((f) => f.inputs.file);
        assert.deepStrictEqual(files, ["Dockerfile", "Dockerfile.dockerignore", `.github/workflows/${name}.yml`]);
        assert.strictEqual(fs.readFileSync(path.join(context, ".dockerignore"), "utf8"), "mine\n");
    });

    it("the registry password becomes a secret of the publish environment, which only the default branch may deploy to; repository, registry and username are variables", async () => {
        const name = fresh("api");
        const { svc, mine } = make(name, { github: { repository: "platform", variablePrefix: "API" } });
        const regs = await mine();
        const env = regs.find((r) => r.type === ENVIRONMENT)!;
        assert.deepStrictEqual([env.inputs.repository, env.inputs.environment, env.inputs.deploymentBranchPolicy], ["platform", `${name}-publish`, { protectedBranches: false, customBranchPolicies: true }]);
        const policy = regs.find((r) => r.type === ENV_POLICY)!;
        assert.deepStrictEqual([policy.inputs.environment, policy.inputs.branchPattern], [`${name}-publish`, "main"]);
        const secret = regs.find((r) => r.type === SECRET)!;
        assert.strictEqual(secret.inputs.repository, "platform");
        assert.strictEqual(secret.inputs.environment, `${name}-publish`);
        assert.strictEqual(secret.inputs.secretName, "API_REGISTRY_PASSWORD");
        assert.strictEqual(secret.inputs.value[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270", "the value is sent as a secret");
        assert.strictEqual(secret.inputs.value.value, "s3cret-token");
        const vars = Object.fromEntries(regs.filter((r) => r.type === VARIABLE).map((r) => [r.inputs.variableName, r.inputs.value]));
        assert.deepStrictEqual(vars, { API_IMAGE_REPOSITORY: "registry.example.com/acme/api", API_REGISTRY: "registry.example.com", API_REGISTRY_USERNAME: "bot" });
        const workflow = (await valueOf(svc.workflow))!;
        assert.ok(!workflow.includes("s3cret-token"));
        for (const v of [...Object.keys(vars).map((k) => `vars.${k}`), "secrets.API_REGISTRY_PASSWORD"]) assert.ok(workflow.includes(`\${{ ${v} }}`), v);
        for (const r of regs.filter((r) => r.type === FILE)) assert.ok(!JSON.stringify(r.inputs).includes("s3cret-token"));
    });

    it("two services in one repository sharing a registry: own secret and variable names, one commit chain", async () => {
        const a = fresh("api");
        const b = fresh("web");
        const first = make(a, { github: { repository: "mono", serviceDir: `services/${a}` } });
        const second = make(b, { context: simpleModule(), repository: "registry.example.com/acme/web", github: { repository: "mono", serviceDir: `services/${b}` } } as never);
        const regs = [...(await first.mine())];
        const secrets = regs.filter((r) => r.type === SECRET).map((r) => r.inputs.secretName);
        assert.deepStrictEqual(secrets, [`${a.toUpperCase()}_REGISTRY_PASSWORD`, `${b.toUpperCase()}_REGISTRY_PASSWORD`]);
        const files = regs.filter((r) => r.type === FILE);
        assert.strictEqual(files.length, 6);
        // The second service's first commit waits for the first service's last one.
        assert.deepStrictEqual(dependencies.get(`${b}-dockerfile`)!.map(nameOf), [`${a}-workflow`]);
        await second.mine();
    });

    it("branch protection requires exactly the generated job names, after the files are committed", async () => {
        const name = fresh("api");
        const { svc, mine } = make(name, { github: { repository: "prot", branchProtection: { repositoryId: "R_1" } } });
        const regs = await mine();
        const protection = regs.find((r) => r.type === PROTECTION)!;
        assert.strictEqual(protection.inputs.repositoryId, "R_1");
        assert.strictEqual(protection.inputs.pattern, "main");
        assert.strictEqual(protection.inputs.enforceAdmins, false);
        assert.deepStrictEqual(protection.inputs.requiredStatusChecks, [{ strict: true, contexts: await valueOf(svc.statusChecks) }]);
        const doc = require("yaml").parse((await valueOf(svc.workflow))!);
        assert.deepStrictEqual([doc.jobs.test.name, doc.jobs.image.name], protection.inputs.requiredStatusChecks[0].contexts, "the checks every pull request and merge group reports");
        assert.deepStrictEqual(dependencies.get(`${name}-branch-protection`)!.map(nameOf).sort(), [`${name}-dockerfile`, `${name}-dockerignore`, `${name}-workflow`]);
    });

    it("a ghcr.io repository: no stored login at all, the workflow logs in with GITHUB_TOKEN; a netrc becomes a repository secret", async () => {
        const name = fresh("gh");
        const { svc, mine } = make(name, { repository: "ghcr.io/acme/api", registry: undefined, github: { repository: "ghcr-repo", privateModules: true, netrc: "machine example.com login bot password t0k" } } as never);
        const regs = await mine();
        assert.strictEqual(regs.find((r) => r.type === SECRET), undefined);
        assert.deepStrictEqual(regs.filter((r) => r.type === VARIABLE).map((r) => r.inputs.variableName), [`${name.toUpperCase()}_IMAGE_REPOSITORY`]);
        const netrc = regs.find((r) => r.type === REPO_SECRET)!;
        assert.strictEqual(netrc.inputs.secretName, `${name.toUpperCase()}_NETRC`);
        assert.strictEqual(netrc.inputs.value[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270");
        const doc = require("yaml").parse((await valueOf(svc.workflow))!);
        assert.strictEqual(doc.jobs.publish.permissions.packages, "write");
    });

    it("dependabot: true also keeps .github/dependabot.yml, for the actions, the Dockerfile's images and every module the image reads", async () => {
        const name = fresh("dep");
        const { mine } = make(name, { github: { repository: "dep-repo", serviceDir: "svc", dependabot: true } });
        const file = (await mine()).filter((r) => r.type === FILE).find((r) => r.inputs.file === ".github/dependabot.yml")!;
        const doc = require("yaml").parse(file.inputs.content);
        assert.deepStrictEqual(doc.updates.map((u: any) => [u["package-ecosystem"], u.directory ?? u.directories]), [["github-actions", "/"], ["docker", "/svc"], ["gomod", ["/svc"]]]);
        assert.match(file.inputs.content, /^# Generated by pulumi-go-service-image/);
    });

    it("without github args there is no GitHub resource and no workflow output", async () => {
        const before = registered.length;
        const svc = new GoServiceImage(fresh("plain"), { context: simpleModule(), repository: "ghcr.io/acme/api" });
        await settle();
        assert.deepStrictEqual(registered.slice(before).filter((r) => r.type.startsWith("github:")), []);
        assert.strictEqual(await valueOf(svc.workflow), undefined);
        assert.deepStrictEqual(await valueOf(svc.statusChecks), []);
    });

    it("in preview the workflow is known", async () => {
        setMode("preview");
        const { svc } = make(fresh("api"), { github: { repository: "pv" } });
        assert.match((await valueOf(svc.workflow))!, /^# Generated by pulumi-go-service-image/);
    });

    describe("bad input, before anything is registered", () => {
        const cases: Array<[string, (a: string, b: string) => Array<[string, Partial<GoServiceImageArgs>]>, RegExp]> = [
            ["no registry credentials to keep", (a) => [[a, { registry: undefined, github: { repository: "r1" } }]], /set registry\.username and registry\.password \(a ghcr\.io repository needs neither.*\), or set github\.manageSecrets: false/],
            ["a netrc without privateModules", (a) => [[a, { github: { repository: "r1", netrc: "x" } }]], /'github\.netrc' is set but 'github\.privateModules' is not/],
            ["repository with owner", (a) => [[a, { github: { repository: "acme/api" } }]], /'github\.repository' must be a repository name without owner/],
            ["bad service dir", (a) => [[a, { github: { repository: "r2", serviceDir: "../api" } }]], /'github\.serviceDir' must be a path inside the repository/],
            ["two services writing the same files", (a, b) => [[a, { github: { repository: "r3" } }], [b, { github: { repository: "r3", serviceDir: ".", variablePrefix: "OTHER" } }]], /the file "Dockerfile" in repository "r3" is also GoServiceImage "/],
            ["two services with one variable prefix", (a, b) => [[a, { github: { repository: "r4", serviceDir: "a", variablePrefix: "SAME" } }], [b, { github: { repository: "r4", serviceDir: "b", variablePrefix: "SAME" } }]], /variable prefix "SAME" in repository "r4" is also/],
            ["two services protecting one branch", (a, b) => [[a, { github: { repository: "r5", serviceDir: "a", branchProtection: { repositoryId: "x" } } }], [b, { github: { repository: "r5", serviceDir: "b", branchProtection: { repositoryId: "x" } } }]], /branch protection of "main" in repository "r5" is also/],
        ];
        for (const [what, setup, pattern] of cases) {
            it(what, async () => {
                const specs = setup(fresh("a"), fresh("b"));
                for (const [name, args] of specs.slice(0, -1)) make(name, { github: args.github!, ...args });
                await settle();
                const before = registered.length;
                const [name, args] = specs[specs.length - 1];
                assert.throws(() => make(name, { github: args.github!, ...args }), (e: unknown) => e instanceof GoServiceImageError && pattern.test(e.message));
                await settle();
                assert.strictEqual(registered.length, before);
            });
        }
    });
});
