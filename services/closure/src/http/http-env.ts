import { type AppVariables, type AuthVariables, HttpProblem } from "@clueline/kit";
import { OpenAPIHono } from "@hono/zod-openapi";

/** What handlers find on the context: the request id (kit) and the authenticated caller. */
export type HttpEnv = { Variables: AppVariables & AuthVariables };

/**
 * A router whose validation failures render like the kit app's (problem+json naming each field); mounted on
 * the kit app with `app.route("/", router)`, which also merges its OpenAPI definitions.
 */
export function createRouter(): OpenAPIHono<HttpEnv> {
  return new OpenAPIHono<HttpEnv>({
    defaultHook(result) {
      if (result.success) return;
      throw new HttpProblem({
        status: 400,
        slug: "invalid-request",
        title: "The request is invalid",
        detail: "See `errors` for each field that failed and why.",
        errors: result.error.issues.map((issue) => ({
          path: issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)",
          reason: issue.message,
        })),
      });
    },
  });
}

export const bearerSecurity = [{ bearer: [] }];
