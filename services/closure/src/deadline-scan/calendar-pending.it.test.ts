import type { ConsumedRecord } from "@clueline/bus";
import { clueRoutedTopic } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type CalendarSource, createWorkingCalendar, loadChineseDaysSource } from "../calendar/index.js";
import { createLedgerBatchHandler } from "../consume/ledger-handlers.js";
import { createCalendarHealth } from "../deadlines/calendar-health.js";
import { createDeadlineClock, defaultDeadlinePolicy } from "../deadlines/deadline-clock.js";
import { createReloadableCalendar } from "../deadlines/reloadable-calendar.js";
import { LedgerEvent } from "../ledger/events/ledger-event.js";
import { createLedger } from "../ledger/ledger.js";
import type { ClueDetail } from "../queries/views.js";
import { anonymousReporter, createTestClock, routedFixture, testSealer, testSupervision } from "../testing/fixtures.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import { countRows } from "../testing/until.js";
import { createDeadlineScan } from "./deadline-scan.js";
import { createPendingDeadlineResolver } from "./pending-deadlines.js";

// The missing year is 2026, taken out of chinese-days' data; "adding" it is an operator file holding the same
// data. So the test needs no invented holidays and keeps working when chinese-days gains 2027.
const library = loadChineseDaysSource();
const MISSING = 2026;
const inMissing = (day: string) => day.startsWith(`${MISSING}-`);
const withoutMissing: CalendarSource = {
  years: new Set([...library.years].filter((year) => year !== MISSING)),
  holidays: new Set([...library.holidays].filter((day) => !inMissing(day))),
  workingDays: new Set([...library.workingDays].filter((day) => !inMissing(day))),
};
const noted = (days: ReadonlySet<string>) =>
  Object.fromEntries([...days].filter(inMissing).map((day) => [day, "国务院办公厅通知 (chinese-days)"]));
const operatorFileWithMissingYear = stringify({
  years: { [MISSING]: { complete: true, holidays: noted(library.holidays), workingDays: noted(library.workingDays) } },
});
const routedTopic = "t-calendar-pending-clueline.clue.routed.v1";

describe.each(testDatabaseEngines())("calendar-pending deadlines on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("records clues whose clocks need a missing year, reports them loudly, and dates them once the year is added", async () => {
    const logs: { level: number; msg: string; year?: number }[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => logs.push(JSON.parse(line)) });
    let fileText = "years: {}\n";
    const { calendar, reload } = await createReloadableCalendar({
      base: withoutMissing,
      file: "local.yaml",
      logger,
      readFile: async () => fileText,
    });
    const clock = createTestClock("2025-12-29T10:00:00+08:00"); // a Monday: 5 working days reach into 2026
    const health = createCalendarHealth({ db, calendar, calendarFile: "local.yaml", logger, clock: clock.now });
    const deadlines = createDeadlineClock({ calendar, policy: defaultDeadlinePolicy, onMissingYear: health.noteMissingYear });
    const ledger = createLedger({ db, deadlines, commissionUnit: "dc", sealer: testSealer(), clock: clock.now });
    const handleBatch = createLedgerBatchHandler({ ledger, routedTopic });

    const realName = routedFixture({ receivedAt: "2025-12-29T01:00:00.000Z" }); // lead + assist + acceptance notice
    const service = routedFixture({
      nature: "service",
      discipline: null,
      service: { lead: "dept-market", coLeads: [], informed: ["dept-biz"] },
      reporter: anonymousReporter().reporter,
    }); // accept (working days) and conclude (7 calendar days: due 2026-01-05, only its reminder day is unknown)
    const media = routedFixture({ channel: "media", reporter: anonymousReporter().reporter }); // 1 working day: 12-30
    const merged = (clueId: string) => routedFixture({ clueId, mergedInto: clueId, discipline: null });
    const supplement = merged(realName.decision.clueId);
    const orphan = merged("01JZZZZZZZZZZZZZZZZZZZZZZZ");
    const records = [realName, service, media, supplement, orphan].map((routed, offset) => ({
      topic: routedTopic,
      partition: 0,
      offset: String(offset),
      timestamp: "0",
      ...clueRoutedTopic.serialize(routed, { source: "/clueline/router", id: routed.decision.decisionId }),
    })) as ConsumedRecord[];
    const { poisoned } = await handleBatch(records, { logger, attempt: 1 });

    // Consumption went on: everything but the merge into an unknown clue is in the ledger.
    expect(poisoned.map((p) => p.record.offset)).toEqual(["4"]);
    expect(await countRows(db, "clues")).toBe(3);
    expect(await countRows(db, "assignments")).toBe(5);
    expect(await countRows(db, "ledger_log where event = 'clue.supplemented'")).toBe(1);
    expect(await countRows(db, "deadlines where calendar_missing_year is not null")).toBe(5);
    // Only a calendar-pending clock keeps its inputs, and none its reminder moment (migration 015: no reader).
    expect(await countRows(db, "deadlines where calendar_missing_year is null")).toBeGreaterThan(0);
    expect(await countRows(db, "deadlines where (calendar_missing_year is null) <> (clock_from is null)")).toBe(0);
    expect(await countRows(db, "deadlines where remind_at is not null")).toBe(0);
    expect(await countRows(db, "assignments where accept_due_on is null")).toBe(3);
    const { rows } = await db.query<{ payload: unknown }>("select payload from ledger_log order by seq, part");
    for (const row of rows) LedgerEvent.parse(typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload);

    // Loud: one error per missing year however many clocks needed it, a degraded report, a gauge; /readyz ready.
    const errors = logs.filter((log) => log.level >= 50);
    expect(errors.map((log) => log.year)).toEqual([MISSING]);
    expect(await health.report()).toMatchObject({
      status: "degraded",
      pendingDeadlines: 5,
      missingYears: [{ year: MISSING, pendingDeadlines: 5 }],
      action: expect.stringContaining(`Add ${MISSING} to local.yaml`),
    });
    const t = createTestApp(db, { calendar });
    expect((await t.app.request("/readyz")).status).toBe(200);
    expect(await (await t.app.request("/health/calendar")).json()).toMatchObject({ status: "degraded", pendingDeadlines: 5 });
    expect(await (await t.app.request("/metrics/calendar")).text()).toContain(
      'clueline_deadlines_pending_calendar{service="closure"} 5',
    );
    const detail = (await (await t.call(["commission"], `/v1/clues/${realName.decision.clueId}`)).json()) as ClueDetail;
    expect(detail.assignments.map((a) => a.acceptDueOn)).toEqual([null, null]);
    expect(detail.deadlines).toHaveLength(3);
    for (const deadline of detail.deadlines) {
      expect(deadline).toMatchObject({ dueOn: null, stage: "pending", calendarPending: { year: MISSING } });
      expect(deadline.calendarPending?.reason).toContain(`no data for ${MISSING}`);
    }

    // Nothing fires for a clock with no date; a bad edit of the file changes nothing and is reported.
    const scan = createDeadlineScan({ db, commissionUnit: "dc", supervision: testSupervision(deadlines), clock: clock.now });
    expect(await scan.scanOnce()).toEqual({ reminders: 0, overdue: 0, escalated: 0 });
    fileText = "years: { 2026: { holidays: { 2026-02-30: x } } }";
    expect(await reload()).toBe(false);
    const resolver = createPendingDeadlineResolver({ db, deadlines, calendar, clock: clock.now });
    expect(await resolver.resolveOnce()).toEqual({ scheduled: 0 });

    // The operator adds the year: the next turn dates every pending clock exactly as the full calendar would.
    fileText = operatorFileWithMissingYear;
    expect(await reload()).toBe(true);
    expect(await resolver.resolveOnce()).toEqual({ scheduled: 5 });
    expect(await resolver.resolveOnce()).toEqual({ scheduled: 0 });
    expect(await health.report()).toMatchObject({ status: "ok", pendingDeadlines: 0, missingYears: [] });
    const full = createDeadlineClock({ calendar: createWorkingCalendar({ base: library }), policy: defaultDeadlinePolicy });
    const accept = full.accept({ from: clock.now(), channel: "hotline" }).dueOn;
    const notice = full.acceptanceNotice({ receivedAt: new Date(realName.complaint.receivedAt) }).dueOn;
    expect(accept).toBe("2026-01-06"); // 12-30, 12-31, 01-04 (a make-up Sunday), 01-05, 01-06
    const dated = await t.call(["commission"], `/v1/clues/${realName.decision.clueId}`);
    const after = (await dated.json()) as ClueDetail;
    expect(after.assignments.map((a) => a.acceptDueOn)).toEqual([accept, accept]);
    expect(after.deadlines.map((d) => [d.kind, d.dueOn, d.calendarPending])).toEqual([
      ["accept", accept, null],
      ["accept", accept, null],
      ["acceptance-notice", notice, null],
    ]);
    expect(await countRows(db, "ledger_log where event = 'deadline.scheduled'")).toBe(5);

    // …and the scan reminds and declares overdue as usual.
    clock.set("2026-01-05T09:00:00+08:00");
    // Reminders: three accept clocks (due 01-06) and the service conclude clock (due 01-05); the media clocks
    // (due 2025-12-30) are long overdue.
    expect(await scan.scanOnce()).toEqual({ reminders: 4, overdue: 2, escalated: 0 });
    clock.set("2026-01-07T00:30:00+08:00");
    expect(await scan.scanOnce()).toEqual({ reminders: 0, overdue: 4, escalated: 0 });
  });
});
