import type { MiddlewareHandler } from "hono";
import { collectDefaultMetrics, Histogram, Registry } from "prom-client";

export type { Registry as MetricsRegistry } from "prom-client";

/**
 * The registry a service serves on `/metrics`: one per service, never prom-client's global one, so two apps in one
 * test process do not collide. `main.ts` makes it and hands it to the HTTP app and to whatever else counts (the
 * consumer runner's dead letters).
 *
 * @example
 * const metrics = createMetricsRegistry({ service: "closure" });
 * createConsumerRunner({ …, metrics }); createApp({ …, metrics });
 */
export function createMetricsRegistry(options: { service: string }): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Request durations on `registry` (a fresh service registry when none is given) and the middleware that measures them. */
export function createMetrics(options: { service: string; registry?: Registry }): {
  registry: Registry;
  middleware: MiddlewareHandler;
} {
  const registry = options.registry ?? createMetricsRegistry({ service: options.service });
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
