import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { Logger } from "pino";
import type { Caller } from "./auth.js";
import { createFileKeySet, publicKeySetOf } from "./jwks-file.js";

/**
 * Signature algorithms a token may use: public-key ones only. With no HS* in the list a verifier never treats a
 * public key as an HMAC secret (the algorithm-confusion forgery), and `none` is never accepted.
 */
export const ASYMMETRIC_ALGORITHMS = [
  "EdDSA",
  "Ed25519",
  "ES256",
  "ES384",
  "ES512",
  "PS256",
  "PS384",
  "PS512",
  "RS256",
  "RS384",
  "RS512",
];

/** Issuer and service clocks may disagree by this much; more would stretch the lifetime cap noticeably. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** A token that passed every check: who is calling, and until when (ms since the epoch) the token is good. */
export interface VerifiedToken {
  caller: Caller;
  expiresAt: number;
}

export interface TokenVerifier {
  /** The verified caller, or undefined for any token that fails a check (the reason is not told). */
  verify(token: string): Promise<VerifiedToken | undefined>;
}

export interface TokenVerification {
  /** A JWKS file path, an http(s) URL serving one, or (tests) the key set itself. */
  jwks: string | JSONWebKeySet;
  /** `iss` must equal this. */
  issuer: string;
  /** `aud` must contain this: the verifying service's own name. */
  audience: string;
  /** Tokens whose `exp - iat` exceeds this are refused, however they were signed. */
  maxLifetimeSeconds: number;
  /** Told when a changed JWKS file cannot be read and the previous keys stay in force. */
  logger?: Logger;
  /** When a JWKS file is next looked at for changes (tests move it on). */
  now?: () => number;
}

/**
 * Verifies bearer JWTs against public keys (DESIGN §8): the key is chosen by the header's `kid`, and `iss`,
 * `aud`, `sub`, `iat` and `exp` are all required. A service holding only this can check tokens but never mint one.
 *
 * @example
 * const verifier = createTokenVerifier({ jwks: "/etc/clueline/jwks.json", issuer: "clueline-sso",
 *   audience: "clueline-closure", maxLifetimeSeconds: 3600 });
 */
export function createTokenVerifier(options: TokenVerification): TokenVerifier {
  const keys = keySetOf(options);
  const { issuer, audience, maxLifetimeSeconds } = options;
  return {
    async verify(token) {
      try {
        const { payload, protectedHeader } = await jwtVerify(token, keys, {
          algorithms: ASYMMETRIC_ALGORITHMS,
          issuer,
          audience,
          requiredClaims: ["sub", "iat", "exp"],
          // Also refuses an `iat` in the future, which would otherwise move a capped lifetime later at will.
          maxTokenAge: maxLifetimeSeconds,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        const { sub, iat, exp, scope } = payload;
        if (typeof protectedHeader.kid !== "string" || typeof sub !== "string") return undefined;
        if (typeof iat !== "number" || typeof exp !== "number" || exp - iat > maxLifetimeSeconds) return undefined;
        const scopes = new Set(typeof scope === "string" ? scope.split(" ").filter(Boolean) : []);
        return { caller: { subject: sub, scopes }, expiresAt: exp * 1000 };
      } catch {
        return undefined;
      }
    },
  };
}

function keySetOf(options: TokenVerification): JWTVerifyGetKey {
  const { jwks } = options;
  if (typeof jwks !== "string") return createLocalJWKSet(publicKeySetOf(jwks));
  // Re-fetched when a token names a kid the cached set lacks (at most every 30 s) and every 10 minutes, so
  // added keys work at once and removed keys stop working within 10 minutes.
  if (/^https?:\/\//i.test(jwks)) return createRemoteJWKSet(new URL(jwks));
  return createFileKeySet({ path: jwks, logger: options.logger, now: options.now });
}
