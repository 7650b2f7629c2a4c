/**
 * The passwords of a netrc's `machine` entries, by host, and the `default` entry's under "". The
 * format is whitespace-separated tokens (`machine <host> login <user> password <token>`, `default`,
 * and `macdef <name>` whose body runs to the next blank line), as curl and Go's cmd/go read it.
 * Read inside an apply on the secret text: nothing of it is logged or thrown.
 * @see https://www.gnu.org/software/inetutils/manual/html_node/The-_002enetrc-file.html
 */
export function netrcPasswords(text: string): Map<string, string> {
    const out = new Map<string, string>();
    // A macro body ends at the first empty line: drop it before reading tokens.
    const tokens = text.replace(/(^|\s)macdef\s+\S+[^\n]*\n[\s\S]*?(\n\s*\n|$)/g, " ").split(/\s+/).filter(Boolean);
    let host: string | undefined;
    for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i];
        if (t === "machine") host = tokens[++i];
        else if (t === "default") host = "";
        else if (t === "password" && host !== undefined && !out.has(host)) out.set(host, tokens[++i] ?? "");
        else if (t === "login" || t === "account" || t === "password") i++;
    }
    return out;
}

/** The password for a host: its machine entry's, else the default entry's, else empty. */
export function passwordFor(text: string, host: string): string {
    const passwords = netrcPasswords(text);
    return passwords.get(host) ?? passwords.get("") ?? "";
}
