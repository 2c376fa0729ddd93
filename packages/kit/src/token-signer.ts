import { generateKeyPairSync } from "node:crypto";
import { importJWK, type JWK, SignJWT } from "jose";

/**
 * Minting bearer tokens, for the identity provider's stand-ins only: `npm run token`, the demo, tests and benches.
 * No service imports this (test/architecture.test.ts): services hold public keys and can only verify.
 */

/** A key pair as JWKs; the public half goes into the JWKS services read, the private half stays with the signer. */
export interface SigningKey {
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * A fresh Ed25519 key pair (EdDSA: small keys, fast and deterministic signatures) named `kid`.
 *
 * @example
 * const { privateJwk, publicJwk } = createSigningKey({ kid: "dev-2026-12" });
 * writeFileSync("jwks.json", JSON.stringify({ keys: [publicJwk] }));
 */
export function createSigningKey(options: { kid: string }): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const named = { kid: options.kid, alg: "EdDSA", use: "sig" };
  return {
    privateJwk: { ...privateKey.export({ format: "jwk" }), ...named },
    publicJwk: { ...publicKey.export({ format: "jwk" }), ...named },
  };
}

export interface TokenClaims {
  subject: string;
  /** Written as the space-separated `scope` claim. */
  scopes: readonly string[];
  /** The services (SERVICE_AUDIENCES) the token is for. */
  audience: string | readonly string[];
  /** `exp - iat`; services refuse more than their AUTH_MAX_TOKEN_LIFETIME_SECONDS (default 3600). */
  ttlSeconds?: number;
}

/**
 * Signs tokens with a private JWK (its `kid` and `alg` go into the header) as `issuer`.
 *
 * @example
 * const signer = createTokenSigner({ privateJwk, issuer: "clueline-dev" });
 * const token = await signer.issue({ subject: "op-7", scopes: ["complaint:write"], audience: "clueline-hotline" });
 */
export function createTokenSigner(options: { privateJwk: JWK; issuer: string }) {
  const { kid, alg = "EdDSA" } = options.privateJwk;
  if (!kid) throw new Error("the signing key needs a kid: services choose the verifying key by it");
  let key: ReturnType<typeof importJWK> | undefined;
  return {
    kid,
    async issue(claims: TokenClaims): Promise<string> {
      key ??= importJWK(options.privateJwk, alg);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ scope: claims.scopes.join(" ") })
        .setProtectedHeader({ alg, kid, typ: "JWT" })
        .setIssuer(options.issuer)
        .setSubject(claims.subject)
        .setAudience(typeof claims.audience === "string" ? claims.audience : [...claims.audience])
        .setIssuedAt(now)
        .setExpirationTime(now + (claims.ttlSeconds ?? 3_600))
        .sign(await key);
    },
  };
}
