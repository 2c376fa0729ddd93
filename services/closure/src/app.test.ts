import type { Database } from "@clueline/db";
import { createIdentitySealer } from "@clueline/identity";
import { createTokenVerifier } from "@clueline/kit";
import { createTestTokens } from "@clueline/kit/test-tokens";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import type { CalendarHealth } from "./deadlines/calendar-health.js";
import { createClientAddress } from "./feedback/client-address.js";
import { createRateLimiter } from "./feedback/rate-limiter.js";
import type { EvidenceStores } from "./http/evidence-routes.js";
import type { Ledger } from "./ledger/ledger.js";

/** A database that must not be touched: the OpenAPI document and auth failures need none. */
const untouchable: Database = {
  engine: "pglite",
  query: () => Promise.reject(new Error("no database in this test")),
  transaction: () => Promise.reject(new Error("no database in this test")),
  close: async () => undefined,
};

function buildApp() {
  const sealer = createIdentitySealer({ keys: { k1: Buffer.alloc(32, 1) }, activeKeyId: "k1", hashKey: Buffer.alloc(32, 2) });
  return createApp({
    db: untouchable,
    ledger: {} as Ledger,
    sealer,
    logger: pino({ level: "silent" }),
    verifier: createTokenVerifier(createTestTokens().verification),
    clock: () => new Date(),
    ssePollMs: 1_000,
    receiptLimiter: createRateLimiter({ limit: 1, windowMs: 60_000 }),
    clientAddressOf: createClientAddress({ trustedProxies: [], header: "x-forwarded-for" }),
    calendarHealth: {} as CalendarHealth,
    evidence: { reporter: {} as EvidenceStores["reporter"], units: {} as EvidenceStores["units"], maxBytes: 1_048_576 },
    commissionUnit: "dc",
  });
}

describe("closure app", () => {
  it("documents every route in OpenAPI 3.1, with the rates defined precisely", async () => {
    const doc = (await (await buildApp().request("/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { description?: string; security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/health/calendar",
      "/metrics/calendar",
      "/v1/assignments/{assignmentId}/actions",
      "/v1/assignments/{assignmentId}/extension-requests",
      "/v1/call-backs",
      "/v1/call-backs/{taskId}/result",
      "/v1/classifications",
      "/v1/clues",
      "/v1/clues/{clueId}",
      "/v1/clues/{clueId}/classify",
      "/v1/clues/{clueId}/evidence",
      "/v1/clues/{clueId}/evidence/{evidenceId}",
      "/v1/clues/{clueId}/redo",
      "/v1/clues/{clueId}/reply",
      "/v1/clues/{clueId}/reporter",
      "/v1/extension-requests",
      "/v1/extension-requests/{requestId}/decision",
      "/v1/ranking",
      "/v1/rates",
      "/v1/receipts/lookup",
      "/v1/returns",
      "/v1/returns/{returnId}",
      "/v1/returns/{returnId}/decision",
      "/v1/stream",
      "/v1/supervision-orders",
      "/v1/supervision-orders/{orderId}/answer",
    ]);
    const rates = doc.paths["/v1/rates"]?.get?.description ?? "";
    for (const term of ["Response rate", "Resolution rate", "Satisfaction rate", "Asia/Shanghai", "clueline.clue.lifecycle.v1"]) {
      expect(rates).toContain(term);
    }
    // The audited reporter read returns merged complaints' originals too, under the same decision.
    expect(Object.keys(doc.components.schemas.ReporterReading?.properties ?? {})).toEqual(
      expect.arrayContaining(["name", "phone", "originalText", "supplements"]),
    );
    expect(doc.components.schemas.SupplementOriginal?.properties).toHaveProperty("complaintId");
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("refuses every /v1 route without a valid token before touching the ledger", async () => {
    const app = buildApp();
    const evidence = "/v1/clues/01J0000000000000000000CLUE/evidence";
    for (const path of [
      "/v1/clues",
      "/v1/stream",
      "/v1/rates?month=2026-03",
      "/v1/call-backs",
      evidence,
      `${evidence}/01J0000000000000000000EVID`,
    ]) {
      const response = await app.request(path);
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});
