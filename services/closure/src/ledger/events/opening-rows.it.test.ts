import type { ClueRouted, LifecycleActor } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { ulid } from "ulid";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { anonymousReporter, createTestLedger, eventKey, routedFixture } from "../../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../../testing/test-databases.js";
import { planOpening } from "../plan-opening.js";
import type { LedgerEvent } from "./ledger-event.js";

const ROUTER: LifecycleActor = { kind: "system", id: "router" };

/** Openings of every shape the routing writes: both reporters, both tracks, a transfer out, a triage. */
function openings(): Record<"discipline" | "service" | "offset" | "transfer" | "triage", ClueRouted> {
  return {
    discipline: routedFixture(),
    service: routedFixture({
      nature: "service",
      discipline: null,
      service: { lead: "dept-market", coLeads: ["dept-tax-local"], informed: ["dept-biz"] },
      reporter: anonymousReporter().reporter,
      channel: "intake",
    }),
    // Not in toISOString()'s form: kept in the payload as given.
    offset: routedFixture({ receivedAt: "2026-03-02T09:58:00+08:00", channel: "media" }),
    transfer: routedFixture({ discipline: null, transfer: { to: "city-commission", alsoTo: [], informed: ["dc"] } }),
    triage: routedFixture({
      nature: "unclassified",
      categories: [],
      discipline: { lead: "dc", assist: [], informed: [] },
    }),
  };
}

/** The router's new decision for the classified triage clue, as classification.it.test.ts makes it. */
function reroutingOf(opening: ClueRouted): ClueRouted {
  return {
    complaint: opening.complaint,
    decision: {
      ...opening.decision,
      decisionId: ulid(),
      nature: "discipline",
      categories: ["bribe-demand"],
      subjects: { departments: ["dept-market"], towns: ["chengguan"] },
      discipline: { lead: "town-chengguan", assist: [], informed: ["dc"] },
      reroute: { of: opening.decision.decisionId, cause: "classification" },
    },
  };
}

describe.each(testDatabaseEngines())("an opening read from its clue and assignment rows on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  const log = async (clueId: string) =>
    (
      await db.query<{ seq: string; part: number; payload: Record<string, unknown> }>(
        "select seq::text, part, payload from ledger_log where clue_id = $1 and stream = 'lifecycle' order by ledger_log.seq, part",
        [clueId],
      )
    ).rows;

  it("reads back the events as planned, and as at the opening after the clue and its assignments change", async () => {
    const { ledger, clock, deadlines } = createTestLedger(db);
    const routed = openings();
    const now = clock.now();
    await ledger.applyRoutedBatch(Object.values(routed).map((r) => ({ key: eventKey(), routed: r })));

    const opened = new Map<string, Awaited<ReturnType<typeof log>>>();
    for (const [name, r] of Object.entries(routed)) {
      const { clueId } = r.decision;
      const rows = await log(clueId);
      const planned: LedgerEvent[] = planOpening({ now, actor: ROUTER, deadlines }, r).events;
      // Assignment ids are drawn anew by each plan: the stored one stands in, and must be one of the clue's rows.
      const expected = planned.map((event, index) => {
        const read = rows[index]?.payload as { assignment?: { assignmentId: string } } | undefined;
        return event.event === "assignment.assigned" && read?.assignment
          ? { ...event, assignment: { ...event.assignment, assignmentId: read.assignment.assignmentId } }
          : event;
      });
      expect(
        rows.map((row) => row.payload),
        name,
      ).toStrictEqual(expected);
      const { rows: ids } = await db.query<{ assignment_id: string }>(
        "select assignment_id from assignments where clue_id = $1 order by assignment_id",
        [clueId],
      );
      const logged = rows.flatMap((row) => (row.payload.assignment as { assignmentId?: string })?.assignmentId ?? []);
      expect(
        ids.map((row) => row.assignment_id),
        name,
      ).toEqual([...logged].sort());
      opened.set(clueId, rows);
    }

    // What each opening row stores: only what no other row holds for good.
    const { rows: stored } = await db.query<{ clue_id: string; payload: Record<string, unknown>; assigned: object[] | null }>(
      "select clue_id, payload, assigned from ledger_events where event = 'clue.opened'",
    );
    expect(stored).toHaveLength(5);
    for (const row of stored) {
      for (const key of ["complaintId", "channel", "reporterKind"]) expect(row.payload).not.toHaveProperty(key);
      expect(Object.keys(row.payload)).toEqual(expect.arrayContaining(["nature", "categories", "subjects", "transfer"]));
      expect(row.payload.receivedAt).toBe(
        row.clue_id === routed.offset.decision.clueId ? "2026-03-02T09:58:00+08:00" : undefined,
      );
      for (const folded of row.assigned ?? []) {
        expect(Object.keys(folded).sort()).toEqual(["acceptDueOn", "assignmentId", "concludeDueOn", "eventId"]);
      }
    }

    // Then the clue and its assignments change: the triage clue is classified and routed again, a lead accepts and
    // disposes (its conclusion clock set), an assist's accept clock is extended.
    clock.advanceHours(2);
    const triage = routed.triage.decision.clueId;
    await ledger.classify({ clueId: triage, category: "bribe-demand", subject: "insp-1" });
    expect(await ledger.applyRouted({ key: eventKey(), routed: reroutingOf(routed.triage) })).toBe("rerouted");
    const assignment = async (clueId: string, unitId: string) => {
      const { rows } = await db.query<{ assignment_id: string }>(
        "select assignment_id from assignments where clue_id = $1 and unit_id = $2",
        [clueId, unitId],
      );
      return String(rows[0]?.assignment_id);
    };
    const discipline = routed.discipline.decision.clueId;
    const lead = await assignment(discipline, "town-chengguan");
    await ledger.act({ assignmentId: lead, unitId: "town-chengguan", subject: "insp", act: { action: "accept" } });
    const disposal = { action: "dispose", disposition: "preliminary-check", complex: false } as const;
    await ledger.act({ assignmentId: lead, unitId: "town-chengguan", subject: "insp", act: disposal });
    const assist = await assignment(discipline, "team-1");
    const asked = await ledger.requestExtension({
      assignmentId: assist,
      unitId: "team-1",
      subject: "insp",
      kind: "accept",
      workingDays: 3,
      reason: "需调取外地材料",
    });
    await ledger.decideExtension({ requestId: asked.requestId, decision: "grant", subject: "insp-2" });

    // The rows did change (else this would prove nothing)...
    const { rows: clue } = await db.query("select nature, categories, towns, departments from clues where clue_id = $1", [
      triage,
    ]);
    expect(clue[0]).toMatchObject({ nature: "discipline", categories: ["bribe-demand"], departments: ["dept-market"] });
    const { rows: dues } = await db.query<{ assignment_id: string; accept_due_on: string; conclude_due_on: string | null }>(
      "select assignment_id, accept_due_on::text, conclude_due_on::text from assignments where assignment_id = any($1)",
      [[lead, assist]],
    );
    const assigned = (opened.get(discipline) ?? []).map((row) => row.payload);
    const atOpening = (id: string) => assigned.find((e) => (e.assignment as { assignmentId: string })?.assignmentId === id);
    expect(dues.find((d) => d.assignment_id === assist)?.accept_due_on).not.toBe(atOpening(assist)?.acceptDueOn);
    expect(dues.find((d) => d.assignment_id === lead)?.conclude_due_on).not.toBe(atOpening(lead)?.concludeDueOn);

    // ...and each opening still reads as it did.
    for (const [clueId, rows] of opened) {
      const now = await log(clueId);
      expect(now.slice(0, rows.length)).toStrictEqual(rows);
    }
  });

  it("reads a row stored whole (before migration 018, or by an older closure) as written, whatever the rows hold", async () => {
    const { ledger } = createTestLedger(db);
    const routed = routedFixture();
    await ledger.applyRouted({ key: eventKey(), routed });
    const [opening = {}, ...assignments] = (await log(routed.decision.clueId)).map((row) => row.payload);
    // Values the clue and assignment rows do not hold: only the stored ones may come back.
    const whole: Record<string, unknown> = {
      ...opening,
      complaintId: "c-older",
      channel: "media",
      receivedAt: "2026-03-02T09:58:00+08:00",
    };
    const folded = assignments.map((event, n) => ({
      eventId: `older-${n}`,
      assignment: { ...(event.assignment as object), unitId: `unit-${n}` },
      cause: "transfer",
      acceptDueOn: event.acceptDueOn,
      concludeDueOn: event.concludeDueOn,
    }));
    await db.query(
      `insert into ledger_events (event_id, stream, clue_id, event, payload, assigned, actor, occurred_at)
       values ('older', 'lifecycle', $1, 'clue.opened', $2, $3, 'router', $4)`,
      [routed.decision.clueId, JSON.stringify(whole), JSON.stringify(folded), whole.occurredAt],
    );
    const { rows } = await db.query<{ payload: Record<string, unknown> }>(
      `select l.payload from ledger_log l join ledger_events e using (seq) where e.event_id = 'older' order by l.part`,
    );
    expect(rows.map((row) => row.payload)).toStrictEqual([
      whole,
      ...folded.map(({ eventId: _id, ...own }) => ({
        ...own,
        event: "assignment.assigned",
        clueId: routed.decision.clueId,
        occurredAt: whole.occurredAt,
        actor: whole.actor,
      })),
    ]);
  });

  it("refuses to change a column an opening is read from, and lets the others change", async () => {
    const { ledger } = createTestLedger(db);
    const routed = routedFixture();
    await ledger.applyRouted({ key: eventKey(), routed });
    const { clueId } = routed.decision;
    for (const column of ["clue_id", "complaint_id", "channel", "received_at", "reporter_kind"]) {
      await expect(db.query(`update clues set ${column} = ${column} where clue_id = $1`, [clueId]), column).rejects.toThrow(
        /ledger_log/,
      );
    }
    for (const column of ["assignment_id", "unit_id", "role", "track", "cause"]) {
      await expect(db.query(`update assignments set ${column} = ${column} where clue_id = $1`, [clueId]), column).rejects.toThrow(
        /ledger_log/,
      );
    }
    await db.query("update clues set nature = nature, categories = categories where clue_id = $1", [clueId]);
    await db.query("update assignments set accept_due_on = accept_due_on where clue_id = $1", [clueId]);
  });
});
