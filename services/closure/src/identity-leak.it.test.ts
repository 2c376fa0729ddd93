import { clueRoutedTopic } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { createCapturingLogger } from "@clueline/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRoutedHandler } from "./consume/ledger-handlers.js";
import { eventKey, routedFixture } from "./testing/fixtures.js";
import { createTestApp } from "./testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "./testing/test-databases.js";
import { unitStreamRecordsOf } from "./unit-stream/unit-stream-records.js";

describe.each(testDatabaseEngines())("reporter identity stays sealed on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("never reaches logs, lifecycle events, history, the SSE stream or the unit streams", async () => {
    const { logger, lines } = createCapturingLogger("closure");
    const t = createTestApp(db, { logger });
    const identity = { name: "李四", phone: "13912345678", idNumber: "110105199001011234" };
    const complaintId = `c-${Date.now()}`;
    const sealed = t.sealer.seal(identity, { complaintId });
    const routed = routedFixture({
      complaintId,
      discipline: { lead: "town-a", assist: [], informed: [] },
      reporter: { kind: "real-name", hash: "d".repeat(64), identity: sealed },
    });
    const record = {
      topic: "routed",
      partition: 0,
      offset: "0",
      timestamp: "0",
      ...clueRoutedTopic.serialize(routed, { source: "/t" }),
    };
    await createRoutedHandler({ ledger: t.ledger })({ ...record, value: record.value as Buffer }, { logger, attempt: 1 });
    const read = await t.call(["unit:town-a", "pii:read"], `/v1/clues/${routed.decision.clueId}/reporter`);
    expect(await read.json()).toEqual(identity);
    const detail = await (await t.call(["unit:town-a"], `/v1/clues/${routed.decision.clueId}`)).text();
    const stream = t.call(["unit:town-a"], "/v1/stream");
    const reader = ((await stream).body as ReadableStream<Uint8Array>).getReader();
    const firstEvent = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const events = await db.query<{ payload: unknown; event_id: string }>(
      "select payload, event_id from ledger_log where stream = 'lifecycle'",
    );
    // What the relay writes to the unit streams for these events, byte for byte.
    const time = new Date().toISOString();
    const unitRecords = events.rows.flatMap((row) => {
      const records = unitStreamRecordsOf({ payload: row.payload, eventId: row.event_id, time, source: "/t", prefix: "" });
      if (records instanceof Error) throw records;
      return records.map((record) => ({ value: String(record.value), headers: record.headers }));
    });
    expect(unitRecords.length).toBeGreaterThan(0);

    const secrets = [identity.name, identity.phone, identity.idNumber, sealed.ciphertext, "d".repeat(64)];
    for (const [where, text] of [
      ["logs", lines.join("\n")],
      ["history", detail],
      ["stream", firstEvent],
      ["lifecycle events", JSON.stringify(events.rows)],
      ["unit streams", JSON.stringify(unitRecords)],
    ] as const) {
      for (const secret of secrets) expect(text.includes(secret), `${where} must not contain ${secret.slice(0, 6)}…`).toBe(false);
    }
    expect(lines.length).toBeGreaterThan(0);
  });

  it("opens the identity and the original text bound to the clue's complaint, and never a seal moved from another", async () => {
    const t = createTestApp(db);
    const identity = { name: "李四", phone: "13912345678" };
    const open = async (sealedFor: string, complaintId: string) => {
      const routed = routedFixture({
        complaintId,
        discipline: { lead: "town-a", assist: [], informed: [] },
        text: "我是[举报人]，电话[联系方式]",
        reporter: { kind: "real-name", hash: "d".repeat(64), identity: t.sealer.seal(identity, { complaintId: sealedFor }) },
        sealedOriginal: t.sealer.sealOriginal({ summary: "我是李四，电话13912345678" }, { complaintId: sealedFor }),
      });
      await t.ledger.applyRouted({ key: eventKey(), routed });
      return t.call(["unit:town-a", "pii:read"], `/v1/clues/${routed.decision.clueId}/reporter`);
    };
    const own = await open("c-own", "c-own");
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ ...identity, originalText: { summary: "我是李四，电话13912345678" } });
    const moved = await open("c-elsewhere", "c-here");
    expect(moved.status).toBe(500);
    expect(await moved.text()).not.toContain("李四");
    const audits = await db.query("select 1 from ledger_log where stream = 'audit'");
    expect(audits.rows).toHaveLength(1);
  });
});
