import { type AppVariables, type AuthVariables, refuseInvalidRequest } from "@clueline/kit";
import { OpenAPIHono } from "@hono/zod-openapi";

/** What handlers find on the context: the request id (kit) and the authenticated caller. */
export type HttpEnv = { Variables: AppVariables & AuthVariables };

/**
 * A router whose validation failures render like the kit app's (problem+json naming each field); mounted on
 * the kit app with `app.route("/", router)`, which also merges its OpenAPI definitions.
 */
export function createRouter(): OpenAPIHono<HttpEnv> {
  return new OpenAPIHono<HttpEnv>({ defaultHook: refuseInvalidRequest });
}

export const bearerSecurity = [{ bearer: [] }];
