import { Complaint, RoutingDecision } from "@clueline/contracts";
import {
  authenticate,
  createHttpApp,
  HttpProblem,
  type MetricsRegistry,
  type ReadinessChecks,
  requireScope,
  type TokenVerifier,
} from "@clueline/kit";
import { createRoute, z } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { DirectoryHolder } from "./directory/index.js";

const Problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string().optional() });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: Problem } } });
const secured = {
  security: [{ bearer: [] }],
  responses: { 401: problem("no valid bearer token"), 403: problem("needs the commission scope") },
};

const getDecision = createRoute({
  method: "get",
  path: "/v1/decisions/{complaintId}",
  summary: "The routing decision for a complaint, with the reasons each rule gave",
  ...secured,
  // The complaint id pattern of the contracts: anything else is a 400, never a query (PostgreSQL refuses a NUL).
  request: { params: z.object({ complaintId: Complaint.shape.id }) },
  responses: {
    ...secured.responses,
    200: { description: "the decision", content: { "application/json": { schema: RoutingDecision } } },
    400: problem("not a complaint id"),
    404: problem("no decision for this complaint id"),
  },
});

const reloadDirectory = createRoute({
  method: "post",
  path: "/v1/directory/reload",
  summary: "Reload the directory file now; a bad file is refused with every problem and the old one stays in force",
  ...secured,
  responses: {
    ...secured.responses,
    200: {
      description: "reloaded",
      content: { "application/json": { schema: z.object({ status: z.enum(["reloaded", "unchanged"]), units: z.number() }) } },
    },
    422: problem("the file is invalid; `errors` lists every problem"),
  },
});

/**
 * The router's small HTTP surface: health, metrics, the OpenAPI document, decision look-up and directory
 * reload — all for the district commission.
 */
export function createApp(deps: {
  logger: Logger;
  verifier: TokenVerifier;
  /** The service's registry, served on `/metrics` (the consumer counts dead letters there); a fresh one if unset. */
  metrics?: MetricsRegistry;
  readiness: ReadinessChecks;
  findDecision: (complaintId: string) => Promise<RoutingDecision | null>;
  directory: DirectoryHolder;
}) {
  const { logger, metrics, readiness } = deps;
  const app = createHttpApp({ service: "router", version: "1.0.0", logger, metrics, readiness });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.use("/v1/*", authenticate({ verifier: deps.verifier }), requireScope("commission"));
  app.openapi(getDecision, async (c) => {
    const decision = await deps.findDecision(c.req.valid("param").complaintId);
    if (!decision) throw new HttpProblem({ status: 404, slug: "not-found", title: "No decision for this complaint" });
    return c.json(decision, 200);
  });
  app.openapi(reloadDirectory, async (c) => {
    const result = await deps.directory.reload();
    if (result.status === "rejected") {
      const errors = result.problems.map((p) => ({ path: p.path, reason: p.reason }));
      throw new HttpProblem({ status: 422, slug: "directory-invalid", title: "The directory file is invalid", errors });
    }
    return c.json({ status: result.status, units: deps.directory.current().source.units.length }, 200);
  });
  return app;
}
