import { lifecycleTopic, unitChangeTopic } from "@clueline/contracts";
import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../ledger/events/ledger-event.js";
import { unitChangesOf } from "./unit-stream-kinds.js";
import { UnitStreamSkipped, unitStreamRecordsOf } from "./unit-stream-records.js";

const base = { clueId: "clue-1", occurredAt: "2026-03-02T02:00:00.000Z", actor: { kind: "unit", id: "town-a" } } as const;
const assignment = { assignmentId: "a-1", unitId: "town-a", role: "lead", track: "discipline" } as const;
const deadline = { kind: "accept", dueOn: "2026-03-09", assignmentId: "a-1", unitId: "town-a" } as const;

describe("unitChangesOf", () => {
  it("gives the new unit a transfer's work and takes it from the old one, each on its own stream", () => {
    const out: LedgerEvent = {
      ...base,
      event: "assignment.transferred",
      assignment,
      from: "accepted",
      to: "transferred",
      target: "town-b",
      scope: "unit",
    };
    const into: LedgerEvent = {
      ...base,
      event: "assignment.assigned",
      assignment: { ...assignment, assignmentId: "a-2", unitId: "town-b" },
      cause: "transfer",
      acceptDueOn: "2026-03-09",
      concludeDueOn: null,
    };
    const at = { clueId: base.clueId, occurredAt: base.occurredAt };
    expect([...unitChangesOf(out), ...unitChangesOf(into)]).toEqual([
      { ...at, unitId: "town-a", change: "assignment.transferred", effect: "taken", role: null, assignment, to: "town-b" },
      {
        ...at,
        unitId: "town-b",
        change: "assignment.assigned",
        effect: "given",
        role: "lead",
        assignment: { ...assignment, assignmentId: "a-2", unitId: "town-b" },
        cause: "transfer",
      },
    ]);
  });

  it("informs the units a clue's opening or classification informs, and puts the supervisor and the late unit on an order", () => {
    const opened = unitChangesOf({ ...base, event: "clue.informed", units: ["dc", "team-1"], cause: "classification" });
    expect(opened.map((c) => [c.unitId, c.effect, c.role])).toEqual([
      ["dc", "informed", "informed"],
      ["team-1", "informed", "informed"],
    ]);
    const ordered = unitChangesOf({
      ...base,
      event: "deadline.supervision-ordered",
      deadline,
      to: "dc",
      orderId: "o-1",
      answerDueOn: "2026-03-17",
    });
    expect(ordered.map((c) => [c.unitId, c.effect, c.role, c.orderId])).toEqual([
      ["dc", "given", "supervisor", "o-1"],
      ["town-a", "given", null, "o-1"],
    ]);
  });

  it("takes a reassigned return's work from the returning unit and gives an upheld one back to it", () => {
    const decided = { ...base, event: "assignment.return-decided", assignment, returnId: "r-1", kind: "return" } as const;
    const reassigned = unitChangesOf({
      ...decided,
      from: "returned",
      to: "reassigned",
      decision: "reassigned",
      reassignedTo: "town-b",
    });
    expect(reassigned.map((c) => [c.unitId, c.effect, c.role, c.to])).toEqual([["town-a", "taken", null, "town-b"]]);
    const upheld = unitChangesOf({ ...decided, from: "returned", to: "assigned", decision: "upheld", reassignedTo: null });
    expect(upheld.map((c) => [c.unitId, c.effect, c.role, c.cause])).toEqual([["town-a", "given", null, "upheld-return"]]);
  });

  it("sends nothing for a kind without an entry, such as a disposal or the escalation itself", () => {
    expect(unitChangesOf({ ...base, event: "clue.escalated", to: "dc" })).toEqual([]);
    const returned = { ...base, event: "assignment.returned", assignment, from: "assigned", to: "returned" } as const;
    expect(unitChangesOf({ ...returned, returnId: "r-1", kind: "return", reviewer: "dc" })).toEqual([]);
    expect(unitChangesOf({ ...base, event: "assignment.progressed", assignment, from: "accepted", to: "in-progress" })).toEqual(
      [],
    );
  });
});

describe("unitStreamRecordsOf", () => {
  it("builds the same bytes and ce_id on every call, with one source per unit", () => {
    const payload = { ...base, event: "clue.informed", units: ["dc", "team-1"], cause: "classification" };
    const options = {
      payload,
      eventId: "01JZ0000000000000000000000",
      time: base.occurredAt,
      source: "/clueline/closure",
      prefix: "p-",
    };
    const first = unitStreamRecordsOf(options);
    expect(first).toEqual(unitStreamRecordsOf(options));
    if (first instanceof UnitStreamSkipped) throw first;
    expect(first.map((r) => [r.topic, r.headers.ce_source, r.headers.ce_id])).toEqual([
      ["p-clueline.unit.dc.v1", "/clueline/closure/units/dc", options.eventId],
      ["p-clueline.unit.team-1.v1", "/clueline/closure/units/team-1", options.eventId],
    ]);
    expect(unitChangeTopic("dc").parse(first[0] as (typeof first)[0]).data.unitId).toBe("dc");
    expect(lifecycleTopic.schema.safeParse(payload).success).toBe(true);
  });

  it("says so when a stored event that names units does not parse, and ignores events no unit hears of", () => {
    const options = { eventId: "01JZ0000000000000000000000", time: base.occurredAt, source: "/c", prefix: "" };
    expect(unitStreamRecordsOf({ ...options, payload: { ...base, event: "clue.informed", units: [] } })).toBeInstanceOf(
      UnitStreamSkipped,
    );
    expect(unitStreamRecordsOf({ ...options, payload: { ...base, event: "deadline.reminder" } })).toEqual([]);
  });
});
