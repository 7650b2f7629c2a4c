import type * as GitHub from "@pulumi/github";
import { GoServiceImageError } from "../errors";

/** The @pulumi/github versions the library is tested with (its optional peer dependency). */
const RANGE: string = (require("../../package.json") as { peerDependencies: Record<string, string> }).peerDependencies["@pulumi/github"];

/**
 * `@pulumi/github`, loaded only when GitHub resources are made. It is an optional peer dependency:
 * a program (or a YAML, Python, Go or C# consumer of the package) that never sets `github` does not
 * install it, and so needs no GitHub provider plugin, which `pulumi package add` would otherwise
 * fetch before it can read the schema. Missing where `github` is set: one clear error, raised
 * before anything is registered or written.
 */
export function loadGitHub(resource: string, kind: string, load: (id: string) => unknown = require): typeof GitHub {
    try {
        return load("@pulumi/github") as typeof GitHub;
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
        throw new GoServiceImageError(resource, [{
            field: "github",
            code: "missing",
            message: `'github' commits the files with @pulumi/github, which is not installed: run \`npm install @pulumi/github@"${RANGE}"\` in the program (it is an optional peer dependency, so that programs without 'github' need no GitHub provider), or leave 'github' out.`,
        }], kind);
    }
}
