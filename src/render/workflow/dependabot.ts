import { WorkflowPlan } from "../../plan/workflow";
import { modulesTokenName } from "./steps";
import { generatedYaml } from "./yaml";

/**
 * The Dependabot configuration of a service's repository (version 2): update pull requests for
 * the pinned actions (by SHA, in the workflows), the images the Dockerfile names (`FROM` tags and
 * digests) and the Go modules the image reads. Its pull requests touch generated files: they say
 * what changed upstream; take the change through the component's arguments (`digests`,
 * `golangciLintVersion`) or a library release, which regenerate the files.
 *
 * With private modules, each GOPRIVATE host is a `git` registry Dependabot logs in to with the
 * user `x-access-token` (GitHub's convention for a token; GitLab takes any user with a token) and
 * the Dependabot secret `<PREFIX>_MODULES_TOKEN_<HOST>`, which the component provisions from the
 * netrc's entry for that host. Secrets are written `${{secrets.NAME}}`, as Dependabot documents.
 * @see https://docs.github.com/code-security/dependabot/working-with-dependabot/configuring-access-to-private-registries-for-dependabot
 */
export function renderDependabot(plan: WorkflowPlan): string {
    const dir = (d: string) => (d === "." ? "/" : `/${d}`);
    const weekly = () => ({ interval: "weekly" });
    const hosts = plan.netrc ? plan.privateHosts : [];
    const name = (host: string) => `go-${host.replace(/[^A-Za-z0-9]+/g, "-")}`;
    const registries = Object.fromEntries(hosts.map((host) => [
        name(host),
        { type: "git", url: `https://${host}`, username: "x-access-token", password: "${{secrets." + modulesTokenName(plan.prefix, host) + "}}" },
    ]));
    const config = {
        version: 2,
        ...(hosts.length > 0 ? { registries } : {}),
        updates: [
            { "package-ecosystem": "github-actions", directory: "/", schedule: weekly() },
            { "package-ecosystem": "docker", directory: dir(plan.serviceDir), schedule: weekly() },
            { "package-ecosystem": "gomod", directories: plan.moduleDirs.map(dir), ...(hosts.length > 0 ? { registries: hosts.map(name) } : {}), schedule: weekly() },
        ],
    };
    return generatedYaml(config);
}
