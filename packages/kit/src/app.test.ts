import { RetryableOutage } from "@clueline/contracts/errors";
import { createRoute, z } from "@hono/zod-openapi";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createHttpApp } from "./app.js";

const logger = pino({ level: "silent" });

function buildApp(readiness = {}, log = logger) {
  const app = createHttpApp({ service: "test", version: "0.0.0", logger: log, readiness, maxBodyBytes: 256 });
  const route = createRoute({
    method: "post",
    path: "/things",
    request: {
      body: { content: { "application/json": { schema: z.object({ name: z.string().min(1), count: z.number().int() }) } } },
    },
    responses: { 202: { description: "accepted" } },
  });
  app.openapi(route, (c) => c.json({ ok: true }, 202) as never);
  app.get("/outage", () => {
    throw new RetryableOutage("kafka");
  });
  app.get("/boom", () => {
    throw new Error("secret detail 13800138000");
  });
  return app;
}

const post = (body: string) => ({ method: "POST", body, headers: { "content-type": "application/json" } });

describe("createHttpApp", () => {
  it("answers liveness, metrics and the OpenAPI 3.1 document", async () => {
    const app = buildApp();
    expect((await app.request("/healthz")).status).toBe(200);
    const metrics = await app.request("/metrics");
    expect(await metrics.text()).toContain("http_request_duration_seconds");
    const doc = (await (await app.request("/openapi.json")).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/things");
    expect((await app.request("/docs")).status).toBe(200);
  });

  it("turns validation failures into problem+json naming each field", async () => {
    const response = await buildApp().request("/things", post(JSON.stringify({ name: "", count: 1.5 })));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as { errors: { path: string }[]; requestId: string; status: number };
    expect(body.status).toBe(400);
    expect(body.errors.map((e) => e.path).sort()).toEqual(["count", "name"]);
    expect(body.requestId).toBeTruthy();
  });

  it("refuses malformed JSON and oversized bodies with problems", async () => {
    const app = buildApp();
    const malformed = await app.request("/things", post("{"));
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("content-type")).toBe("application/problem+json");
    const big = await app.request("/things", post(JSON.stringify({ name: "x".repeat(1000), count: 1 })));
    expect(big.status).toBe(413);
  });

  it("maps an outage to 503 with Retry-After and hides unknown error messages", async () => {
    const app = buildApp();
    const outage = await app.request("/outage");
    expect(outage.status).toBe(503);
    expect(outage.headers.get("retry-after")).toBe("5");
    const boom = await app.request("/boom");
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain("13800138000");
    expect((await app.request("/nowhere")).status).toBe(404);
  });

  it("logs an unknown error by class, code and frames, never its message", async () => {
    const lines: string[] = [];
    const app = buildApp({}, pino({ level: "error" }, { write: (line: string) => lines.push(line) }));
    expect((await app.request("/boom")).status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ errorClass: "Error", msg: "unhandled error" });
    expect(lines[0]).toContain("app.test.ts");
    expect(lines[0]).not.toContain("13800138000");
  });

  it("reports readiness per dependency", async () => {
    const app = buildApp({ kafka: async () => undefined, s3: async () => Promise.reject(new Error("down")) });
    const response = await app.request("/readyz");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "not-ready", checks: { kafka: "up", s3: "down" } });
  });
});
