import { z } from "zod";
import type { TokenVerification } from "./token-verifier.js";

/** The `aud` each service verifies: a token names the services it is meant for (DESIGN §8). */
export const SERVICE_AUDIENCES = {
  hotline: "clueline-hotline",
  intake: "clueline-intake",
  media: "clueline-media",
  closure: "clueline-closure",
  router: "clueline-router",
} as const;

/**
 * The variables with which a service verifies callers' tokens; every service spreads this into its schema
 * with its own audience.
 *
 * @example
 * const ClosureEnv = z.object({ ...commonEnv, ...authEnv(SERVICE_AUDIENCES.closure), … });
 */
export function authEnv(audience: string) {
  return {
    /**
     * Public keys that verify bearer tokens: a JWKS file path (re-read when it changes) or an http(s) URL serving
     * one. Keys are chosen by `kid`; rotate by adding the new key, switching the issuer, then removing the old.
     */
    AUTH_JWKS: z
      .string()
      .refine((value) => !value.includes("://") || /^https?:\/\/[^/]/i.test(value), "expected a file path or an http(s) URL"),
    /** The `iss` tokens must carry: the identity provider that signs them (`npm start` uses clueline-dev). */
    AUTH_ISSUER: z.string().min(1),
    /** The `aud` a token must include to be accepted here; defaults to this service's name. */
    AUTH_AUDIENCE: z.string().min(1).default(audience),
    /** Tokens living longer than this (`exp - iat`) are refused, so a leaked token is good for an hour at most. */
    AUTH_MAX_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3_600),
  };
}

/** The token checks a parsed configuration describes. */
export function tokenVerificationOf(config: {
  AUTH_JWKS: string;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: number;
}): TokenVerification {
  return {
    jwks: config.AUTH_JWKS,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    maxLifetimeSeconds: config.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
  };
}
