/**
 * A typed model of the Dockerfile subset the library generates. Values that come from users are
 * carried as data and escaped by the renderer alone; nothing here is pre-quoted text.
 */

/** A word in ENV or LABEL: a literal (escaped when rendered) or a reference to a build arg. */
export type Value = string | { readonly arg: string };

/** A BuildKit `RUN --mount`. */
export type Mount =
    | { readonly type: "cache"; readonly target: string }
    | { readonly type: "secret"; readonly id: string; readonly target: string };

/** One Dockerfile instruction (or a comment line). */
export type Instruction =
    | { readonly kind: "comment"; readonly text: string }
    | { readonly kind: "arg"; readonly name: string; readonly default?: string }
    | { readonly kind: "from"; readonly image: string; readonly platform?: string; readonly as?: string }
    | { readonly kind: "workdir"; readonly path: string }
    | { readonly kind: "env"; readonly vars: ReadonlyArray<readonly [string, Value]> }
    | { readonly kind: "copy"; readonly from?: string; readonly sources: readonly string[]; readonly dest: string }
    | {
          readonly kind: "run";
          readonly mounts: readonly Mount[];
          /** Shell commands, joined with `&&`; each already made of safe, validated words. */
          readonly commands: readonly string[];
      }
    | { readonly kind: "label"; readonly labels: ReadonlyArray<readonly [string, Value]> }
    | { readonly kind: "user"; readonly user: string }
    | { readonly kind: "expose"; readonly port: number }
    | { readonly kind: "entrypoint"; readonly argv: readonly string[] }
    | { readonly kind: "cmd"; readonly argv: readonly string[] };

/** A build stage, or the global section before the first FROM when `name` is undefined. */
export interface Section {
    readonly instructions: readonly Instruction[];
}

/** A whole Dockerfile: header comments, then sections separated by blank lines. */
export interface DockerfileModel {
    readonly header: readonly string[];
    readonly sections: readonly Section[];
}
