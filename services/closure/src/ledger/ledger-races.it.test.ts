import { RefusedTransition } from "@clueline/contracts/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../db/database.js";
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
    expect(await countRows(db, "ledger_events where event = 'assignment.accepted'")).toBe(3);
    expect(await countRows(db, "ledger_events where event = 'assignment.progressed'")).toBe(15);
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
    expect(await countRows(db, "ledger_events where event = 'assignment.accepted'")).toBe(rows.length - 1);
    expect(await countRows(db, `assignments where state = 'assigned' and assignment_id = '${foreign.assignment_id}'`)).toBe(1);
    // The acceptance clocks of the accepted assignments are met (written by the group's one statement), the other's runs on.
    expect(await countRows(db, "deadlines where kind = 'accept'")).toBe(rows.length);
    expect(await countRows(db, "deadlines where kind = 'accept' and stage = 'met'")).toBe(rows.length - 1);
    expect(await countRows(db, "assignments where state = 'accepted' and responded_at is not null")).toBe(rows.length - 1);
  });
});

/** A promise to resolve from outside (ES2023 lacks Promise.withResolvers). */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
