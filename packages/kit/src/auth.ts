import type { MiddlewareHandler } from "hono";
import { HttpProblem } from "./problem.js";
import type { TokenVerifier } from "./token-verifier.js";

/** Scopes of DESIGN §8. `unit:<id>` is written with the unit's id, `leader:<id>` with a directory leader's (包抓领导). */
export type Scope =
  | "complaint:write"
  | "media:write"
  | "commission"
  | "pii:read"
  | "downstream:read"
  | `unit:${string}`
  | `leader:${string}`;

/** Who is calling: the token's subject and scopes. */
export interface Caller {
  subject: string;
  scopes: ReadonlySet<string>;
}

export interface AuthVariables {
  caller: Caller;
}

/** `Authorization: Bearer <token68>`; the scheme is case-insensitive (RFC 9110 §11.1), whitespace around is allowed. */
const BEARER = /^\s*bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i;

/** The token of a bearer `Authorization` header, or undefined for anything else. */
function bearerTokenOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

/**
 * Verifies the bearer token (a JWT checked by the verifier: public key by `kid`, issuer, audience, capped
 * lifetime; `sub`, and `scope` as a space-separated list) and puts the caller on the context. Anything else is a
 * 401 problem that says nothing about why the token failed.
 *
 * @example
 * app.use("/v1/*", authenticate({ verifier: createTokenVerifier(tokenVerificationOf(config)) }));
 */
export function authenticate(options: { verifier: TokenVerifier }): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async function authenticateCaller(c, next) {
    const token = bearerTokenOf(c.req.header("authorization"));
    const verified = token === undefined ? undefined : await options.verifier.verify(token);
    if (!verified) {
      throw new HttpProblem({
        status: 401,
        slug: "unauthenticated",
        title: "A valid bearer token is required",
        headers: { "www-authenticate": 'Bearer realm="clueline"' },
      });
    }
    c.set("caller", verified.caller);
    await next();
  };
}

/** True when the caller holds at least one of the scopes. */
export function hasScope(caller: Caller, ...scopes: Scope[]): boolean {
  return scopes.some((scope) => caller.scopes.has(scope));
}

/** The unit ids the caller acts for (`unit:<id>` scopes). */
export function unitsOf(caller: Caller): string[] {
  return [...caller.scopes].filter((scope) => scope.startsWith("unit:")).map((scope) => scope.slice(5));
}

/** The directory leaders the caller acts as (`leader:<id>` scopes): they read the supervision orders escalated to them. */
export function leadersOf(caller: Caller): string[] {
  return [...caller.scopes].filter((scope) => scope.startsWith("leader:")).map((scope) => scope.slice(7));
}

/** Refuses with 403 unless the caller holds one of the scopes. */
export function requireScope(...scopes: Scope[]): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async function requireCallerScope(c, next) {
    if (!hasScope(c.get("caller"), ...scopes)) throw forbidden(`requires scope ${scopes.join(" or ")}`);
    await next();
  };
}

export function forbidden(detail: string): HttpProblem {
  return new HttpProblem({ status: 403, slug: "forbidden", title: "Not allowed for this caller", detail });
}
