import type { ConductPatternDetected, ConductThresholds } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDeadlineScan } from "../deadline-scan/deadline-scan.js";
import { createLedger } from "../ledger/ledger.js";
import {
  createTestClock,
  createTestLedger,
  eventKey,
  routedFixture,
  testDeadlines,
  testSealer,
  testSupervision,
} from "../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import { createConductWatch } from "./conduct-watch.js";

const defaults: ConductThresholds = { enabled: true, windowDays: 30, overdue: 3, dissatisfied: 3, returnsUpheld: 2 };

/** A service complaint about the department, received Monday 2026-03-02: accepted within 5 working days or overdue. */
const serviceClue = (department: string) =>
  routedFixture({
    nature: "service",
    categories: ["approval-delay"],
    subjects: { departments: [department], towns: [] },
    discipline: null,
    service: { lead: department, coLeads: [], informed: ["dept-biz"] },
  });

describe.each(testDatabaseEngines())("conduct from service failures on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  const patterns = async () =>
    (
      await db.query<{ payload: ConductPatternDetected }>(
        "select payload from ledger_log where event = 'conduct.pattern-detected' order by seq, part",
      )
    ).rows.map((row) => row.payload);

  async function setUp(thresholds: ConductThresholds) {
    const { ledger, clock } = createTestLedger(db);
    const conduct = createConductWatch({ thresholds: () => thresholds });
    const scan = createDeadlineScan({ db, commissionUnit: "dc", supervision: testSupervision(), clock: clock.now, conduct });
    const open = async (department: string) => {
      const routed = serviceClue(department);
      await ledger.applyRouted({ key: eventKey(), routed });
      return routed.decision.clueId;
    };
    return { clock, scan, open };
  }

  it("opens one pattern at the third overdue service assignment, then supplements it while it is open", async () => {
    const { clock, scan, open } = await setUp(defaults);
    const first = [await open("dept-market"), await open("dept-market")];
    const other = await open("dept-emergency");
    clock.set("2026-03-10T09:00:00+08:00"); // accept deadlines (03-09) passed
    await scan.scanOnce();
    expect(await patterns()).toEqual([]); // two for dept-market, one elsewhere: below the threshold

    const third = await open("dept-market");
    clock.set("2026-03-20T09:00:00+08:00");
    await scan.scanOnce();
    const [pattern, ...more] = await patterns();
    expect(more).toEqual([]);
    expect(pattern).toMatchObject({ mode: "open", department: "dept-market", kinds: ["overdue"], thresholds: { overdue: 3 } });
    expect(pattern?.evidence.map((f) => f.clueId).sort()).toEqual([...first, third].sort());
    expect(pattern?.evidence.map((f) => f.clueId)).not.toContain(other);
    expect(pattern?.window).toEqual({ from: "2026-02-18T01:00:00.000Z", to: "2026-03-20T01:00:00.000Z", days: 30 });
    const stored = await db.query("select department from conduct_clues where clue_id = $1", [pattern?.clueId]);
    expect(stored.rows).toEqual([{ department: "dept-market" }]);

    // The same assignment missing its conclude clock too counts once; a fourth overdue supplements the open clue.
    clock.set("2026-03-25T09:00:00+08:00");
    await scan.scanOnce();
    expect(await patterns()).toHaveLength(1);
    const fourth = await open("dept-market"); // accept due 04-01; the window still holds the first two
    clock.set("2026-04-02T09:00:00+08:00");
    await scan.scanOnce();
    const [, supplement, ...none] = await patterns();
    expect(none).toEqual([]);
    expect(supplement).toMatchObject({ mode: "supplement", clueId: pattern?.clueId, department: "dept-market" });
    expect(supplement?.evidence.map((f) => f.clueId)).toEqual([fourth]);
  });

  it("writes failures but detects nothing when the directory turns the rule off", async () => {
    const { clock, scan, open } = await setUp({ ...defaults, enabled: false });
    for (let n = 0; n < 4; n++) await open("dept-market");
    clock.set("2026-03-20T09:00:00+08:00");
    await scan.scanOnce();
    expect(await patterns()).toEqual([]);
    const failures = await db.query("select kind, department from service_failures");
    expect(failures.rows).toHaveLength(4);
  });

  it("does not count discipline assignments as service failures", async () => {
    const { ledger, clock } = createTestLedger(db);
    const scan = createDeadlineScan({
      db,
      commissionUnit: "dc",
      supervision: testSupervision(),
      clock: clock.now,
      conduct: createConductWatch({ thresholds: () => defaults }),
    });
    for (let n = 0; n < 3; n++) await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    clock.set("2026-03-20T09:00:00+08:00");
    await scan.scanOnce();
    expect(await patterns()).toEqual([]);
    expect((await db.query("select 1 from service_failures")).rows).toEqual([]);
  });

  it("opens a pattern at the third dissatisfied call-back on the department's service work", async () => {
    const clock = createTestClock();
    const conduct = createConductWatch({ thresholds: () => defaults });
    const ledger = createLedger({
      db,
      deadlines: testDeadlines(),
      commissionUnit: "dc",
      sealer: testSealer(),
      clock: clock.now,
      conduct,
    });
    const clues: string[] = [];
    for (let n = 0; n < 3; n++) {
      const routed = serviceClue("dept-market");
      await ledger.applyRouted({ key: eventKey(), routed });
      const { rows } = await db.query<{ assignment_id: string }>("select assignment_id from assignments where clue_id = $1", [
        routed.decision.clueId,
      ]);
      const act = (a: Parameters<typeof ledger.act>[0]["act"]) =>
        ledger.act({ assignmentId: rows[0]?.assignment_id ?? "", unitId: "dept-market", subject: "clerk", act: a });
      await act({ action: "accept" });
      await act({ action: "dispose", disposition: "handling", complex: false });
      await act({ action: "conclude", result: "resolved", summary: "已办结" });
      await ledger.feedBack({ clueId: routed.decision.clueId, unitId: "dept-market", subject: "clerk", reply: "已办结" });
      expect(await patterns()).toEqual([]);
      await ledger.recordCallBack({ clueId: routed.decision.clueId, operatorId: "op-1", result: "dissatisfied" });
      clues.push(routed.decision.clueId);
      clock.advanceHours(24);
    }
    const [pattern, ...more] = await patterns();
    expect(more).toEqual([]);
    expect(pattern).toMatchObject({ mode: "open", department: "dept-market", kinds: ["dissatisfied"] });
    expect(pattern?.evidence.map((f) => f.clueId)).toEqual(clues);
  });
});
