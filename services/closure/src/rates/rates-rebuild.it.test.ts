import { createPublisher } from "@clueline/bus";
import { lifecycleTopic } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { createTestKafka, createTestTopics, readTopic } from "@clueline/testing";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutboxRelay } from "../outbox/outbox-relay.js";
import type { ClueDetail } from "../queries/views.js";
import { eventKey, routedFixture } from "../testing/fixtures.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import { rankSubjects } from "./ranking.js";
import { createRatesProjection } from "./rates-projection.js";

const logger = pino({ level: "silent" });

describe.each(testDatabaseEngines())("rates on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("serves the three rates and the ranking, and a downstream fold of the lifecycle topic gets the same", async () => {
    const t = createTestApp(db);
    const clue = async (lead: string, towns: string[], departments: string[] = []) => {
      const routed = routedFixture({ discipline: { lead, assist: [], informed: [] }, subjects: { towns, departments } });
      await t.ledger.applyRouted({ key: eventKey(), routed });
      const detail = (await (await t.call([`unit:${lead}`], `/v1/clues/${routed.decision.clueId}`)).json()) as ClueDetail;
      const path = `/v1/assignments/${detail.assignments[0]?.assignmentId}/actions`;
      return { clueId: routed.decision.clueId, act: (body: object) => t.call([`unit:${lead}`], path, { body }) };
    };
    const done = await clue("town-a", ["chengguan"]);
    await done.act({ action: "accept" });
    await done.act({ action: "dispose", disposition: "close" });
    await done.act({ action: "conclude", result: "unsubstantiated", summary: "予以了结" });
    await t.call(["unit:town-a"], `/v1/clues/${done.clueId}/reply`, { body: { reply: "答复" } });
    const tasks = (await (await t.call(["complaint:write"], "/v1/call-backs")).json()) as { items: { taskId: string }[] };
    await t.call(["complaint:write"], `/v1/call-backs/${tasks.items[0]?.taskId}/result`, { body: { result: "satisfied" } });
    await clue("town-a", ["xinzhen"]); // never answered
    const other = await clue("town-b", [], ["dept-market"]);
    await other.act({ action: "accept" });
    t.clock.set("2026-03-20T10:00:00+08:00");

    const response = await t.call(["commission"], "/v1/rates?month=2026-03");
    const { items } = (await response.json()) as { items: unknown[] };
    expect(items).toEqual([
      {
        unitId: "town-a",
        month: "2026-03",
        response: { numerator: 1, denominator: 2, rate: 0.5 },
        resolution: { numerator: 1, denominator: 1, rate: 1 },
        satisfaction: { numerator: 1, denominator: 1, rate: 1 },
      },
      {
        unitId: "town-b",
        month: "2026-03",
        response: { numerator: 1, denominator: 1, rate: 1 },
        resolution: { numerator: 0, denominator: 1, rate: 0 },
        satisfaction: { numerator: 0, denominator: 0, rate: null },
      },
    ]);
    const own = (await (await t.call(["unit:town-a"], "/v1/rates?month=2026-03")).json()) as { items: { unitId: string }[] };
    expect(own.items.map((r) => r.unitId)).toEqual(["town-a"]);
    expect((await t.call(["unit:town-a"], "/v1/rates?month=2026-03&unit=town-b")).status).toBe(403);
    expect((await t.call(["unit:town-a"], "/v1/ranking?month=2026-03")).status).toBe(403);
    const ranking = await (await t.call(["downstream:read"], "/v1/ranking?month=2026-03&size=1")).json();
    expect(ranking).toMatchObject({ red: [{ id: "chengguan", score: 100 }], black: [{ id: "xinzhen", score: 0 }] });

    // A downstream system that knows nothing but the lifecycle topic.
    const kafka = createTestKafka();
    const [lifecycle, audit] = (await createTestTopics(kafka, ["lifecycle", "audit"], 2)) as [string, string];
    const publisher = createPublisher({ kafka, logger });
    const relay = createOutboxRelay({
      db,
      publisher,
      logger,
      topics: { lifecycle, audit },
      source: "/clueline/closure",
      instanceId: "r",
    });
    const total = await relay.relayOnce();
    await publisher.close();
    const records = await readTopic({ kafka, topic: lifecycle, count: total });
    const seen = new Set<string>();
    const downstream = createRatesProjection();
    const byClue = new Map<string, ReturnType<typeof lifecycleTopic.parse>[]>();
    for (const record of records) {
      const event = lifecycleTopic.parse(record);
      if (seen.has(event.attributes.id)) continue;
      seen.add(event.attributes.id);
      byClue.set(event.data.clueId, [...(byClue.get(event.data.clueId) ?? []), event]);
    }
    // Order holds within a clue (one key, one partition); across clues the fold does not care.
    for (const events of byClue.values()) for (const event of events) downstream.apply(event.data);
    const asOf = t.clock.now();
    expect(downstream.unitRates({ month: "2026-03", asOf })).toEqual(items);
    expect(rankSubjects(downstream, { month: "2026-03", asOf, size: 1 })).toEqual(ranking);
  });
});
