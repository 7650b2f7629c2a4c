/**
 * What the services of one program (one process) have claimed: generated file paths, GitHub
 * repository paths, variable prefixes, branch protections. Two services claiming one thing is a
 * resolve error, found before either registers anything. Owners are tokens, not names: Pulumi
 * accepts two components with one name under different parents, and they must not share a file.
 */
export class Claims {
    private readonly owners = new Map<string, { readonly owner: symbol; readonly name: string; readonly content: string }>();

    /**
     * The earlier claimant of `key`, when it is another service and the claim clashes: `shared`
     * claims (the same .dockerignore text for one context) clash only when their content differs.
     */
    clash(key: string, owner: symbol, content = "", shared = false): string | undefined {
        const prior = this.owners.get(key);
        if (!prior || prior.owner === owner) return undefined;
        if (shared && prior.content === content) return undefined;
        return prior.name;
    }

    claim(key: string, owner: symbol, name: string, content = ""): void {
        this.owners.set(key, { owner, name, content });
    }
}

/** The claims of this process: every GoServiceImage of a program shares them. */
export const processClaims = new Claims();
