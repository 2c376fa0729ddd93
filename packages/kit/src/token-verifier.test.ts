import { createHmac, createPublicKey, type JsonWebKey } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importJWK, type JWTPayload, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createTestTokens } from "./test-tokens.js";
import { createTokenVerifier } from "./token-verifier.js";

const tokens = createTestTokens({ kids: ["k1", "k2"] });
const verifier = createTokenVerifier(tokens.verification);
const now = () => Math.floor(Date.now() / 1000);
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const good = () => ({ iss: tokens.issuer, aud: tokens.audience, sub: "op-1", scope: "commission", iat: now(), exp: now() + 600 });

/** A token signed with the test key k1 whatever its claims and header say. */
async function signed(claims: JWTPayload, header: { kid?: string } = { kid: "k1" }): Promise<string> {
  const key = await importJWK(tokens.keys[0]?.privateJwk ?? {}, "EdDSA");
  return new SignJWT(claims).setProtectedHeader({ alg: "EdDSA", ...header }).sign(key);
}

describe("createTokenVerifier", () => {
  it("accepts a token of the issuer for this audience, with its caller and expiry", async () => {
    const verified = await verifier.verify(await tokens.issue({ subject: "op-1", scopes: ["commission", "pii:read"] }));
    expect(verified?.caller.subject).toBe("op-1");
    expect([...(verified?.caller.scopes ?? [])]).toEqual(["commission", "pii:read"]);
    expect(verified?.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it("refuses the wrong issuer, the wrong audience, an expired or over-long token, missing claims", async () => {
    const { iat: _iat, ...noIat } = good();
    const { exp: _exp, ...noExp } = good();
    const { sub: _sub, ...noSub } = good();
    const refused = [
      await signed({ ...good(), iss: "someone-else" }),
      await signed({ ...good(), aud: ["clueline-router"] }),
      await signed({ ...good(), iat: now() - 700, exp: now() - 100 }),
      await signed({ ...good(), exp: now() + 3_601 }),
      await signed({ ...good(), iat: now() + 3_000, exp: now() + 3_600 }),
      await signed(noIat),
      await signed(noExp),
      await signed(noSub),
    ];
    for (const token of refused) expect(await verifier.verify(token)).toBeUndefined();
    expect(await verifier.verify(await signed(good()))).toBeDefined();
  });

  it("refuses an unknown or missing kid, a tampered signature, alg none, and HS256 keyed with the public key", async () => {
    const token = await signed(good());
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const publicPem = createPublicKey({ key: tokens.keys[0]?.publicJwk as JsonWebKey, format: "jwk" }).export({
      type: "spki",
      format: "pem",
    });
    const hmacHeader = part({ alg: "HS256", typ: "JWT", kid: "k1" });
    const hmacWith = (secret: string | Buffer) =>
      `${hmacHeader}.${payload}.${createHmac("sha256", secret).update(`${hmacHeader}.${payload}`).digest("base64url")}`;
    const refused = [
      await signed(good(), { kid: "k9" }),
      await signed(good(), {}),
      `${header}.${payload}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`,
      `${header}.${part({ ...good(), sub: "op-2" })}.${signature}`,
      `${part({ alg: "none", typ: "JWT", kid: "k1" })}.${payload}.`,
      hmacWith(publicPem),
      hmacWith(JSON.stringify(tokens.keys[0]?.publicJwk)),
      hmacWith(Buffer.from(String(tokens.keys[0]?.publicJwk.x), "base64url")),
      "not.a.jwt",
    ];
    for (const bad of refused) expect(await verifier.verify(bad)).toBeUndefined();
  });

  it("rotates by kid: tokens of every listed key pass, a removed key's tokens stop passing", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "jwks-")), "jwks.json");
    writeFileSync(path, JSON.stringify(tokens.jwks));
    let clock = Date.now();
    const fromFile = createTokenVerifier({ ...tokens.verification, jwks: path, now: () => clock });
    const [old, current] = [await tokens.issue({ scopes: [], kid: "k1" }), await tokens.issue({ scopes: [], kid: "k2" })];
    expect(await fromFile.verify(old)).toBeDefined();
    expect(await fromFile.verify(current)).toBeDefined();
    writeFileSync(path, JSON.stringify({ keys: [tokens.keys[1]?.publicJwk] }));
    clock += 5_000;
    expect(await fromFile.verify(old)).toBeUndefined();
    expect(await fromFile.verify(current)).toBeDefined();
  });

  it("reads the keys from an http(s) URL", async () => {
    const server = createServer((_request, response) => response.end(JSON.stringify(tokens.jwks)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      const remote = createTokenVerifier({ ...tokens.verification, jwks: url });
      expect(await remote.verify(await tokens.issue({ scopes: [], kid: "k2" }))).toBeDefined();
      expect(await remote.verify(await signed(good(), { kid: "k9" }))).toBeUndefined();
    } finally {
      server.close();
    }
  });

  it("will not start on a key set that could mint tokens or has no kid", () => {
    const jwks = (key: object) => ({ ...tokens.verification, jwks: { keys: [key] } });
    expect(() => createTokenVerifier(jwks(tokens.keys[0]?.privateJwk as object))).toThrow(/private or symmetric/);
    expect(() => createTokenVerifier(jwks({ kty: "oct", k: "c2VjcmV0", kid: "h" }))).toThrow(/private or symmetric/);
    expect(() => createTokenVerifier(jwks({ ...tokens.keys[0]?.publicJwk, kid: undefined }))).toThrow(/no kid/);
  });
});
