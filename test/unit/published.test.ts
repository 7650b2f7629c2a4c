import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { publishedDigest } from "../../src/image/published";
import { deployNote } from "../../src/image/deploy-note";

const DIGEST = "sha256:" + "ab".repeat(32);

/**
 * A stand-in registry following the distribution spec's token authentication: a manifest HEAD
 * without a token is 401 with a Bearer challenge; the realm gives a token for basic credentials
 * (bot:s3cret), or an anonymous one that reads nothing; with `basicOnly`, a Basic challenge.
 * @see https://distribution.github.io/distribution/spec/auth/token/
 */
async function registry(basicOnly = false): Promise<{ host: string; seen: string[]; close: () => Promise<void> }> {
    const seen: string[] = [];
    const good = "Basic " + Buffer.from("bot:s3cret").toString("base64");
    const server = http.createServer((req, res) => {
        seen.push(`${req.method} ${req.url}`);
        const url = new URL(req.url ?? "/", "http://x");
        if (url.pathname === "/token") {
            assert.strictEqual(url.searchParams.get("service"), "stand-in");
            assert.strictEqual(url.searchParams.get("scope"), "repository:acme/api:pull");
            res.setHeader("Content-Type", "application/json");
            res.end(JSON.stringify({ token: req.headers.authorization === good ? "granted" : "anonymous" }));
            return;
        }
        const authorized = basicOnly ? req.headers.authorization === good : req.headers.authorization === "Bearer granted";
        if (!authorized) {
            const { port } = server.address() as AddressInfo;
            res.setHeader("WWW-Authenticate", basicOnly ? 'Basic realm="stand-in"' : `Bearer realm="http://127.0.0.1:${port}/token",service="stand-in",scope="repository:acme/api:pull"`);
            res.statusCode = 401;
            res.end();
            return;
        }
        assert.match(String(req.headers.accept), /application\/vnd\.oci\.image\.index\.v1\+json/);
        if (req.method === "HEAD" && url.pathname === "/v2/acme/api/manifests/content-0123456789abcdef") {
            res.setHeader("Docker-Content-Digest", DIGEST);
            res.end();
        } else {
            res.statusCode = 404;
            res.end();
        }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const { port } = server.address() as AddressInfo;
    return { host: `127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

describe("whether CI published a content tag (a manifest HEAD of the distribution API)", () => {
    it("with credentials, through the Bearer token flow: the digest", async () => {
        const r = await registry();
        try {
            assert.deepStrictEqual(await publishedDigest(`${r.host}/acme/api`, "content-0123456789abcdef", { username: "bot", password: "s3cret" }), { digest: DIGEST });
            assert.ok(r.seen.some((s) => s.startsWith("GET /token?")), "the token endpoint was asked");
        } finally {
            await r.close();
        }
    });

    it("a tag the registry lacks: missing; no credentials for a private repository: an error naming the status", async () => {
        const r = await registry();
        try {
            assert.deepStrictEqual(await publishedDigest(`${r.host}/acme/api`, "content-ffffffffffffffff", { username: "bot", password: "s3cret" }), { missing: true });
            assert.deepStrictEqual(await publishedDigest(`${r.host}/acme/api`, "content-0123456789abcdef"), { error: `${r.host} answered 401` });
        } finally {
            await r.close();
        }
    });

    it("a Basic challenge: the credentials as basic authorization", async () => {
        const r = await registry(true);
        try {
            assert.deepStrictEqual(await publishedDigest(`${r.host}/acme/api`, "content-0123456789abcdef", { username: "bot", password: "s3cret" }), { digest: DIGEST });
        } finally {
            await r.close();
        }
    });

    it("a registry that cannot be reached: an error saying so, never a throw", async () => {
        const r = await registry();
        await r.close();
        const got = await publishedDigest(`${r.host}/acme/api`, "content-0123456789abcdef");
        assert.ok("error" in got && got.error.startsWith(`${r.host} could not be reached`), JSON.stringify(got));
    });

    it("the preview's sentence for each answer, and for the Docker engine (which rebuilds)", () => {
        const image = "ghcr.io/acme/api:content-0123456789abcdef";
        assert.match(deployNote(image, { digest: DIGEST }), new RegExp(`CI published this content as ${DIGEST}: up builds it from CI's registry cache \\(nothing compiled, no module fetched\\) and deploys that digest`));
        assert.match(deployNote(image, { missing: true }), /CI has not published this content .*: up builds it\.$/);
        assert.match(deployNote(image, { error: "x answered 401" }), /could not ask the registry .*\(x answered 401\): up builds it/);
        assert.match(deployNote(image, "docker engine"), /Docker engine, which reads no registry cache and is not reproducible across engines: the digest it pushes is its own/);
    });
});
