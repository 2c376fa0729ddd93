import type { Database } from "@clueline/db";
import { createEvidenceStore } from "@clueline/evidence";
import { createTokenVerifier, type MetricsRegistry, type Scope } from "@clueline/kit";
import { createTestTokens } from "@clueline/kit/test-tokens";
import { testInfra, uniqueName } from "@clueline/testing";
import pino from "pino";
import { createApp } from "../app.js";
import type { WorkingCalendar } from "../calendar/index.js";
import type { ConductWatch } from "../conduct/conduct-watch.js";
import { createCalendarHealth } from "../deadlines/calendar-health.js";
import { createClientAddress } from "../feedback/client-address.js";
import { createRateLimiter } from "../feedback/rate-limiter.js";
import type { EvidenceStores } from "../http/evidence-routes.js";
import { createTestLedger, testCalendar } from "./fixtures.js";

/** One throwaway issuer per test process; each app trusts it. */
const tokens = createTestTokens();

/** The app on a test database with a fresh key ring, and helpers to call it as a given caller. */
export function createTestApp(
  db: Database,
  options: {
    logger?: pino.Logger;
    receiptLimit?: number;
    calendar?: WorkingCalendar;
    metrics?: MetricsRegistry;
    trustedProxies?: string[];
    /** Largest evidence upload and download; the service's default (50 MB) unless a test needs a small cap. */
    evidenceMaxBytes?: number;
    /** Rule 10's watch, for a test of service failures; none by default. */
    conduct?: ConductWatch;
  } = {},
) {
  const calendar = options.calendar ?? testCalendar();
  const { ledger, clock, sealer } = createTestLedger(db, {
    calendar,
    ...(options.conduct ? { conduct: options.conduct } : {}),
  });
  const logger = options.logger ?? pino({ level: "silent" });
  const receiptLimiter = createRateLimiter({ limit: options.receiptLimit ?? 100, windowMs: 60_000, clock: clock.now });
  const calendarHealth = createCalendarHealth({ db, calendar, calendarFile: "local.yaml", logger, clock: clock.now });
  // As main.ts lays them out, under a prefix of this app's own in the test bucket: the edges' objects at the root.
  const s3 = { ...testInfra().s3, prefix: `${uniqueName("closure-evidence")}/` };
  const evidence = {
    reporter: createEvidenceStore(s3),
    units: createEvidenceStore({ ...s3, prefix: `${s3.prefix}units/` }),
    maxBytes: options.evidenceMaxBytes ?? 50 * 1024 * 1024,
  } satisfies EvidenceStores;
  const app = createApp({
    db,
    ledger,
    sealer,
    logger,
    verifier: createTokenVerifier(tokens.verification),
    metrics: options.metrics,
    clock: clock.now,
    ssePollMs: 20,
    receiptLimiter,
    clientAddressOf: createClientAddress({ trustedProxies: options.trustedProxies ?? [], header: "x-forwarded-for" }),
    calendarHealth,
    evidence,
    commissionUnit: "dc",
  });

  async function call(
    scopes: Scope[],
    path: string,
    init: { method?: string; body?: unknown; bytes?: Uint8Array; headers?: Record<string, string>; peer?: string } = {},
  ) {
    const token = await tokens.issue({ subject: `as-${scopes.join("+") || "nobody"}`, scopes });
    // The Node server's bindings, as @hono/node-server hands them to the app: the peer is the socket's address.
    const env = init.peer === undefined ? undefined : { incoming: { socket: { remoteAddress: init.peer } } };
    const sends = init.body !== undefined || init.bytes !== undefined;
    const request = {
      method: init.method ?? (sends ? "POST" : "GET"),
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      ...(init.bytes === undefined ? {} : { body: init.bytes }),
    };
    return app.request(path, request, env);
  }

  return { app, ledger, clock, sealer, call, evidence };
}
