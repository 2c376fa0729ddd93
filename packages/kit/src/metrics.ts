import type { MiddlewareHandler } from "hono";
import { collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** A registry per app, never prom-client's global one, so two apps in one test process do not collide. */
export function createMetrics(options: { service: string }): { registry: Registry; middleware: MiddlewareHandler } {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"],
    // Edges target p99 < 50 ms, so the low buckets are fine-grained.
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const middleware: MiddlewareHandler = async function measureRequest(c, next) {
    const end = duration.startTimer();
    await next();
    end({ method: c.req.method, route: c.req.routePath, status: String(c.res.status) });
  };
  return { registry, middleware };
}
