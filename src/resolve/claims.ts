/**
 * What the services of one program (one process) have claimed: generated file paths, GitHub
 * repository paths, variable prefixes, branch protections. Two services claiming one thing is a
 * resolve error, found before either registers anything. Owners are tokens, not names: Pulumi
 * accepts two components with one name under different parents, and they must not share a file.
 */
export class Claims {
    private readonly owners = new Map<string, { readonly owner: symbol; readonly name: string }>();

    /** The name of the earlier claimant of `key`, when it is another service. */
    clash(key: string, owner: symbol): string | undefined {
        const prior = this.owners.get(key);
        return prior && prior.owner !== owner ? prior.name : undefined;
    }

    claim(key: string, owner: symbol, name: string): void {
        this.owners.set(key, { owner, name });
    }
}

/** The claims of this process: every GoServiceImage of a program shares them. */
export const processClaims = new Claims();
