import { type AuthVariables, createTokenVerifier, type TokenVerifier } from "@clueline/kit";
import { createTestTokens } from "@clueline/kit/test-tokens";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createAuthenticator } from "./authenticator.js";

const tokens = createTestTokens();

/** The real verifier, counting how often the authenticator asked it. */
function countingVerifier() {
  const real = createTokenVerifier(tokens.verification);
  const verifier: TokenVerifier & { calls: number } = {
    calls: 0,
    verify(token) {
      verifier.calls++;
      return real.verify(token);
    },
  };
  return verifier;
}

function buildApp(verifier: TokenVerifier, now: () => number) {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.onError((error) => new Response(null, { status: (error as { status?: number }).status ?? 500 }));
  app.get("/who", createAuthenticator({ verifier, now, maxEntries: 2 }), (c) => c.text(c.get("caller").subject));
  return app;
}
const get = (app: Hono<{ Variables: AuthVariables }>, authorization: string) =>
  app.request("/who", { headers: { authorization } });

describe("createAuthenticator", () => {
  it("serves a verified token from memory, asking the verifier again after a minute and after its exp", async () => {
    let clock = Date.now();
    const verifier = countingVerifier();
    const app = buildApp(verifier, () => clock);
    const token = await tokens.issue({ subject: "op-1", scopes: ["complaint:write"], ttlSeconds: 90 });
    const callsAfter = async (advanceMs: number, authorization = `Bearer ${token}`) => {
      clock += advanceMs;
      expect(await (await get(app, authorization)).text()).toBe("op-1");
      return verifier.calls;
    };
    expect(await callsAfter(0)).toBe(1);
    expect(await callsAfter(30_000, `bearer ${token}`)).toBe(1);
    expect(await callsAfter(31_000)).toBe(2);
    expect(await callsAfter(20_000)).toBe(2);
    expect(await callsAfter(10_000)).toBe(3);
  });

  it("never remembers a refused token and stays bounded", async () => {
    const verifier = countingVerifier();
    const app = buildApp(verifier, () => Date.now());
    const forged = await createTestTokens({ issuer: tokens.issuer }).issue({ subject: "op-1", scopes: ["complaint:write"] });
    expect((await get(app, `Bearer ${forged}`)).status).toBe(401);
    expect((await get(app, `Bearer ${forged}`)).status).toBe(401);
    expect(verifier.calls).toBe(2);
    for (const subject of ["a", "b", "c", "a"]) {
      expect(await (await get(app, `Bearer ${await tokens.issue({ subject, scopes: [] })}`)).text()).toBe(subject);
    }
    expect(verifier.calls).toBe(6);
  });
});
