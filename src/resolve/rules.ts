import { show } from "../errors";

/**
 * Validation rules shared by `resolve`, the component's deployment values and the CLI. Each
 * returns undefined when the value is fine, or the message (naming field, value and fix).
 */
export type Rule<T> = (field: string, value: T) => string | undefined;

const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;

/** A single-line value with no control characters (they could end a Dockerfile or YAML line). */
export const oneLine: Rule<string> = (field, value) => {
    if (typeof value !== "string") return `'${field}' must be a string, got ${show(value)}.`;
    return CONTROL.test(value)
        ? `'${field}' must be one line without control characters, got ${show(value)}: remove the line breaks and tabs.`
        : undefined;
};

/** `scheme://user[:password]@`: a URL's user information. */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/@\s?#]+@/i;
/** Query parameters (and buildx cache spec keys) that carry a key, a signature or a token: Azure's storage_key and SAS, S3's presigned URLs and cache keys, tokens. */
const SECRET_PARAM = /((?:^|[?&;,])(?:storage_key|account_key|access_key|secret_key|secret_access_key|session_token|secret|client_secret|password|passwd|token|sig|signature|x-amz-credential|x-amz-signature|x-amz-security-token|awsaccesskeyid)=)[^&;,#\s]*/gi;

/**
 * `user:password@host/…` in an image reference (no scheme), at the start or after `=` or `,` (a
 * cache spec's `ref=`): an `@` before the first `/`, which a digest (`name:tag@sha256:…`, after the
 * path) never is.
 */
const REF_USERINFO = /(^|[=,])[^/@\s=,:]+:[^/@\s=,]+@(?=[^/@\s,]*\/)/g;

/** A value with every credential in it replaced by `***`: what messages show. */
export function redact(value: string): string {
    return value.replace(new RegExp(USERINFO.source, "gi"), "$1***@").replace(REF_USERINFO, "$1***@").replace(SECRET_PARAM, "$1***");
}

/** A value as a message shows it (JSON-quoted), with its credentials redacted when it is a string. */
export function showRedacted(value: unknown): string {
    return show(typeof value === "string" ? redact(value) : value);
}

/**
 * A URL-shaped value carries no credentials: they would end up in plaintext where the value goes
 * (the image history, Pulumi state, a workflow committed to a repository). `where` says where, and
 * `fix` how to give them instead; the message shows the value redacted.
 */
export function noCredentials(where: string, fix: string): Rule<unknown> {
    return (field, value) => (typeof value === "string" && redact(value) !== value ? `'${field}' carries credentials (${showRedacted(value)}): ${where}. ${fix}` : undefined);
}

/**
 * The text of a netrc file (the component takes its content, a secret); a path, or anything else
 * with no \`machine\` or \`default\` entry, is refused. The message never shows the value unless it
 * looks like a path.
 */
export const netrcText: Rule<string> = (field, value) => {
    if (typeof value !== "string" || /(^|\s)(machine|default)(\s|$)/.test(value)) return undefined;
    const path = /^[~./]|^[A-Za-z]:\\/.test(value.trim()) && !/\s/.test(value.trim());
    return `'${field}' must be the text of a netrc file ("machine <host> login <user> password <token>"), got ${path ? `the path ${show(value)}` : "text with no machine or default entry"}: the component takes the netrc's content, e.g. config.requireSecret("netrc") or fs.readFileSync(${path ? show(value) : '"/path/to/.netrc"'}, "utf8"); the CLI's --netrc takes a file.`;
};

/**
 * A list of platforms (the component's form): an array with at least one entry. A comma-separated
 * string, the CLI's form, is refused with the list it meant.
 */
export const platformList: Rule<unknown> = (field, value) => {
    if (typeof value === "string") return `'${field}' must be a list of platforms, got the string ${show(value)}: write ${show(value.split(",").map((p) => p.trim()).filter(Boolean))}.`;
    if (!Array.isArray(value) || value.length === 0) return `'${field}' must list at least one platform, e.g. ["linux/amd64", "linux/arm64"], got ${show(value)}.`;
    return undefined;
};

/** A value matching a character class, with the class spelled out in the message. */
export function matches(pattern: RegExp, what: string): Rule<string> {
    return (field, value) => {
        if (typeof value !== "string") return `'${field}' must be a string, got ${show(value)}.`;
        // Line breaks first: a pattern's \s and $ do not catch U+0085 or a trailing newline.
        return oneLine(field, value) ?? (pattern.test(value) ? undefined : `'${field}' must be ${what}, got ${show(value)}.`);
    };
}

/** A rule that also refuses values longer than `max` characters. */
export function capped(rule: Rule<string>, max: number): Rule<string> {
    return (field, value) =>
        rule(field, value) ?? (value.length > max ? `'${field}' is ${value.length} characters long, more than ${max}: shorten it (a Dockerfile line longer than 64 KiB fails to parse).` : undefined);
}

export const goVersion = matches(/^1\.\d+(\.\d+)?((rc|beta)\d+)?$/, 'a Go version like "1.22" or "1.22.5" (without the "go" prefix)');
export const digest = matches(/^sha256:[a-f0-9]{64}$/, 'an image digest "sha256:" followed by 64 lowercase hex digits');
export const goIdentifierPath = matches(
    /^[A-Za-z0-9_.~/-]+\.[A-Za-z_][A-Za-z0-9_]*$/,
    'a Go variable as "importpath.name", e.g. "main.version" or "example.com/app/internal/build.Version"',
);
export const ldflagWord = matches(/^[A-Za-z0-9_./=:,+@%-]+$/, "one -ldflags word of letters, digits and _ . / = : , + @ % - (no spaces, quotes or $); split words into separate array items");
export const buildTag = matches(/^[A-Za-z0-9_.]+$/, "a Go build tag of letters, digits, _ and .");
export const binaryName = matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a file name of letters, digits, . _ - (at most 64, not starting with . or -)");
export const mainPackage = matches(/^\.(\/(?!\.\.?(\/|$))[A-Za-z0-9_.-]+)*$/, 'a package path inside the module like "." or "./cmd/api" (no "..")');
export const envName = matches(/^[A-Za-z_][A-Za-z0-9_]*$/, "a variable name of letters, digits and _, not starting with a digit");
export const labelKey = matches(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'a label key like "com.example.team" (letters, digits, . _ / -)');
export const version = matches(/^[A-Za-z0-9._+-]{1,128}$/, 'a version of letters, digits and . _ + - (at most 128), e.g. "1.4.2" or "1.4.2-rc.1"');
export const revision = matches(/^[A-Za-z0-9._+/-]{1,128}$/, "a revision of letters, digits and . _ + / - (at most 128), e.g. a commit SHA");
export const sourceUrl = matches(/^https?:\/\/[^\s"'`$\\]+$/, 'an http(s) URL without spaces or quotes, e.g. "https://github.com/acme/api"');
export const ignorePattern = matches(/^!?[A-Za-z0-9_.*?/@%,=~-]+$/, 'a .dockerignore pattern of letters, digits and _ . - / * ? @ % , = ~, optionally starting with "!" (no spaces or brackets), e.g. "testdata/large" or "**/*.bak"');
export const branch = matches(/^(?!.*\.\.)(?!\/)(?!.*\/$)[A-Za-z0-9._/-]{1,100}$/, 'a branch name like "main" or "release/v2"');
export const runnerLabel = matches(/^[A-Za-z0-9._-]{1,64}$/, 'a runner label like "ubuntu-24.04"');
/** A relative path inside a repository, e.g. `services/api`: no `..`, no leading or trailing `/`. */
export function repositoryPath(example: string): Rule<string> {
    return matches(/^(\.|(?!\.\.?(\/|$))[A-Za-z0-9_.-]+(\/(?!\.\.?(\/|$))[A-Za-z0-9_.-]+)*)$/, `a path inside the repository like "." or ${example} (no "..", no leading or trailing "/")`);
}
export const tagSuffix = matches(/^[A-Za-z0-9._-]{0,40}$/, 'a tag suffix like "-alpine" or "-bookworm" (letters, digits, . _ -)');

/** The platforms the generated build stage can cross-compile for with GOOS/GOARCH alone. */
export const PLATFORMS = ["linux/amd64", "linux/arm64", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64"] as const;

export const platform: Rule<string> = (field, value) =>
    (PLATFORMS as readonly string[]).includes(value)
        ? undefined
        : `'${field}' must be one of ${PLATFORMS.join(", ")}, got ${show(value)}.`;

export const port: Rule<number> = (field, value) =>
    Number.isInteger(value) && value >= 1 && value <= 65535
        ? undefined
        : `'${field}' must be a whole number from 1 to 65535 (or 0 for no EXPOSE), got ${show(value)}.`;

export const nonRootUser: Rule<number> = (field, value) => {
    if (value === 0) return `'${field}' must not be 0 (root): use a numeric non-root id such as 65532.`;
    return Number.isInteger(value) && value > 0 && value < 2 ** 31
        ? undefined
        : `'${field}' must be a numeric user id from 1 to 2147483647, got ${show(value)}: names cannot be resolved in a scratch image.`;
};
