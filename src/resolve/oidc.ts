import { RegistryOidc } from "../args";
import { Problems, show } from "../errors";
import { RegistryLogin } from "../plan/workflow";
import * as rules from "./rules";

/** The shapes of OIDC settings, by cloud and field. */
export const FIELDS = {
    aws: {
        roleToAssume: rules.matches(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'an IAM role ARN like "arn:aws:iam::123456789012:role/publish-api"'),
        region: rules.matches(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'an AWS region like "eu-west-1" (the ECR registry\'s)'),
    },
    gcp: {
        workloadIdentityProvider: rules.matches(/^projects\/\d{1,20}\/locations\/global\/workloadIdentityPools\/[a-z0-9-]{4,32}\/providers\/[a-z0-9-]{4,32}$/, 'a provider like "projects/123456789/locations/global/workloadIdentityPools/github/providers/acme"'),
        serviceAccount: rules.matches(/^[a-z0-9-]{6,30}@[a-z0-9-]{6,30}\.iam\.gserviceaccount\.com$/, 'a service account like "publish@my-project.iam.gserviceaccount.com"'),
    },
    azure: {
        clientId: rules.matches(/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i, "a client id (a GUID)"),
        tenantId: rules.matches(/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i, "a tenant id (a GUID)"),
        subscriptionId: rules.matches(/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i, "a subscription id (a GUID)"),
    },
} as const;

/** Rules of the preview workflow's OIDC settings (preview and up identities of each cloud). */
export const PREVIEW_FIELDS: Readonly<Record<string, Readonly<Record<string, rules.Rule<string>>>>> = {
    pulumi: {
        organization: rules.matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'a Pulumi Cloud organization like "acme"'),
        previewTeam: rules.matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'a Pulumi Cloud team like "ci-preview"'),
        upTeam: rules.matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'a Pulumi Cloud team like "ci-deploy"'),
    },
    aws: { region: FIELDS.aws.region, previewRole: FIELDS.aws.roleToAssume, upRole: FIELDS.aws.roleToAssume },
    gcp: { workloadIdentityProvider: FIELDS.gcp.workloadIdentityProvider, previewServiceAccount: FIELDS.gcp.serviceAccount, upServiceAccount: FIELDS.gcp.serviceAccount },
    azure: { tenantId: FIELDS.azure.tenantId, subscriptionId: FIELDS.azure.subscriptionId, previewClientId: FIELDS.azure.clientId, upClientId: FIELDS.azure.clientId },
};

/** Checks each field of one cloud's settings against its rule: a string in shape, required unless `optional` says so. */
function checkFields(scope: string, given: unknown, fields: Readonly<Record<string, rules.Rule<string>>>, problems: Problems, optional: (key: string) => boolean = () => false): void {
    for (const [key, rule] of Object.entries(fields)) {
        const field = `${scope}.${key}`;
        const value = typeof given === "object" && given !== null ? (given as Record<string, unknown>)[key] : undefined;
        if (value === undefined && optional(key)) continue;
        const message = typeof value === "string" ? rule(field, value) : `'${field}' is required: ${show(value)} is not a string.`;
        if (message) problems.add(field, "invalid", message);
    }
}

/** The optional fields of {@link PREVIEW_FIELDS}. */
const OPTIONAL = new Set(["pulumi.previewTeam", "pulumi.upTeam"]);

/**
 * Checks the preview workflow's `oidc`: every cloud given has every required field in shape.
 * Records problems.
 */
export function checkPreviewOidc(oidc: unknown, problems: Problems): void {
    if (oidc === undefined) return;
    if (typeof oidc !== "object" || oidc === null || Object.keys(oidc).length === 0) {
        problems.add("oidc", "invalid", `'oidc' must name at least one of pulumi, aws, gcp, azure, got ${show(oidc)}.`);
        return;
    }
    for (const [cloud, given] of Object.entries(oidc as Record<string, unknown>)) {
        const fields = PREVIEW_FIELDS[cloud];
        if (!fields) continue; // an unknown name is reported by checkNames
        checkFields(`oidc.${cloud}`, given, fields, problems, (key) => OPTIONAL.has(`${cloud}.${key}`));
    }
}

/** The registry hosts each cloud's login serves. */
const HOSTS: Readonly<Record<keyof typeof FIELDS, RegExp>> = {
    aws: /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/,
    gcp: /^([a-z0-9-]+-docker\.pkg\.dev|([a-z]+\.)?gcr\.io)$/,
    azure: /^[a-z0-9]+\.azurecr\.io$/,
};

/**
 * How the publish job logs in: ghcr.io with GITHUB_TOKEN; `registryOidc`'s one cloud with OIDC;
 * else the stored username and password. Records problems; undefined when any.
 */
export function resolveRegistryLogin(oidc: RegistryOidc | undefined, host: string | undefined, problems: Problems): RegistryLogin | undefined {
    const ghcr = host === "ghcr.io";
    if (oidc === undefined) return { kind: ghcr ? "ghcr" : "password" };
    const clouds = typeof oidc === "object" && oidc !== null ? (Object.keys(FIELDS) as Array<keyof typeof FIELDS>).filter((k) => oidc[k] !== undefined) : [];
    if (clouds.length !== 1) {
        problems.add("github.registryOidc", "invalid", `'github.registryOidc' must name exactly one cloud, { aws }, { gcp } or { azure }, got ${show(oidc)}.`);
        return undefined;
    }
    const cloud = clouds[0];
    const before = problems.count;
    const given = oidc[cloud] as unknown as Record<string, unknown>;
    checkFields(`github.registryOidc.${cloud}`, given, FIELDS[cloud], problems);
    if (ghcr) problems.add("github.registryOidc", "conflict", "'github.registryOidc' is set but the repository is on ghcr.io, which the workflow logs in to with GITHUB_TOKEN: drop registryOidc.");
    else if (host !== undefined && !HOSTS[cloud].test(host)) {
        problems.add("github.registryOidc", "conflict", `'github.registryOidc.${cloud}' logs in to ${cloud === "aws" ? "ECR" : cloud === "gcp" ? "Artifact Registry" : "ACR"}, but the repository's registry is ${show(host)}: use the cloud that hosts the registry, or drop registryOidc to log in with the stored password.`);
    }
    if (problems.count > before) return undefined;
    return { kind: cloud, ...Object.fromEntries(Object.keys(FIELDS[cloud]).map((k) => [k, given[k]])) } as RegistryLogin;
}
