import type { Database } from "@clueline/db";
import { createTokenVerifier, type Scope } from "@clueline/kit";
import { createTestTokens } from "@clueline/kit/test-tokens";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import type { CalendarHealth } from "../deadlines/calendar-health.js";
import { createClientAddress } from "../feedback/client-address.js";
import { createRateLimiter } from "../feedback/rate-limiter.js";
import type { Ledger } from "../ledger/ledger.js";
import { encodeCursor } from "../queries/list-clues.js";
import type { EvidenceStores } from "./evidence-routes.js";

const tokens = createTestTokens();
const queried: string[] = [];
const logged: string[] = [];
/** Records every statement: a refused parameter must never reach the ledger. */
const recording: Database = {
  engine: "pglite",
  query: (sql: string) => {
    queried.push(sql);
    // A driver's message may quote what was sent: it must not reach the log.
    return Promise.reject(new Error("no database in this test: 13800138000"));
  },
  transaction: () => Promise.reject(new Error("no database in this test")),
  close: async () => undefined,
};
const app = createApp({
  db: recording,
  ledger: {} as Ledger,
  sealer: {
    open: () => {
      throw new Error("no identity in this test");
    },
    openOriginal: () => {
      throw new Error("no original text in this test");
    },
  },
  logger: pino({ level: "error" }, { write: (line: string) => logged.push(line) }),
  verifier: createTokenVerifier(tokens.verification),
  clock: () => new Date(),
  ssePollMs: 1_000,
  receiptLimiter: createRateLimiter({ limit: 100, windowMs: 60_000 }),
  clientAddressOf: createClientAddress({ trustedProxies: [], header: "x-forwarded-for" }),
  calendarHealth: {} as CalendarHealth,
  evidence: { reporter: {} as EvidenceStores["reporter"], units: {} as EvidenceStores["units"], maxBytes: 1_048_576 },
  commissionUnit: "dc",
});

const ULID = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
const all: Scope[] = ["commission", "pii:read", "complaint:write", "unit:town-a"];
const action = { method: "POST", body: JSON.stringify({ action: "accept" }) };
/** [path, the parameter the 400 must name, request]: the known 500s of issue 15 first. */
const refused: [string, string, { method?: string; body?: string; headers?: Record<string, string> }?][] = [
  ["/v1/clues/%00", "clueId"],
  ["/v1/rates?month=0000-01", "month"],
  ["/v1/rates?month=9999-12", "month"],
  ["/v1/ranking?month=0000-01", "month"],
  ["/v1/ranking?month=9999-12", "month"],
  ["/v1/stream?lastEventId=9999999999999999999", "lastEventId"],
  ["/v1/stream", "last-event-id", { headers: { "last-event-id": "9999999999999999999" } }],
  ["/v1/clues/01arz3ndektsv4rrffq69g5fav", "clueId"],
  ["/v1/clues/%00/reporter", "clueId"],
  [`/v1/clues/${ULID}/reporter?reason=%00`, "reason"],
  [`/v1/clues/${ULID}/reporter?reason=a%0Ab`, "reason"],
  ["/v1/assignments/%00/actions", "assignmentId", action],
  ["/v1/clues/%00/reply", "clueId", { method: "POST", body: JSON.stringify({ reply: "r" }) }],
  ["/v1/call-backs/%00/result", "taskId", { method: "POST", body: JSON.stringify({ result: "satisfied" }) }],
  ["/v1/clues?cursor=garbage", "cursor"],
  [`/v1/clues?cursor=${encodeCursor("9999999999999999999")}`, "cursor"],
  ["/v1/clues?unit=%00", "unit"],
  ["/v1/clues?limit=0", "limit"],
  ["/v1/clues?limit=abc", "limit"],
  ["/v1/rates?month=1999-12", "month"],
  ["/v1/rates?month=2200-01", "month"],
  ["/v1/rates?month=2026-13", "month"],
  ["/v1/rates?month=2026-03&unit=%00", "unit"],
  ["/v1/ranking?month=2026-03&size=0", "size"],
  ["/v1/stream?lastEventId=-1", "lastEventId"],
  ["/v1/stream?unit=Town%00", "unit"],
  ["/v1/call-backs?limit=201", "limit"],
  // Bodies the ledger stores: a NUL, a lone surrogate or another control character is refused, naming the field.
  [`/v1/clues/${ULID}/reply`, "reply", { method: "POST", body: JSON.stringify({ reply: "已处理\u0000" }) }],
  [`/v1/assignments/${ULID}/actions`, "note", { method: "POST", body: JSON.stringify({ action: "progress", note: "a\ud800b" }) }],
  [
    `/v1/assignments/${ULID}/actions`,
    "reason",
    { method: "POST", body: JSON.stringify({ action: "reject", reason: "\u001b[2J" }) },
  ],
  [`/v1/call-backs/${ULID}/result`, "note", { method: "POST", body: JSON.stringify({ result: "satisfied", note: "x\r" }) }],
];

describe("closure API parameters", () => {
  it.each(refused)("refuses %s with a 400 naming %s, before the ledger", async (path, parameter, init = {}) => {
    const token = await tokens.issue({ subject: "tester", scopes: all });
    queried.length = 0;
    const response = await app.request(path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual([parameter]);
    expect(queried).toEqual([]);
  });

  it("ends a stream the ledger failed with an error event, logged by class and never by its message", async () => {
    const token = await tokens.issue({ subject: "tester", scopes: ["unit:town-a"] });
    logged.length = 0;
    const response = await app.request("/v1/stream?lastEventId=5", { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("event: error");
    expect(logged.map((line) => JSON.parse(line))).toMatchObject([
      { errorClass: "Error", unitId: "town-a", msg: "stream failed" },
    ]);
    expect(logged.join("\n")).not.toContain("13800138000");
  });

  it("lets tab and newline through in stored text", async () => {
    const token = await tokens.issue({ subject: "tester", scopes: ["unit:town-a"] });
    queried.length = 0;
    const response = await app.request(`/v1/clues/${ULID}/reply`, {
      method: "POST",
      body: JSON.stringify({ reply: "一、已核实\n二、\t已处理" }),
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    expect(response.status).not.toBe(400); // past validation, into the database (which this test has none of)
    expect(queried).toHaveLength(1);
  });
});
