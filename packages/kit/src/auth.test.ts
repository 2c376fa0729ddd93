import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type AuthVariables, authenticate, requireScope, unitsOf } from "./auth.js";
import { type HttpProblem, problemResponse } from "./problem.js";
import { createTestTokens } from "./test-tokens.js";
import { createTokenVerifier } from "./token-verifier.js";

const tokens = createTestTokens();

function buildApp() {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.onError((error, c) => problemResponse(c, error as HttpProblem));
  app.use("/v1/*", authenticate({ verifier: createTokenVerifier(tokens.verification) }));
  app.post("/v1/complaints", requireScope("complaint:write"), (c) => c.json({ units: unitsOf(c.get("caller")) }));
  return app;
}

const post = (authorization?: string): RequestInit => ({
  method: "POST",
  headers: authorization ? { authorization } : {},
});

describe("authentication and scopes", () => {
  it("lets a caller with the scope through", async () => {
    const response = await buildApp().request(
      "/v1/complaints",
      post(await tokens.bearer(["complaint:write", "unit:town-chengguan"])),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ units: ["town-chengguan"] });
  });

  it("takes the scheme in any case and tolerates surrounding whitespace (RFC 9110)", async () => {
    const token = await tokens.issue({ scopes: ["complaint:write"] });
    const app = buildApp();
    for (const header of [`bearer ${token}`, `BEARER ${token}`, `  BeArEr   ${token}  `, `Bearer\t${token}`]) {
      expect((await app.request("/v1/complaints", post(header))).status).toBe(200);
    }
  });

  it("answers 401 without a token or with another scheme, saying nothing about why", async () => {
    const token = await tokens.issue({ scopes: ["complaint:write"] });
    const app = buildApp();
    for (const header of [undefined, token, `Basic ${token}`, `Bearer`, `Bearer ${token} extra`, `Bearer${token}`]) {
      const response = await app.request("/v1/complaints", post(header));
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
      expect(((await response.json()) as { detail?: string }).detail).toBeUndefined();
    }
  });

  it("answers 403 when the scope is missing", async () => {
    const response = await buildApp().request("/v1/complaints", post(await tokens.bearer(["unit:dc"], "insp-1")));
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});
