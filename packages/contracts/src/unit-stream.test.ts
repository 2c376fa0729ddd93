import { Kafka as CloudEventsKafka } from "cloudevents";
import { describe, expect, it } from "vitest";
import { unitClueTopic } from "./clue-routed.js";
import { PoisonRecord } from "./errors.js";
import { newId } from "./ids.js";
import { parseUnitStreamRecord, UnitChangeKind, type UnitClueChanged, unitChangeTopic } from "./unit-stream.js";
import { createUnitStreamView } from "./unit-stream-view.js";

const transferredIn: UnitClueChanged = {
  unitId: "town-xiliu",
  clueId: "clue-1",
  change: "assignment.assigned",
  effect: "given",
  role: "lead",
  assignment: { assignmentId: "a-2", unitId: "town-xiliu", role: "lead", track: "discipline" },
  cause: "transfer",
  occurredAt: "2026-03-02T02:00:00.000Z",
};

const recordOf = (data: UnitClueChanged, id = newId(), source = `/clueline/closure/units/${data.unitId}`) =>
  unitChangeTopic(data.unitId, "t-").serialize(data, { source, id, time: data.occurredAt });

describe("unit-stream records", () => {
  it("are binary-mode CloudEvents the official SDK reads, keyed by clue id on the unit's topic", () => {
    const topic = unitChangeTopic("town-xiliu", "t-");
    expect(topic.name).toBe("t-clueline.unit.town-xiliu.v1");
    const record = recordOf(transferredIn);
    expect(record.key).toBe("clue-1");
    const message = { key: record.key ?? "", value: record.value, headers: record.headers, body: record.value };
    expect(CloudEventsKafka.isEvent(message)).toBe(true);
    const event = CloudEventsKafka.toEvent(message);
    const single = Array.isArray(event) ? event[0] : event;
    expect(single?.type).toBe("clueline.unit.clue-changed");
    expect(single?.id).toBe(record.headers.ce_id);
    expect(single?.subject).toBe("clue-1");
    expect(single?.data).toEqual(transferredIn);
  });

  it("name their change by any lifecycle kind, and only those", () => {
    expect(UnitChangeKind.options).toContain("assignment.transferred");
    expect(UnitChangeKind.options).toContain("clue.informed");
    expect(UnitChangeKind.options).toContain("deadline.supervision-ordered");
    expect(UnitChangeKind.safeParse("clue.vanished").success).toBe(false);
  });

  it("are told apart from the router's records by ce_type; an unknown type is skipped, a bad payload is poison", () => {
    const changed = parseUnitStreamRecord(recordOf(transferredIn));
    expect(changed?.type).toBe("clueline.unit.clue-changed");
    expect(changed?.event.data).toEqual(transferredIn);
    const routed = unitClueTopic("town-xiliu").serialize(
      {
        unitId: "town-xiliu",
        clueId: "clue-1",
        complaintId: "c-1",
        decisionId: newId(),
        roles: [{ track: "discipline", role: "lead" }],
        nature: "discipline",
        categories: [],
        subjects: { departments: [], towns: [] },
        reasons: [{ rule: 4, detail: "town subject xiliu" }],
        mergedInto: null,
        decidedAt: "2026-03-02T02:00:00.000Z",
        complaint: {
          channel: "hotline",
          receivedAt: "2026-03-02T02:00:00.000Z",
          text: "x",
          evidence: [],
          reporterKind: "anonymous",
        },
      },
      { source: "/clueline/router/units/town-xiliu" },
    );
    expect(parseUnitStreamRecord(routed)?.type).toBe("clueline.unit.clue");
    const record = recordOf(transferredIn);
    expect(parseUnitStreamRecord({ ...record, headers: { ...record.headers, ce_type: "clueline.unit.other" } })).toBeNull();
    const bad = { ...record, value: Buffer.from(JSON.stringify({ ...transferredIn, effect: "stolen" })) };
    expect(() => parseUnitStreamRecord(bad)).toThrow(PoisonRecord);
  });
});

describe("createUnitStreamView", () => {
  it("rebuilds clue ids and roles, applying each event once however often it is delivered", () => {
    const view = createUnitStreamView();
    const routed = {
      ...transferredIn,
      unitId: "dc",
      change: "clue.opened",
      effect: "informed",
      role: "informed",
      assignment: null,
    } as const;
    const supervised = {
      ...routed,
      change: "deadline.supervision-ordered",
      effect: "given",
      role: "supervisor",
      orderId: "o-1",
    } as const;
    const events = [routed, supervised].map((data) => unitChangeTopic("dc").parse(recordOf(data)));
    for (const event of [...events, ...events]) view.apply(event);
    expect(view.apply(events[0] as (typeof events)[0])).toBe(false);
    const taken = { ...transferredIn, unitId: "dc", effect: "taken", role: null, clueId: "clue-2", to: "town-a" } as const;
    view.apply(unitChangeTopic("dc").parse(recordOf(taken)));
    expect(view.clues()).toEqual([
      { clueId: "clue-1", roles: ["informed", "supervisor"] },
      { clueId: "clue-2", roles: [] },
    ]);
  });

  it("tells events apart by source and id: one ledger event on two units' streams is two records", () => {
    const view = createUnitStreamView();
    const id = newId();
    const a = unitChangeTopic("town-a").parse(recordOf({ ...transferredIn, unitId: "town-a" }, id));
    const b = unitChangeTopic("town-b").parse(recordOf({ ...transferredIn, unitId: "town-b", role: "assist" }, id));
    expect([view.apply(a), view.apply(b)]).toEqual([true, true]);
    expect(view.clues()).toEqual([{ clueId: "clue-1", roles: ["assist", "lead"] }]);
  });
});
