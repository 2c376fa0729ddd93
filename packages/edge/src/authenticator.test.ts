import { type AuthVariables, issueToken } from "@clueline/kit";
import { Hono } from "hono";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { createAuthenticator } from "./authenticator.js";

const secret = "s".repeat(32);

function buildApp(now: () => number) {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.onError((error) => new Response(null, { status: (error as { status?: number }).status ?? 500 }));
  app.get("/who", createAuthenticator({ secret, now, maxEntries: 2 }), (c) => c.text(c.get("caller").subject));
  return app;
}
const get = (app: Hono<{ Variables: AuthVariables }>, token: string) =>
  app.request("/who", { headers: { authorization: `Bearer ${token}` } });

describe("createAuthenticator", () => {
  it("serves a verified token from memory only until its exp", async () => {
    const app = buildApp(() => Date.now());
    const token = await sign({ sub: "op-1", scope: "complaint:write", exp: Math.floor(Date.now() / 1000) + 1 }, secret, "HS256");
    expect(await (await get(app, token)).text()).toBe("op-1");
    expect(await (await get(app, token)).text()).toBe("op-1");
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await get(app, token)).status).toBe(401);
  });

  it("never remembers a refused token and stays bounded", async () => {
    const app = buildApp(() => Date.now());
    const forged = await issueToken({ secret: "x".repeat(32), subject: "op-1", scopes: ["complaint:write"] });
    expect((await get(app, forged)).status).toBe(401);
    expect((await get(app, forged)).status).toBe(401);
    for (const subject of ["a", "b", "c", "a"]) {
      const token = await issueToken({ secret, subject, scopes: [] });
      expect(await (await get(app, token)).text()).toBe(subject);
    }
  });
});
