import * as assert from "assert";
import { netrcPasswords, passwordFor } from "../../src/github/netrc";

describe("netrc passwords (for the Dependabot secrets of private module hosts)", () => {
    it("reads machine entries on one line or many, the default entry, and skips macro bodies", () => {
        const text = [
            "machine github.com login x-access-token password ghp_one",
            "machine git.example.com",
            "  login bot",
            "  password glpat_two",
            "macdef init",
            "password not-a-password",
            "",
            "default login anon password fallback",
        ].join("\n");
        assert.deepStrictEqual([...netrcPasswords(text)], [["github.com", "ghp_one"], ["git.example.com", "glpat_two"], ["", "fallback"]]);
        assert.strictEqual(passwordFor(text, "git.example.com"), "glpat_two");
        assert.strictEqual(passwordFor(text, "other.example.com"), "fallback", "the default entry serves any other host");
        assert.strictEqual(passwordFor("machine a login b password c", "z"), "", "no entry, no default: empty");
    });

    it("the first entry for a host wins, as curl and Go read it; a login named password is a login", () => {
        assert.strictEqual(passwordFor("machine h login password password first\nmachine h password second", "h"), "first");
    });
});
