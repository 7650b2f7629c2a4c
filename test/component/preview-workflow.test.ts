import { dependencies, freshProgramPerTest, registered, settle, valueOf } from "../helpers/mocks";
import * as assert from "assert";
import { GoServiceImage, GoServiceImageError, previewWorkflow, PreviewWorkflow } from "../../src";
import { simpleModule } from "../helpers/module";

describe("PreviewWorkflow component", () => {
    freshProgramPerTest();

    it("commits the workflow to the infrastructure repository, after the services' files on the same branch, with its deployment environment", async () => {
        const before = registered.length;
        new GoServiceImage("svc-pw", { context: simpleModule(), repository: "ghcr.io/acme/svc", github: { repository: "infra" } });
        const wf = new PreviewWorkflow("prod-pw", { stack: "acme/infra/prod", workDir: "infra", github: { repository: "infra" } });
        await settle();
        const mine = registered.slice(before);
        const file = mine.find((r) => r.name === "prod-pw-workflow")!;
        assert.strictEqual(file.type, "github:index/repositoryFile:RepositoryFile");
        assert.deepStrictEqual(
            { repository: file.inputs.repository, branch: file.inputs.branch, file: file.inputs.file, content: file.inputs.content },
            { repository: "infra", branch: "main", file: ".github/workflows/pulumi-acme-infra-prod.yml", content: previewWorkflow({ stack: "acme/infra/prod", workDir: "infra" }).text },
        );
        const lastServiceFile = mine.filter((r) => r.type === "github:index/repositoryFile:RepositoryFile" && r.name.startsWith("svc-pw-")).pop()!;
        assert.ok((dependencies.get("prod-pw-workflow") ?? []).some((urn) => urn.endsWith(`::${lastServiceFile.name}`)), "commits one after another on one branch (GitHub answers 409 otherwise)");
        const env = mine.find((r) => r.name === "prod-pw-environment")!;
        assert.strictEqual(env.inputs.environment, "pulumi-acme-infra-prod");
        assert.strictEqual(mine.find((r) => r.name === "prod-pw-environment-branch")!.inputs.branchPattern, "main");
        assert.deepStrictEqual(await valueOf(wf.statusChecks), ["pulumi-preview-acme-infra-prod", "pulumi-up-acme-infra-prod"]);
        assert.strictEqual(await valueOf(wf.workflowPath), ".github/workflows/pulumi-acme-infra-prod.yml");
    });

    it("provisions distinct stack secrets: the preview token and the passphrase for the repository and Dependabot, the up token in the environment only", async () => {
        const before = registered.length;
        new PreviewWorkflow("tok-pw", { stack: "tok", github: { repository: "infra-tok", previewAccessToken: "pul-preview", upAccessToken: "pul-up" } });
        new PreviewWorkflow("pass-pw", { stack: "pass", backendUrl: "s3://acme-state", github: { repository: "infra-pass", configPassphrase: "correct horse" } });
        await settle();
        const secrets = registered.slice(before).filter((r) => /Secret$/.test(r.type)).map((r) => [r.type.split(":").pop(), r.inputs.secretName, r.inputs.environment ?? null, r.inputs.value.value]);
        // Registration order follows dependencies (the environment secret waits for its environment): compared as a set.
        const key = (x: unknown[]) => x.join(" ");
        assert.deepStrictEqual(secrets.sort((a, b) => key(a).localeCompare(key(b))), [
            ["ActionsSecret", "PULUMI_PREVIEW_ACCESS_TOKEN", null, "pul-preview"],
            ["DependabotSecret", "PULUMI_PREVIEW_ACCESS_TOKEN", null, "pul-preview"],
            ["ActionsEnvironmentSecret", "PULUMI_UP_ACCESS_TOKEN", "pulumi-tok", "pul-up"],
            ["ActionsSecret", "PULUMI_CONFIG_PASSPHRASE", null, "correct horse"],
            ["DependabotSecret", "PULUMI_CONFIG_PASSPHRASE", null, "correct horse"],
        ].sort((a, b) => key(a).localeCompare(key(b))));
        for (const r of registered.slice(before).filter((x) => /Secret$/.test(x.type))) assert.ok(r.inputs.value["4dabf18193072939515e22adb298388d"], `${r.name} is sent as a secret`);
    });

    it("a token that the workflow would not read is refused, naming why", async () => {
        assert.throws(() => new PreviewWorkflow("bad-tok", { stack: "bt", backendUrl: "s3://acme-state", github: { repository: "i", upAccessToken: "x" } }), /'github\.upAccessToken' is a Pulumi Cloud token, but the workflow logs in to the self-managed backend 'backendUrl': drop it/);
        assert.throws(() => new PreviewWorkflow("bad-pass", { stack: "bp", github: { repository: "i", configPassphrase: "x" } }), /'github\.configPassphrase' is a self-managed backend's stack passphrase, but no 'backendUrl' is set/);
    });

    it("without github generates only: no resource but itself", async () => {
        const before = registered.length;
        const wf = new PreviewWorkflow("only-pw", { stack: "dev", language: "yaml" });
        await settle();
        assert.deepStrictEqual(registered.slice(before).map((r) => r.type), ["pulumi-go-service-image:index:PreviewWorkflow"]);
        assert.match((await valueOf(wf.workflow))!, /command: preview/);
    });

    it("bad options throw before anything is registered", async () => {
        await settle();
        const before = registered.length;
        assert.throws(() => new PreviewWorkflow("bad-pw", { stack: "prod", pulumiVersion: "latest", github: { repository: "acme/infra" } }), (e: unknown) => {
            assert.ok(e instanceof GoServiceImageError);
            assert.deepStrictEqual(e.problems.map((p) => p.field).sort(), ["github.repository", "pulumiVersion"]);
            return true;
        });
        await settle();
        assert.strictEqual(registered.length, before);
    });
});
