import { randomBytes } from "node:crypto";
import { issueToken, type Scope } from "@clueline/kit";

/**
 * Callers with a valid token, named by the `scope` claim they carry (space-separated, as in the JWT). Single
 * scopes first, then the pairs a real deployment hands out: `pii:read` only ever means something beside a scope
 * that gives sight of a clue.
 */
export const tokenCallers = [
  "complaint:write",
  "media:write",
  "commission",
  "pii:read",
  "downstream:read",
  "unit:town-chengguan",
  "unit:town-xiliu",
  "commission pii:read",
  "unit:town-chengguan pii:read",
  "unit:town-xiliu pii:read",
  "complaint:write pii:read",
] as const;
export type TokenCaller = (typeof tokenCallers)[number];

/**
 * Callers that must never get past authentication. The bad tokens all claim the strongest scopes, so a 401 is
 * the token's doing and not a missing scope's.
 */
export const unauthenticatedCallers = ["no token", "forged", "unsigned", "expired"] as const;
export type UnauthenticatedCaller = (typeof unauthenticatedCallers)[number];

export type CallerName = TokenCaller | UnauthenticatedCaller;
export const callerNames: readonly CallerName[] = [...unauthenticatedCallers, ...tokenCallers];

export const isTokenCaller = (caller: string): caller is TokenCaller => (tokenCallers as readonly string[]).includes(caller);

const strongest: Scope[] = ["commission", "pii:read", "complaint:write", "media:write", "downstream:read"];

/** The token's subject, which the audit log records as the actor. */
export const subjectOf = (caller: TokenCaller) => `sweep-${caller.replaceAll(" ", "+")}`;

/**
 * The `Authorization` header of every caller, minted once against the system's secret.
 *
 * @example
 * const headers = await mintAuthorizations(system.env.AUTH_JWT_SECRET);
 * fetch(url, { headers: headers.commission ? { authorization: headers.commission } : {} });
 */
export async function mintAuthorizations(secret: string): Promise<Record<CallerName, string | undefined>> {
  const minted = await Promise.all(
    tokenCallers.map(async (caller) => {
      const token = await issueToken({ secret, subject: subjectOf(caller), scopes: caller.split(" ") as Scope[] });
      return [caller, `Bearer ${token}`] as const;
    }),
  );
  const forged = await issueToken({ secret: randomBytes(32).toString("hex"), subject: "sweep-forger", scopes: strongest });
  const expired = await issueToken({ secret, subject: "sweep-expired", scopes: strongest, ttlSeconds: -120 });
  return {
    ...(Object.fromEntries(minted) as Record<TokenCaller, string>),
    "no token": undefined,
    forged: `Bearer ${forged}`,
    unsigned: `Bearer ${unsignedToken()}`,
    expired: `Bearer ${expired}`,
  };
}

/** A JWT with `alg: none` and no signature, the classic forgery a lax verifier accepts. */
function unsignedToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part({ sub: "sweep-unsigned", scope: strongest.join(" "), iat: now, exp: now + 3600 })}.`;
}
