import { type AuthVariables, authenticate, type Caller } from "@clueline/kit";
import type { MiddlewareHandler } from "hono";

export type Authenticator = MiddlewareHandler<{ Variables: AuthVariables }>;

/**
 * Kit's `authenticate`, remembering tokens it verified until they expire. Callers (operator systems, the intake
 * front end) reuse one token for its hour, and a full verification (WebCrypto key import + HMAC, ~60 µs) was
 * the largest single cost of an accepted post. Only the exact `Authorization` value kit accepted is
 * remembered, with the `exp` kit required, so a hit is exactly as valid as a fresh verification.
 *
 * @example
 * const auth = createAuthenticator({ secret: config.AUTH_JWT_SECRET });
 * createRoute({ …, middleware: guard({ auth, scope: "complaint:write", maxBytes }) });
 */
export function createAuthenticator(options: { secret: string; maxEntries?: number; now?: () => number }): Authenticator {
  const verify = authenticate({ secret: options.secret });
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const verified = new Map<string, { caller: Caller; expiresAt: number }>();

  return async function authenticateCaller(c, next) {
    const header = c.req.header("authorization") ?? "";
    const hit = verified.get(header);
    if (hit && hit.expiresAt > now()) {
      c.set("caller", hit.caller);
      return next();
    }
    if (hit) verified.delete(header);
    await verify(c, async () => {
      const expiresAt = expiryOf(header);
      if (expiresAt !== undefined) {
        if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
        verified.set(header, { caller: c.get("caller"), expiresAt });
      }
      await next();
    });
  };
}

/** `exp` (ms) of a token kit has just verified; its payload is then known to be JSON with a numeric `exp`. */
function expiryOf(header: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(header.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
