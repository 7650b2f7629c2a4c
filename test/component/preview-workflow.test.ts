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
