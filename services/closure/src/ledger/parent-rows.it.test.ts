import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestLedger, eventKey, routedFixture } from "../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import { insertAssignmentsFrom } from "./assignments/assignments-table.js";
import { insertClueUnitsFrom } from "./clues/clue-units-table.js";
import { insertDeadlinesFrom } from "./deadlines/deadline-rows.js";
import { noRowsWithoutParent, rowsWithoutParent } from "./parent-rows.js";

describe.each(testDatabaseEngines())("rows without their parent on $engine", ({ open }) => {
  let handle: TestDatabase;
  beforeEach(async () => {
    handle = await open();
  });
  afterEach(() => handle.drop());

  it("are none after openings, and each link's orphan is counted (no foreign key refuses it)", async () => {
    const { db } = handle;
    const { ledger } = createTestLedger(db);
    const routed = routedFixture({ discipline: { lead: "town-a", assist: ["team-1"], informed: ["dc"] } });
    await ledger.applyRoutedBatch([{ key: eventKey(), routed }]);
    expect(await rowsWithoutParent(db)).toEqual(noRowsWithoutParent);
    const [row] = (await db.query<{ n: string | number }>("select count(*) as n from assignments")).rows;
    expect(Number(row?.n)).toBe(2);

    // Rows as the owners write them, copied from the clue's own and pointed at parents that do not exist.
    const copy = async (table: string, change: Record<string, string | null>) => {
      const [original] = (await db.query<{ row: unknown }>(`select to_jsonb(t) as row from ${table} t limit 1`)).rows;
      const row = (typeof original?.row === "string" ? JSON.parse(original.row) : original?.row) as Record<string, unknown>;
      // The clocks' insert names its owners as DeadlineOwner does.
      const owners = { clueId: row.clue_id, assignmentId: row.assignment_id, unitId: row.unit_id };
      return JSON.stringify([{ ...row, ...owners, ...change }]);
    };
    await db.query(insertAssignmentsFrom("$1"), [
      await copy("assignments", { assignment_id: "orphan", clue_id: "no-such-clue" }),
    ]);
    await db.query(insertDeadlinesFrom("$1"), [await copy("deadlines", { assignmentId: "no-such-assignment" })]);
    await db.query(insertDeadlinesFrom("$1"), [await copy("deadlines", { clueId: "no-such-clue", assignmentId: null })]);
    await db.query(insertClueUnitsFrom("$1"), [await copy("clue_units", { clue_id: "no-such-clue" })]);
    expect(await rowsWithoutParent(db)).toEqual({
      "assignment → clue": 1,
      "clock → clue": 1,
      "clock → assignment": 1,
      "visibility → clue": 1,
    });
    // The database's drop checks this too: leave it sound.
    await db.query("delete from deadlines where clue_id = 'no-such-clue' or assignment_id = 'no-such-assignment'");
    await db.query("delete from assignments where assignment_id = 'orphan'");
    await db.query("delete from clue_units where clue_id = 'no-such-clue'");
    expect(await rowsWithoutParent(db)).toEqual(noRowsWithoutParent);
  });
});
