import { createTokenVerifier } from "@clueline/kit";
import { createTestTokens } from "@clueline/kit/test-tokens";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import type { DirectoryHolder } from "./directory/index.js";

const tokens = createTestTokens();

function buildApp() {
  const asked: string[] = [];
  const app = createApp({
    logger: pino({ level: "silent" }),
    verifier: createTokenVerifier(tokens.verification),
    readiness: {},
    findDecision: async (complaintId) => {
      asked.push(complaintId);
      return null;
    },
    directory: {} as DirectoryHolder,
  });
  return { app, asked };
}

describe("router API parameters", () => {
  it("refuses a complaint id outside the contract's pattern with a 400 problem, before any look-up", async () => {
    const { app, asked } = buildApp();
    const authorization = `Bearer ${await tokens.issue({ subject: "commissioner", scopes: ["commission"] })}`;
    for (const id of ["%00", "a%0Ab", "%F0%9F%98%80", "x".repeat(129), "a%20b"]) {
      const response = await app.request(`/v1/decisions/${id}`, { headers: { authorization } });
      expect(response.status, id).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["complaintId"]);
    }
    expect(asked).toEqual([]);
    const known = await app.request("/v1/decisions/c-01J9Z3K4M5N6P7Q8R9S0T1V2W3:hotline.1", { headers: { authorization } });
    expect(known.status).toBe(404);
    expect(asked).toEqual(["c-01J9Z3K4M5N6P7Q8R9S0T1V2W3:hotline.1"]);
  });
});
