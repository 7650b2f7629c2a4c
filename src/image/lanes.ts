/**
 * At most N image builds at a time on one engine, as the engine's own scheduling gives it: the
 * images registered in this process for one engine are numbered in registration order, and image
 * i depends on image i−N (`dependsOn`), so the images fall into N chains (i mod N) and each chain
 * builds one at a time. Unchanged images cost nothing (the engine skips them), so the bound
 * matters where many build: a stack's first `up`, a change to a module every service uses.
 */
export class Lanes<T> {
    private readonly byEngine = new Map<string, T[]>();

    /**
     * Makes the next image of `engine`, telling `make` which image it must wait for under `limit`
     * builds at a time (none when unbounded, or when fewer than `limit` came before), and records it.
     */
    admit(engine: string, limit: number | undefined, make: (waitFor: T | undefined) => T): T {
        const list = this.byEngine.get(engine) ?? [];
        this.byEngine.set(engine, list);
        const made = make(limit !== undefined && list.length >= limit ? list[list.length - limit] : undefined);
        list.push(made);
        return made;
    }
}

/** Which engine an image builds on: one buildx builder (by name, or the current one), or the local Docker engine. */
export function engineOf(buildx: { readonly builder?: string } | undefined, dockerHost = process.env.DOCKER_HOST): string {
    return buildx ? `buildx:${buildx.builder ?? "(current builder)"}` : `docker:${dockerHost ?? "(local engine)"}`;
}
