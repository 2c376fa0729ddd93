import { RefusedTransition } from "@clueline/contracts/errors";
import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestLedger, eventKey, routedFixture } from "../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import { countRows } from "../testing/until.js";
import { AssignmentNotFound } from "./ledger-errors.js";

describe.each(testDatabaseEngines())("concurrent actions on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("lets exactly one of two racing acceptances through and loses no concurrent change", async () => {
    const { ledger } = createTestLedger(db);
    const routed = routedFixture({ discipline: { lead: "town-a", assist: ["team-1", "team-2"], informed: [] } });
    await ledger.applyRouted({ key: eventKey(), routed });
    const { rows } = await db.query<{ assignment_id: string; unit_id: string }>("select assignment_id, unit_id from assignments");
    const act = (row: { assignment_id: string; unit_id: string }, action: object) =>
      ledger.act({ assignmentId: row.assignment_id, unitId: row.unit_id, subject: "i", act: action as never });

    const lead = rows.find((row) => row.unit_id === "town-a") as { assignment_id: string; unit_id: string };
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => act(lead, { action: "accept" })));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === "rejected")) {
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(RefusedTransition);
    }
    // A change in flight holds the clue and has moved the assist on; an action that waited for it must see that.
    const assist = rows.find((row) => row.unit_id === "team-1") as { assignment_id: string; unit_id: string };
    const gate = signal();
    const held = signal();
    const inFlight = db.transaction(async (tx) => {
      await tx.query("select 1 from clues where clue_id = $1 for update", [routed.decision.clueId]);
      await tx.query("update assignments set state = 'accepted' where assignment_id = $1", [assist.assignment_id]);
      held.resolve();
      await gate.promise;
    });
    await held.promise;
    const waiting = act(assist, { action: "accept" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    gate.resolve();
    await inFlight;
    await expect(waiting).rejects.toBeInstanceOf(RefusedTransition);
    await db.query("update assignments set state = 'assigned' where assignment_id = $1", [assist.assignment_id]);

    // Every assignment of the clue at once, several times each: all land, in one order per clue.
    await Promise.all(rows.flatMap((row) => [act(row, { action: "accept" }).catch(() => undefined)]));
    await Promise.all(rows.flatMap((row) => Array.from({ length: 5 }, () => act(row, { action: "progress", note: "n" }))));
    expect(await countRows(db, "ledger_log where event = 'assignment.accepted'")).toBe(3);
    expect(await countRows(db, "ledger_log where event = 'assignment.progressed'")).toBe(15);
    expect(await countRows(db, "assignments where state = 'in-progress'")).toBe(3);
  });

  it("answers each action of a group commit on its own: a refused one changes nothing of the others", async () => {
    const { ledger } = createTestLedger(db);
    for (let n = 0; n < 30; n++) {
      const routed = routedFixture({ discipline: { lead: `town-${n % 5}`, assist: ["team-1"], informed: [] } });
      await ledger.applyRouted({ key: eventKey(), routed });
    }
    const { rows } = await db.query<{ assignment_id: string; unit_id: string }>(
      "select assignment_id, unit_id from assignments order by assignment_id",
    );
    // 60 acceptances at once (enough to queue behind the first group), with two bad ones among them: one for an
    // assignment of another unit, one accepting the same assignment twice.
    const twice = rows[7] as { assignment_id: string; unit_id: string };
    const foreign = rows[20] as { assignment_id: string; unit_id: string };
    const outcomes = await Promise.allSettled([
      ...rows.map((row) =>
        ledger.act({
          assignmentId: row.assignment_id,
          unitId: row === foreign ? "town-elsewhere" : row.unit_id,
          subject: "i",
          act: { action: "accept" },
        }),
      ),
      ledger.act({ assignmentId: twice.assignment_id, unitId: twice.unit_id, subject: "i", act: { action: "accept" } }),
    ]);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected").map((o) => o.reason);
    expect(refused).toHaveLength(2);
    expect(refused.some((reason) => reason instanceof AssignmentNotFound)).toBe(true);
    expect(refused.some((reason) => reason instanceof RefusedTransition)).toBe(true);
    expect(await countRows(db, "assignments where state = 'accepted'")).toBe(rows.length - 1);
    expect(await countRows(db, "ledger_log where event = 'assignment.accepted'")).toBe(rows.length - 1);
    expect(await countRows(db, `assignments where state = 'assigned' and assignment_id = '${foreign.assignment_id}'`)).toBe(1);
    // The acceptance clocks of the accepted assignments are met (written by the group's one statement), the other's runs on.
    expect(await countRows(db, "deadlines where kind = 'accept'")).toBe(rows.length);
    expect(await countRows(db, "deadlines where kind = 'accept' and stage = 'met'")).toBe(rows.length - 1);
    expect(await countRows(db, "assignments where state = 'accepted' and responded_at is not null")).toBe(rows.length - 1);
  });

  it("writes in a group commit what one action at a time writes: states, clocks, events and their order", async () => {
    const { ledger } = createTestLedger(db);
    // Two sets of the same clues: one lead and an assist; two leads (a service lead and a co-lead); anonymous or not.
    const clueSets: string[][] = [[], []];
    for (const clues of clueSets) {
      for (let n = 0; n < 24; n++) {
        const twoLeads = n % 3 === 1;
        const routed = routedFixture({
          nature: twoLeads ? "service" : "discipline",
          discipline: twoLeads ? null : { lead: `town-${n % 4}`, assist: ["team-1"], informed: [] },
          service: twoLeads ? { lead: "dept-a", coLeads: ["dept-b"], informed: [] } : null,
          ...(n % 2 === 0 ? { reporter: { kind: "anonymous" as const, receiptHash: "b".repeat(64) } } : {}),
        });
        await ledger.applyRouted({ key: eventKey(), routed });
        clues.push(routed.decision.clueId);
      }
    }
    // One at a time, a clue's assist acts before its lead; in groups after it, so an assist's action follows its
    // clue's conclusion in the same group. Per unit, the order of its actions is the same either way.
    const assignmentsOf = async (clues: string[], roleOrder: "asc" | "desc") =>
      (
        await db.query<{ assignment_id: string; unit_id: string }>(
          `select assignment_id, unit_id from assignments where clue_id = any($1::text[])
           order by clue_id, role ${roleOrder}, unit_id`,
          [clues],
        )
      ).rows;
    const act = (row: { assignment_id: string; unit_id: string }, action: object) =>
      ledger.act({ assignmentId: row.assignment_id, unitId: row.unit_id, subject: "i", act: action as never });
    const steps = [
      { action: "accept" },
      { action: "progress", note: "走访核实" },
      { action: "conclude", result: "resolved", summary: "已办结" },
    ];
    const [oneByOne, grouped] = clueSets as [string[], string[]];
    for (const step of steps) for (const row of await assignmentsOf(oneByOne, "asc")) await act(row, step);
    for (const step of steps) await Promise.all((await assignmentsOf(grouped, "desc")).map((row) => act(row, step)));

    // Each clue as its units see it: ids left out, events in the order the ledger logged them.
    const picture = async (clues: string[]) =>
      Promise.all(
        clues.map(async (clueId) => ({
          clue: (await db.query("select state, concluded_at is not null as concluded from clues where clue_id = $1", [clueId]))
            .rows,
          assignments: (
            await db.query(
              `select unit_id, role, state, result, summary, responded_at is not null as responded,
                concluded_at is not null as concluded from assignments where clue_id = $1 order by unit_id`,
              [clueId],
            )
          ).rows,
          clocks: (
            await db.query<{ unit_id: string | null; kind: string }>(
              "select unit_id, kind, stage, next_at is null as stopped from deadlines where clue_id = $1 order by kind, unit_id",
              [clueId],
            )
          ).rows.map((clock) => ({ ...clock, unit_id: clock.kind === "result-notice" ? "first lead" : clock.unit_id })),
          // Per unit in the order logged, and the clue's own events; concurrent actions on one clue may be logged in
          // either order, as they may commit in either order, so the clue's whole order is compared only at its end.
          events: byUnit(
            (
              await db.query<{ event: string; payload: Record<string, unknown> }>(
                "select event, payload from ledger_log where clue_id = $1 order by seq, part",
                [clueId],
              )
            ).rows.map(({ event, payload }) => ({
              event,
              unit: (payload.assignment as { unitId?: string } | undefined)?.unitId ?? "clue",
              from: payload.from ?? null,
              to: payload.to ?? null,
              // In assignment order; a clue's co-leads are assigned in the same instant, in no order of their own.
              leadUnits: (payload.leadUnits as string[] | undefined)?.toSorted() ?? null,
              resultDueOn: payload.resultDueOn ?? null,
            })),
          ),
          // The clue concludes after its last lead does (an assist may still conclude later).
          concludedAfterLeads: (
            await db.query<{ yes: boolean }>(
              `select (select max(seq) from ledger_log where clue_id = $1 and event = 'clue.concluded') >
                 (select max(e.seq) from ledger_log e join assignments a
                    on a.assignment_id = e.payload -> 'assignment' ->> 'assignmentId'
                  where e.clue_id = $1 and e.event = 'assignment.concluded' and a.role = 'lead') as yes`,
              [clueId],
            )
          ).rows[0]?.yes,
        })),
      );
    const expected = await picture(oneByOne);
    expect(await picture(grouped)).toEqual(expected);
    expect(expected.filter((clue) => clue.clue[0]?.state === "concluded")).toHaveLength(24);
    expect(expected.filter((clue) => clue.concludedAfterLeads === true)).toHaveLength(24);
    expect(expected.flatMap((clue) => clue.clocks).filter((c) => c.kind === "result-notice")).toHaveLength(12);
  });

  it("concludes a clue once when an assignment's second action in a group concludes it and a later one checks again", async () => {
    const { ledger } = createTestLedger(db);
    const routed = routedFixture({
      nature: "service",
      discipline: null,
      service: { lead: "dept-a", coLeads: ["dept-b"], informed: [] },
    });
    await ledger.applyRouted({ key: eventKey(), routed });
    const { clueId } = routed.decision;
    const { rows } = await db.query<{ assignment_id: string; unit_id: string }>(
      "select assignment_id, unit_id from assignments where clue_id = $1",
      [clueId],
    );
    const act = (unitId: string, action: object) => {
      const row = rows.find((candidate) => candidate.unit_id === unitId) as { assignment_id: string };
      return ledger.act({ assignmentId: row.assignment_id, unitId, subject: "i", act: action as never });
    };
    for (const action of [
      { action: "accept" },
      { action: "progress", note: "n" },
      { action: "conclude", result: "resolved", summary: "s" },
    ]) {
      await act("dept-a", action);
    }
    // The first runs alone; the other three queue behind it and run as one group: dept-b's conclusion (its second
    // action there) concludes the clue, and dept-a's notice then finds its lead finished and checks the clue again.
    await Promise.all([
      act("dept-b", { action: "accept" }),
      act("dept-b", { action: "progress", note: "n" }),
      act("dept-b", { action: "conclude", result: "resolved", summary: "s" }),
      act("dept-a", { action: "notify" }),
    ]);
    expect(await countRows(db, `ledger_log where clue_id = '${clueId}' and event = 'clue.concluded'`)).toBe(1);
    expect(await countRows(db, `ledger_log where clue_id = '${clueId}' and event = 'clue.reporter-notified'`)).toBe(1);
    expect(await countRows(db, `deadlines where clue_id = '${clueId}' and kind = 'result-notice'`)).toBe(1);
    expect(await countRows(db, `clues where clue_id = '${clueId}' and state = 'concluded'`)).toBe(1);
  });
});

/** Events by the unit whose assignment they concern ("clue" for the clue's own), each list in logged order. */
function byUnit<E extends { unit: string }>(events: E[]): Record<string, E[]> {
  const units: Record<string, E[]> = {};
  for (const event of events) units[event.unit] = [...(units[event.unit] ?? []), event];
  return units;
}

/** A promise to resolve from outside (ES2023 lacks Promise.withResolvers). */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
