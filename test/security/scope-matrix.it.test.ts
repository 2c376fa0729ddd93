import { createHmac, randomBytes } from "node:crypto";
import { auditTopic } from "@clueline/contracts";
import { createTestKafka, readTopic, testInfra } from "@clueline/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSystem, serviceNames, startSystemOrReap } from "../e2e/system-under-test.js";
import { type CallerName, callerNames, mintAuthorizations, subjectOf, type TokenCaller } from "./callers.js";
import { type DocumentedOperation, documentedOperations, fillPath } from "./documented-operations.js";
import { type Exchange, exchange } from "./exchange.js";
import {
  type Expectation,
  expectedAccess,
  expectedFor,
  type OperationKey,
  publicPaths,
  type SweepIds,
  seesSeededClue,
} from "./expected-access.js";
import { eventually, SEEDED_MARKER, SEEDED_REPORTER, seedClue } from "./seed-clue.js";

const REPORTER = SEEDED_REPORTER;
const MARKER = SEEDED_MARKER;
const REPORTER_ROUTE: OperationKey = "closure GET /v1/clues/{clueId}/reporter";
const EVIDENCE_ROUTE: OperationKey = "closure GET /v1/clues/{clueId}/evidence/{evidenceId}";
/** The callers the expected table lets read the reporter's identity. */
const reporterAccess = expectedAccess[REPORTER_ROUTE];
const identityReaders: readonly CallerName[] = reporterAccess?.auth === "bearer" ? reporterAccess.allow : [];

interface Seen extends Exchange {
  caller: CallerName | "seeding" | "public" | "webhook";
  operation?: OperationKey;
}

let system: RunningSystem;
let authorization: Record<CallerName, string | undefined>;
let ids: SweepIds;
let documented: DocumentedOperation[];
const seen: Seen[] = [];
const kafka = createTestKafka();

async function send(options: {
  caller: Seen["caller"];
  operation?: OperationKey;
  url: string;
  method: string;
  body?: unknown;
  bytes?: Uint8Array;
  headers?: Record<string, string>;
  authorization?: string | undefined;
}): Promise<Seen> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const label = `${options.caller} → ${options.operation ?? options.url}`;
  const result: Seen = {
    caller: options.caller,
    ...(options.operation ? { operation: options.operation } : {}),
    ...(await exchange({ ...options, label, body })),
  };
  seen.push(result);
  return result;
}

/** One cell of the matrix: the operation as documented, called by one caller. */
async function call(key: OperationKey, expectation: Expectation, caller: CallerName): Promise<Seen> {
  const operation = documented.find((o) => o.key === key);
  if (!operation) throw new Error(`${key} is not in its service's OpenAPI document`);
  const request = expectation.request?.(ids) ?? {};
  const path = fillPath(operation.path, ids) + (request.query ? `?${request.query}` : "");
  return send({
    caller,
    operation: key,
    url: system.urls[operation.service] + path,
    method: operation.method,
    body: operation.method === "GET" ? undefined : (request.body ?? {}),
    authorization: authorization[caller],
  });
}

beforeAll(async () => {
  system = await startSystemOrReap(testInfra());
  authorization = await mintAuthorizations(system.tokens);
  documented = await documentedOperations(system.urls);
  ids = await seedClue({
    urls: system.urls,
    writer: authorization["complaint:write"],
    commission: authorization.commission,
    send: (request) => send({ caller: "seeding", ...request }),
  });
}, 180_000);
afterAll(async () => {
  await system?.stop();
});

const isProblem = (s: Seen) => s.contentType.startsWith("application/problem+json") && JSON.parse(s.body).status === s.status;

describe("scope matrix: every documented operation × every caller (DESIGN §8)", () => {
  it("classifies every operation the five OpenAPI documents describe, and nothing they do not", () => {
    const keys = documented.map((o) => o.key);
    expect(
      keys.filter((key) => !(key in expectedAccess)),
      "operations to classify in expectedAccess",
    ).toEqual([]);
    expect(Object.keys(expectedAccess).filter((key) => !keys.includes(key as OperationKey))).toEqual([]);
    const undeclared = documented.filter((o) => expectedAccess[o.key]?.auth === "bearer" && !o.security.includes("bearer"));
    expect(
      undeclared.map((o) => o.key),
      "guarded operations whose document does not declare the bearer scheme",
    ).toEqual([]);
  });

  it("serves health, readiness, metrics and the API description to anyone, without a token", async () => {
    for (const service of serviceNames) {
      for (const path of publicPaths) {
        const answer = await send({ caller: "public", url: system.urls[service] + path, method: "GET" });
        expect(answer.status, `${service} ${path}`).toBe(200);
      }
    }
  });

  it.for(Object.entries(expectedAccess) as [OperationKey, Expectation][])("%s", async ([key, expectation]) => {
    const violations: string[] = [];
    for (const caller of callerNames) {
      const answer = await call(key, expectation, caller);
      const want = expectedFor(expectation, caller);
      if (want === "allow") {
        const refused = answer.status === 401 || answer.status === 403;
        if (refused || (expectation.allowedStatus !== undefined && answer.status !== expectation.allowedStatus))
          violations.push(`${caller}: saw ${answer.status}, expected ${expectation.allowedStatus ?? "not 401/403"} (allowed)`);
      } else if (answer.status !== want || !isProblem(answer)) {
        violations.push(`${caller}: saw ${answer.status} ${answer.contentType}, expected ${want} problem`);
      }
    }
    expect(violations, `${key} (${expectation.rule})`).toEqual([]);
  });

  it("authenticates the media webhook by its HMAC signature, and lets a valid one through", async () => {
    const [sender, secret] = ((system.env.MEDIA_WEBHOOK_SENDER_SECRETS as string).split(",")[0] as string).split(":") as [
      string,
      string,
    ];
    const body = "{}";
    const sign = (key: string, timestamp: number) =>
      `sha256=${createHmac("sha256", key).update(`${timestamp}.${body}`).digest("hex")}`;
    const now = Math.floor(Date.now() / 1000);
    const deliver = (headers: Record<string, string>) =>
      send({ caller: "webhook", url: `${system.urls.media}/v1/webhooks/exposures`, method: "POST", body: {}, headers });
    const unsigned = await deliver({});
    const wrongKey = await deliver({
      "x-clueline-sender": sender,
      "x-clueline-timestamp": String(now),
      "x-clueline-signature": sign(randomBytes(32).toString("hex"), now),
    });
    const stale = await deliver({
      "x-clueline-sender": sender,
      "x-clueline-timestamp": String(now - 3_600),
      "x-clueline-signature": sign(secret, now - 3_600),
    });
    for (const refused of [unsigned, wrongKey, stale]) {
      expect(refused.status, refused.body).toBe(401);
      expect(isProblem(refused)).toBe(true);
    }
    const signed = await deliver({
      "x-clueline-sender": sender,
      "x-clueline-timestamp": String(now),
      "x-clueline-signature": sign(secret, now),
    });
    expect(signed.status, "signed, with an empty exposure: authenticated, then refused as invalid").toBe(400);
  });

  it("never shows the seeded clue to a caller who may not see it, public routes included", async () => {
    // Probes and metrics again, now that the sweep has touched the clue under every route.
    for (const service of serviceNames) {
      for (const path of publicPaths) await send({ caller: "public", url: system.urls[service] + path, method: "GET" });
    }
    const sees = (s: Seen) => seesSeededClue.includes(s.caller as TokenCaller);
    expect(
      seen.some((s) => sees(s) && s.body.includes(MARKER)),
      "the clue's words reach those who may see it",
    ).toBe(true);
    const shown = seen
      .filter((s) => s.caller !== "seeding" && !sees(s))
      .filter((s) => s.body.includes(MARKER) || (s.status < 300 && s.body.includes(ids.clueId)))
      .map((s) => `${s.label}: ${s.status}`);
    expect(shown).toEqual([]);
  });

  it("shows the reporter's identity only in the audited reporter read, and audits every such read", async () => {
    const exempt = (s: Seen) => s.operation === REPORTER_ROUTE && identityReaders.includes(s.caller as CallerName);
    const reads = seen.filter(exempt);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.map((r) => r.caller).sort()).toEqual([...identityReaders].sort());
    for (const read of reads) {
      expect(read.status).toBe(200);
      // The summary had the reporter's phone in it: the edge scrubbed it and sealed the original, read back here.
      expect(JSON.parse(read.body)).toEqual({ ...REPORTER, originalText: { summary: expect.stringContaining(REPORTER.phone) } });
    }
    const identity = Object.values(REPORTER);
    const leaks = seen
      .filter((s) => !exempt(s))
      .filter((s) => identity.some((value) => s.body.includes(value)))
      .map((s) => `${s.label}: ${s.status}`);
    expect(leaks, "answers that carry the reporter's identity").toEqual([]);
    expect(system.output.filter((line) => identity.some((value) => line.includes(value)))).toEqual([]);

    const wanted = reads.map((r) => subjectOf(r.caller as TokenCaller)).sort();
    const audited = await eventually("the pii.read audit events", async () => {
      const records = await readTopic({ kafka, topic: `${system.topicPrefix}${auditTopic.name}`, count: 100, timeoutMs: 3_000 });
      const events = records.map((r) => auditTopic.parse(r).data);
      const piiReads = events.filter((e) => e.action === "pii.read" && e.target.id === ids.clueId);
      return piiReads.length >= wanted.length ? { records, piiReads } : undefined;
    });
    expect(audited.piiReads.map((e) => e.actor).sort(), "one pii.read per identity read, by its reader").toEqual(wanted);
    const wire = audited.records.map((r) => `${r.value?.toString()} ${JSON.stringify(r.headers)}`).join("\n");
    for (const value of identity) expect(wire).not.toContain(value);
  });

  it("audits every download of evidence, by its reader", async () => {
    const downloads = seen.filter((s) => s.operation === EVIDENCE_ROUTE && s.status === 200);
    const evidenceReaders = expectedAccess[EVIDENCE_ROUTE]?.auth === "bearer" ? expectedAccess[EVIDENCE_ROUTE].allow : [];
    expect(downloads.map((d) => d.caller).sort()).toEqual([...evidenceReaders].sort());
    const wanted = downloads.map((d) => subjectOf(d.caller as TokenCaller)).sort();
    const reads = await eventually("the evidence.read audit events", async () => {
      const records = await readTopic({ kafka, topic: `${system.topicPrefix}${auditTopic.name}`, count: 100, timeoutMs: 3_000 });
      const events = records.map((r) => auditTopic.parse(r).data).filter((e) => e.action === "evidence.read");
      return events.length >= wanted.length ? events : undefined;
    });
    expect(reads.map((e) => e.actor).sort()).toEqual(wanted);
    for (const read of reads)
      expect(read).toMatchObject({ target: { kind: "clue", id: ids.clueId }, evidenceId: ids.evidenceId });
  });
});
