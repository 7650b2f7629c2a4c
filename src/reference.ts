import { parseFamiliarName } from "@swimlane/docker-reference";
import { show } from "./errors";

/**
 * Docker image references, parsed by @swimlane/docker-reference (a port of the distribution
 * project's reference grammar, the one Docker uses), with the library's messages on top. The one
 * place the library reads a reference.
 */
export interface ParsedReference {
    /** The registry host as Docker reads it: `docker.io` for familiar names such as `alpine`. */
    readonly domain: string;
    /** The repository path, e.g. `acme/api` (`library/alpine` for `alpine`). */
    readonly path: string;
    readonly tag?: string;
    readonly digest?: string;
}

/** Parses a reference; returns the parser's reason as a string when it is not one. */
export function parseReference(value: string): ParsedReference | string {
    try {
        const ref = parseFamiliarName(value);
        return { domain: ref.domain ?? "docker.io", path: ref.repository ?? "", tag: ref.tag, digest: ref.digest };
    } catch (e) {
        return (e as Error).message;
    }
}

/** The registry host of a repository reference, as Docker reads it (`docker.io` when none is named). */
export function registryHost(repository: string): string {
    const ref = parseReference(repository);
    return typeof ref === "string" ? repository.split("/")[0] : ref.domain;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** What the value most likely meant as a repository: no scheme, tag or digest, lowercase path. */
function repositoryFix(value: string): string | undefined {
    let v = value.trim().replace(SCHEME, "").replace(/\/+$/, "");
    v = v.split("@")[0];
    const slash = v.lastIndexOf("/");
    const colon = v.lastIndexOf(":");
    if (colon > slash) v = v.slice(0, colon);
    const parts = v.split("/");
    const hasHost = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]);
    const fixed = hasHost ? [parts[0], ...parts.slice(1).map((p) => p.toLowerCase())].join("/") : v.toLowerCase();
    const ref = parseReference(fixed);
    return typeof ref === "string" || ref.tag || ref.digest ? undefined : fixed;
}

/**
 * Checks an image repository without tag or digest, e.g. `ghcr.io/acme/api`. Returns the message
 * (naming field, value and a fix that itself parses), or undefined when it is fine.
 */
export function checkRepository(field: string, value: unknown): string | undefined {
    const example = 'an image repository like "ghcr.io/acme/api" or "localhost:5000/api"';
    if (typeof value !== "string" || value === "") return `'${field}' must be ${example}, got ${show(value)}.`;
    const fix = repositoryFix(value);
    const use = fix && fix !== value ? `: use ${show(fix)}` : "";
    if (SCHEME.test(value)) return `'${field}' must not have a scheme, got ${show(value)}${use}.`;
    const ref = parseReference(value);
    if (typeof ref !== "string") {
        if (ref.digest) return `'${field}' must not have a digest, got ${show(value)}: the digest is an output (imageRef)${fix ? `; give ${show(fix)}` : ""}.`;
        if (ref.tag) return `'${field}' must not have a tag, got ${show(value)}: the tag is derived from the build${fix ? `; give ${show(fix)}` : ""}.`;
        const port = /:(\d+)$/.exec(ref.domain)?.[1];
        if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `'${field}' has port ${port} in ${show(value)}, out of range: use a port from 1 to 65535.`;
        return undefined;
    }
    if (/uppercase|lowercase/i.test(ref)) return `'${field}' must be lowercase, got ${show(value)}${use}.`;
    return `'${field}' is not ${example}: ${ref} in ${show(value)}${use}.`;
}

/** Checks a reference with optional tag and digest, e.g. `alpine:3.22` or `cgr.dev/x/static@sha256:…`. */
export function checkImageReference(field: string, value: unknown): string | undefined {
    if (typeof value !== "string" || value === "") return `'${field}' must be an image reference like "alpine:3.22", got ${show(value)}.`;
    const ref = parseReference(value);
    if (typeof ref !== "string") return undefined;
    return `'${field}' must be an image reference like "alpine:3.22" or "ghcr.io/acme/base:1@sha256:…", got ${show(value)} (${ref}).`;
}

/** Checks a registry host with optional port, as Docker takes it: no scheme, no path. */
export function checkRegistryServer(field: string, value: unknown): string | undefined {
    if (typeof value !== "string" || value === "") return `'${field}' must be a registry host like "ghcr.io" or "localhost:5000", got ${show(value)}.`;
    if (SCHEME.test(value)) return `'${field}' must be a host without a scheme, got ${show(value)}: use ${show(value.replace(SCHEME, "").split("/")[0])}.`;
    if (value.includes("/")) return `'${field}' must be a host without a path, got ${show(value)}: use ${show(value.split("/")[0])}.`;
    const port = /:(\d+)$/.exec(value)?.[1];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `'${field}' has port ${port}, out of range: use a port from 1 to 65535.`;
    const ref = parseReference(`${value}/probe`);
    if (typeof ref === "string" || !sameRegistry(ref.domain, value)) return `'${field}' must be a registry host like "ghcr.io" or "localhost:5000", got ${show(value)}.`;
    return undefined;
}

/** Docker Hub's several names for one registry. */
export function sameRegistry(a: string, b: string): boolean {
    const norm = (h: string) => (["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"].includes(h) ? "docker.io" : h);
    return norm(a) === norm(b);
}
