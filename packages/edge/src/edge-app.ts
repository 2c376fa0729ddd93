import type { ReadinessChecks } from "@clueline/kit";
import {
  type App,
  type AppVariables,
  type AuthVariables,
  createHttpApp,
  limitBody,
  requireScope,
  type Scope,
} from "@clueline/kit";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { Authenticator } from "./authenticator.js";

/** An edge app: kit's app whose guarded routes also see the authenticated `caller`. */
export type EdgeApp = OpenAPIHono<{ Variables: AppVariables & AuthVariables }>;

/** Name of the bearer security scheme in each edge's OpenAPI document. */
export const BEARER = "bearer";

/**
 * Kit's app (problem+json, /healthz, /readyz, /metrics, /openapi.json, /docs) with the bearer scheme declared.
 * `maxBodyBytes` is the largest body of any route (an upload); JSON routes set tighter limits with {@link guard}.
 *
 * @example
 * const app = createEdgeApp({ service: "hotline", logger, readiness, maxBodyBytes: 50 * 2 ** 20 });
 */
export function createEdgeApp(options: {
  service: string;
  version: string;
  description: string;
  logger: Logger;
  readiness?: ReadinessChecks;
  maxBodyBytes: number;
}): EdgeApp {
  const app: App = createHttpApp(options);
  app.openAPIRegistry.registerComponent("securitySchemes", BEARER, { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  // Guarded routes run `authenticate` first (see guard), which sets `caller`; the widened type says so once here.
  return app as unknown as EdgeApp;
}

/**
 * Route middleware in the order that leaks least: authenticate (401), check the scope (403), then bound the body
 * (413) before the validator reads it.
 *
 * @example
 * createRoute({ method: "post", path: "/v1/calls", middleware: guard({ auth, scope: "complaint:write", maxBytes }), … });
 */
export function guard(options: { auth: Authenticator; scope: Scope; maxBytes: number }): MiddlewareHandler[] {
  return [options.auth as MiddlewareHandler, requireScope(options.scope) as MiddlewareHandler, limitBody(options.maxBytes)];
}
