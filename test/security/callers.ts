import { createHmac, createPublicKey, type JsonWebKey } from "node:crypto";
import { type Scope, SERVICE_AUDIENCES } from "@clueline/kit";
import { createTestTokens, type TestTokens } from "@clueline/kit/test-tokens";

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
  // 包抓领导 of town-chengguan and of town-xiliu in the shipped directory: they read escalated supervision orders only.
  "leader:leader-executive-deputy-mayor",
  "leader:leader-organization-head",
  "commission pii:read",
  "unit:town-chengguan pii:read",
  "unit:town-xiliu pii:read",
  "complaint:write pii:read",
] as const;
export type TokenCaller = (typeof tokenCallers)[number];

/**
 * Callers that must never get past authentication (DESIGN §8). The bad tokens all claim the strongest scopes, so
 * a 401 is the token's doing and not a missing scope's: signed by a key the services do not trust, unsigned,
 * expired, from another issuer, for an audience that is no service, living longer than the cap, and HS256 keyed
 * with the issuer's public key (the algorithm-confusion forgery).
 */
export const unauthenticatedCallers = [
  "no token",
  "forged",
  "unsigned",
  "expired",
  "wrong issuer",
  "wrong audience",
  "over-long lifetime",
  "hmac with public key",
] as const;
export type UnauthenticatedCaller = (typeof unauthenticatedCallers)[number];

export type CallerName = TokenCaller | UnauthenticatedCaller;
export const callerNames: readonly CallerName[] = [...unauthenticatedCallers, ...tokenCallers];

export const isTokenCaller = (caller: string): caller is TokenCaller => (tokenCallers as readonly string[]).includes(caller);

const strongest: Scope[] = ["commission", "pii:read", "complaint:write", "media:write", "downstream:read"];

/** The token's subject, which the audit log records as the actor. */
export const subjectOf = (caller: TokenCaller) => `sweep-${caller.replaceAll(" ", "+")}`;

/**
 * The `Authorization` header of every caller, minted once with the issuer the system trusts.
 *
 * @example
 * const headers = await mintAuthorizations(system.tokens);
 * fetch(url, { headers: headers.commission ? { authorization: headers.commission } : {} });
 */
export async function mintAuthorizations(tokens: TestTokens): Promise<Record<CallerName, string | undefined>> {
  const minted = await Promise.all(
    tokenCallers.map(async (caller) => {
      const token = await tokens.issue({ subject: subjectOf(caller), scopes: caller.split(" ") as Scope[] });
      return [caller, `Bearer ${token}`] as const;
    }),
  );
  const strongestAs = (subject: string) => ({ subject, scopes: strongest });
  const otherIssuer = createTestTokens({ issuer: `${tokens.issuer}-impostor` });
  const otherKey = createTestTokens({ issuer: tokens.issuer, kids: tokens.keys.map((key) => String(key.publicJwk.kid)) });
  return {
    ...(Object.fromEntries(minted) as Record<TokenCaller, string>),
    "no token": undefined,
    forged: `Bearer ${await otherKey.issue(strongestAs("sweep-forger"))}`,
    unsigned: `Bearer ${unsignedToken()}`,
    expired: `Bearer ${await tokens.issue({ ...strongestAs("sweep-expired"), ttlSeconds: -120 })}`,
    "wrong issuer": `Bearer ${await otherIssuer.issue(strongestAs("sweep-impostor"))}`,
    "wrong audience": `Bearer ${await tokens.issue({ ...strongestAs("sweep-elsewhere"), audience: ["clueline-elsewhere"] })}`,
    "over-long lifetime": `Bearer ${await tokens.issue({ ...strongestAs("sweep-forever"), ttlSeconds: 30 * 86_400 })}`,
    "hmac with public key": `Bearer ${hmacWithPublicKey(tokens)}`,
  };
}

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const claims = (subject: string) => {
  const now = Math.floor(Date.now() / 1000);
  return { sub: subject, scope: strongest.join(" "), iat: now, exp: now + 600 };
};

/** A JWT with `alg: none` and no signature, the classic forgery a lax verifier accepts. */
function unsignedToken(): string {
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims("sweep-unsigned"))}.`;
}

/**
 * A token with every right claim, HS256-signed with the issuer's public key (PEM) as the HMAC secret: a verifier
 * that lets the token pick its algorithm would check it with the very key it holds, and accept it.
 */
function hmacWithPublicKey(tokens: TestTokens): string {
  const publicJwk = tokens.keys[0]?.publicJwk as JsonWebKey & { kid: string };
  const pem = createPublicKey({ key: publicJwk, format: "jwk" }).export({ type: "spki", format: "pem" });
  const audience = [tokens.audience, ...Object.values(SERVICE_AUDIENCES)];
  const unsigned = `${part({ alg: "HS256", typ: "JWT", kid: publicJwk.kid })}.${part({ ...claims("sweep-confused"), iss: tokens.issuer, aud: audience })}`;
  return `${unsigned}.${createHmac("sha256", pem).update(unsigned).digest("base64url")}`;
}
