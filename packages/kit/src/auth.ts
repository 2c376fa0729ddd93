import type { MiddlewareHandler } from "hono";
import { sign, verify } from "hono/jwt";
import { HttpProblem } from "./problem.js";

/** Scopes of DESIGN §8. `unit:<id>` is written with the unit's id. */
export type Scope = "complaint:write" | "media:write" | "commission" | "pii:read" | "downstream:read" | `unit:${string}`;

/** Who is calling: the token's subject and scopes. */
export interface Caller {
  subject: string;
  scopes: ReadonlySet<string>;
}

export interface AuthVariables {
  caller: Caller;
}

/**
 * Verifies the bearer token (JWT, HS256, with `sub`, `scope` as a space-separated list, and `exp`) and puts
 * the caller on the context. Anything else is a 401 problem that says nothing about why the token failed.
 *
 * @example
 * app.use("/v1/*", authenticate({ secret: config.AUTH_JWT_SECRET }));
 */
export function authenticate(options: { secret: string }): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async function authenticateCaller(c, next) {
    const header = c.req.header("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    let payload: Record<string, unknown> | undefined;
    try {
      payload = token ? ((await verify(token, options.secret, "HS256")) as Record<string, unknown>) : undefined;
    } catch {
      payload = undefined;
    }
    if (!payload || typeof payload.sub !== "string" || typeof payload.exp !== "number") {
      throw new HttpProblem({
        status: 401,
        slug: "unauthenticated",
        title: "A valid bearer token is required",
        headers: { "www-authenticate": 'Bearer realm="clueline"' },
      });
    }
    const scopes = new Set(typeof payload.scope === "string" ? payload.scope.split(" ").filter(Boolean) : []);
    c.set("caller", { subject: payload.sub, scopes });
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

/**
 * Issues a token; for operators' tooling, the demo and tests.
 *
 * @example
 * const token = await issueToken({ secret, subject: "operator-7", scopes: ["complaint:write"] });
 */
export function issueToken(options: { secret: string; subject: string; scopes: Scope[]; ttlSeconds?: number }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign(
    { sub: options.subject, scope: options.scopes.join(" "), iat: now, exp: now + (options.ttlSeconds ?? 3600) },
    options.secret,
    "HS256",
  );
}
