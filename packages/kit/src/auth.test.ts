import { Hono } from "hono";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { type AuthVariables, authenticate, issueToken, requireScope, unitsOf } from "./auth.js";
import { type HttpProblem, problemResponse } from "./problem.js";

const secret = "s".repeat(32);

function buildApp() {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.onError((error, c) => problemResponse(c, error as HttpProblem));
  app.use("/v1/*", authenticate({ secret }));
  app.post("/v1/complaints", requireScope("complaint:write"), (c) => c.json({ units: unitsOf(c.get("caller")) }));
  return app;
}

const bearer = (token: string) => ({ method: "POST", headers: { authorization: `Bearer ${token}` } });

describe("authentication and scopes", () => {
  it("lets a caller with the scope through", async () => {
    const token = await issueToken({ secret, subject: "op-1", scopes: ["complaint:write", "unit:town-chengguan"] });
    const response = await buildApp().request("/v1/complaints", bearer(token));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ units: ["town-chengguan"] });
  });

  it("answers 401 without a token, with a bad signature, or expired", async () => {
    const app = buildApp();
    expect((await app.request("/v1/complaints", { method: "POST" })).status).toBe(401);
    const forged = await issueToken({ secret: "x".repeat(32), subject: "op-1", scopes: ["complaint:write"] });
    const rejected = await app.request("/v1/complaints", bearer(forged));
    expect(rejected.status).toBe(401);
    expect(rejected.headers.get("www-authenticate")).toContain("Bearer");
    const expired = await sign(
      { sub: "op-1", scope: "complaint:write", exp: Math.floor(Date.now() / 1000) - 10 },
      secret,
      "HS256",
    );
    expect((await app.request("/v1/complaints", bearer(expired))).status).toBe(401);
    const noExpiry = await sign({ sub: "op-1", scope: "complaint:write" }, secret, "HS256");
    expect((await app.request("/v1/complaints", bearer(noExpiry))).status).toBe(401);
  });

  it("answers 403 when the scope is missing", async () => {
    const token = await issueToken({ secret, subject: "insp-1", scopes: ["unit:dc"] });
    const response = await buildApp().request("/v1/complaints", bearer(token));
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});
