import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GoServiceImageArgs, WorkflowOptions } from "../../src/args";
import { prepare, Prepared } from "../../src/pipeline";
import { Claims } from "../../src/resolve/claims";
import { resolve } from "../../src/resolve";
import { Plan } from "../../src/plan";

/** Build options as tests give them: the image part of the args, without the deployment values. */
export type Options = Partial<GoServiceImageArgs>;

/**
 * Resolves, renders and tags in one step through the one pipeline, as `go-service-image render`
 * does, with claims of its own (so repeated calls on one module never clash) and files placed in
 * a fresh directory (nothing is written).
 */
export function generate(context: string, options: Options = {}, name = "svc", workflow: WorkflowOptions = {}): Prepared {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-gen-"));
    return prepare({ name, args: { context, ...options } as GoServiceImageArgs, purpose: "render", out, workflow, claims: new Claims() });
}

/** Runs resolve alone, as the component does (fresh claims, a fresh program directory). */
export function resolveOnly(name: string, args: Options): Plan {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "gsi-program-"));
    return resolve({ name, args: args as GoServiceImageArgs, purpose: "component", cwd, claims: new Claims() });
}
