import { type AuthVariables, authenticate, type TokenVerifier, type VerifiedToken } from "@clueline/kit";
import type { MiddlewareHandler } from "hono";

export type Authenticator = MiddlewareHandler<{ Variables: AuthVariables }>;

/**
 * A verified token is served from memory for at most this long, even when it lives longer: a key removed from
 * the JWKS (rotation, or a leaked key) stops admitting its tokens here within a minute as well.
 */
const RECHECK_MS = 60_000;

/**
 * Kit's `authenticate`, remembering tokens it verified. Callers (operator systems, the intake front end) reuse
 * one token for its hour, and a full verification (EdDSA signature check by jose, ~380 µs measured on the
 * shared 2-core machine) would be the largest single cost of an accepted post. Only a token the verifier
 * accepted is remembered, and only until its `exp` (and {@link RECHECK_MS}), so a hit is as valid as a fresh check.
 *
 * @example
 * const auth = createAuthenticator({ verifier: deps.verifier });
 * createRoute({ …, middleware: guard({ auth, scope: "complaint:write", maxBytes }) });
 */
export function createAuthenticator(options: {
  verifier: TokenVerifier;
  maxEntries?: number;
  now?: () => number;
}): Authenticator {
  return authenticate({ verifier: createRememberingVerifier(options) });
}

function createRememberingVerifier(options: { verifier: TokenVerifier; maxEntries?: number; now?: () => number }): TokenVerifier {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const verified = new Map<string, VerifiedToken & { recheckAt: number }>();

  return {
    async verify(token) {
      const hit = verified.get(token);
      if (hit && Math.min(hit.expiresAt, hit.recheckAt) > now()) return hit;
      if (hit) verified.delete(token);
      const fresh = await options.verifier.verify(token);
      if (fresh) {
        if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
        verified.set(token, { ...fresh, recheckAt: now() + RECHECK_MS });
      }
      return fresh;
    },
  };
}
