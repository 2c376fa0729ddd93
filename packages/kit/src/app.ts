import { RefusedTransition, RetryableOutage } from "@clueline/contracts/errors";
import { swaggerUI } from "@hono/swagger-ui";
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { limitBody } from "./body-limit.js";
import { createMetrics } from "./metrics.js";
import { type FieldProblem, HttpProblem, problemResponse } from "./problem.js";
import { type ReadinessChecks, readinessHandler } from "./readiness.js";

export interface AppVariables {
  requestId: string;
}
export type App = OpenAPIHono<{ Variables: AppVariables }>;

/**
 * The validation hook of every clueline router: a request that fails its zod schema becomes a 400 problem
 * naming each bad field and why (never its value). Pass it as `defaultHook` to any `OpenAPIHono` that is
 * mounted on the app.
 */
export function refuseInvalidRequest(
  result: { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } },
): void {
  if (result.success) return;
  throw invalidRequest(
    result.error.issues.map((issue) => ({
      path: issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)",
      reason: issue.message,
    })),
  );
}

/**
 * The 400 of a request that failed a check its schema cannot make (one against the directory in force, say), in the
 * same shape as a schema failure: each field as a dotted path (`categoryHints.1`) and why.
 *
 * @example
 * throw invalidRequest([{ path: "categoryHints.1", reason: 'unknown category "x"' }]);
 */
export function invalidRequest(errors: FieldProblem[]): HttpProblem {
  return new HttpProblem({
    status: 400,
    slug: "invalid-request",
    title: "The request is invalid",
    detail: "See `errors` for each field that failed and why.",
    errors,
  });
}

/**
 * The hono app every service starts from: request ids, RFC 9457 problem+json for every error (validation
 * included, naming each bad field), `/healthz`, `/readyz`, `/metrics`, the OpenAPI 3.1 document at
 * `/openapi.json` and a docs page at `/docs`. Routes are added with `app.openapi(route, handler)`.
 *
 * @example
 * const app = createHttpApp({ service: "hotline", version: "1.0.0", logger, readiness: { kafka: () => ping() } });
 * app.openapi(postCallRecord, handler);
 */
export function createHttpApp(options: {
  service: string;
  version: string;
  description?: string;
  logger: Logger;
  readiness?: ReadinessChecks;
  /** Largest accepted request body in bytes; larger ones get 413 before they are read whole. */
  maxBodyBytes?: number;
  /** The service's registry (see `createMetricsRegistry`), when other parts of it count too; else a fresh one. */
  metrics?: Registry;
}): App {
  const app: App = new OpenAPIHono<{ Variables: AppVariables }>({ defaultHook: refuseInvalidRequest });
  const metrics = createMetrics({ service: options.service, registry: options.metrics });
  app.use(requestId());
  app.use(metrics.middleware);
  app.use(limitBody(options.maxBodyBytes ?? 1_048_576));
  app.onError((error, c) => problemResponse(c, toProblem(error, options.logger)));
  app.notFound((c) => problemResponse(c, new HttpProblem({ status: 404, slug: "not-found", title: "No such resource" })));

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", readinessHandler(options.readiness ?? {}));
  app.get("/metrics", async (c) =>
    c.text(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType }),
  );
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: `clueline ${options.service}`, version: options.version, description: options.description },
  });
  app.get("/docs", swaggerUI({ url: "/openapi.json", title: `clueline ${options.service} API` }));
  return app;
}

/** Maps any thrown error to a problem; unknown errors are logged by class only and never echoed to the caller. */
function toProblem(error: unknown, logger: Logger): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof RetryableOutage) {
    return new HttpProblem({
      status: 503,
      slug: "dependency-unavailable",
      title: `${error.dependency} is unavailable`,
      detail: "Nothing was accepted. Retry after the indicated delay.",
      headers: { "retry-after": "5" },
    });
  }
  if (error instanceof RefusedTransition) {
    return new HttpProblem({
      status: 409,
      slug: "refused-transition",
      title: "The action is not allowed now",
      detail: error.message,
    });
  }
  if (error instanceof HTTPException) {
    return new HttpProblem({ status: error.status, slug: "http-error", title: error.message || "Request refused" });
  }
  // The stack's frames without its first line: a message may quote the request (a driver's "invalid input syntax
  // for type bigint: …"), and a request may carry a reporter's identity.
  const frames = error instanceof Error ? error.stack?.split("\n").slice(1).join("\n") : undefined;
  const code = (error as { code?: unknown } | null)?.code;
  logger.error(
    { errorClass: error instanceof Error ? error.name : typeof error, ...(typeof code === "string" ? { code } : {}), frames },
    "unhandled error",
  );
  return new HttpProblem({
    status: 500,
    slug: "internal-error",
    title: "Internal error",
    detail: "The error was logged with the request id.",
  });
}
