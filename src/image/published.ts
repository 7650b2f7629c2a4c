import { parseReference } from "../reference";

/** Credentials for a registry, as the component's `registry` gives them. */
export interface RegistryCredentials {
    readonly username?: string;
    readonly password?: string;
}

/** What the registry says of `repository:tag`: its digest, none, or why it could not be asked. */
export type Published = { readonly digest: string } | { readonly digest?: undefined; readonly missing: true } | { readonly digest?: undefined; readonly error: string };

type Fetch = typeof fetch;

/** How long one request to the registry may take: a preview never waits on a registry for long. */
const TIMEOUT_MS = 10_000;

/** The manifest types a pushed image or index has (Docker's and OCI's). */
const ACCEPT = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** Docker Hub's API host: `docker.io` names the registry, not the endpoint. */
function endpoint(domain: string): string {
    return domain === "docker.io" ? "registry-1.docker.io" : domain;
}

/** Loopback registries are reached over plain HTTP when HTTPS fails, as Docker itself does for them. */
function loopback(host: string): boolean {
    return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);
}

/**
 * The `WWW-Authenticate` challenge's scheme and parameters (RFC 7235: `Bearer realm="…",service="…",scope="…"`).
 * @see https://distribution.github.io/distribution/spec/auth/token/
 */
function challenge(header: string | null): { scheme: string; params: Record<string, string> } | undefined {
    const m = header ? /^(\w+)\s+(.*)$/.exec(header.trim()) : null;
    if (!m) return undefined;
    const params: Record<string, string> = {};
    for (const p of m[2].matchAll(/(\w+)="([^"]*)"/g)) params[p[1].toLowerCase()] = p[2];
    return { scheme: m[1].toLowerCase(), params };
}

function basic(creds: RegistryCredentials | undefined): string | undefined {
    return creds?.username && creds.password !== undefined ? "Basic " + Buffer.from(`${creds.username}:${creds.password}`).toString("base64") : undefined;
}

/** The Authorization a challenge asks for: basic credentials, or a bearer token from the realm. */
async function authorization(res: Response, creds: RegistryCredentials | undefined, f: Fetch): Promise<string | undefined> {
    const c = challenge(res.headers.get("www-authenticate"));
    if (c?.scheme === "basic") return basic(creds);
    if (c?.scheme !== "bearer" || !c.params.realm) return undefined;
    const url = new URL(c.params.realm);
    if (c.params.service) url.searchParams.set("service", c.params.service);
    if (c.params.scope) url.searchParams.set("scope", c.params.scope);
    const auth = basic(creds);
    const token = await f(url, { headers: auth ? { Authorization: auth } : {}, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!token.ok) throw new Error(`the token endpoint ${url.origin} answered ${token.status}`);
    const body = (await token.json()) as { token?: string; access_token?: string };
    const value = body.token ?? body.access_token;
    return value ? `Bearer ${value}` : undefined;
}

/**
 * Asks a registry whether it holds `repository:tag` (a manifest HEAD of the distribution API,
 * anonymous, then with the credentials a 401 challenge asks for: basic, or the token flow).
 * Never throws: a registry that cannot be asked is an `error` saying why.
 * @see https://github.com/opencontainers/distribution-spec/blob/main/spec.md#checking-if-content-exists-in-the-registry
 */
export async function publishedDigest(repository: string, tag: string, creds?: RegistryCredentials, f: Fetch = fetch): Promise<Published> {
    const ref = parseReference(repository);
    if (typeof ref === "string") return { error: ref };
    const host = endpoint(ref.domain);
    const schemes = loopback(host) ? ["https", "http"] : ["https"];
    let last = "";
    for (const scheme of schemes) {
        const url = `${scheme}://${host}/v2/${ref.path}/manifests/${tag}`;
        try {
            let res = await f(url, { method: "HEAD", headers: { Accept: ACCEPT }, signal: AbortSignal.timeout(TIMEOUT_MS) });
            if (res.status === 401) {
                const auth = await authorization(res, creds, f);
                if (auth) res = await f(url, { method: "HEAD", headers: { Accept: ACCEPT, Authorization: auth }, signal: AbortSignal.timeout(TIMEOUT_MS) });
            }
            if (res.status === 404) return { missing: true };
            const digest = res.headers.get("docker-content-digest");
            if (res.ok && digest) return { digest };
            return { error: `${host} answered ${res.status}${res.ok ? " without a digest" : ""}` };
        } catch (e) {
            last = `${host} could not be reached (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message})`;
        }
    }
    return { error: last };
}
