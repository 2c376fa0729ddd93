// The overdue scan against a million open assignments on PostgreSQL (target: < 1 s per scan).
// Usage: DATABASE_URL=… npx tsx bench/scan-bench.ts [openAssignments]
import { createDeadlineScan } from "../src/deadline-scan/deadline-scan.js";
import { openBenchDatabase, report } from "./bench-database.js";

const open = Number(process.argv[2] ?? 1_000_000);
const SPREAD_DAYS = 30;
const base = new Date("2026-03-02T00:00:00+08:00");
const { db, drop } = await openBenchDatabase(4);
try {
  let started = performance.now();
  // One clue per assignment, each with an accept clock whose next moment is spread evenly over 30 days.
  await db.query(
    `insert into clues (clue_id, complaint_id, nature, categories, departments, towns, channel, received_at, opened_at,
       text, evidence, origin, reporter_kind, state, reasons, updated_at)
     select 'c' || n, 'k' || n, 'discipline', '{}', '{}', '{}', 'hotline', $1, $1, '反映某镇工作人员办事索要好处费', '[]',
       '{"line": "12388"}', 'anonymous', 'open', '[]', $1
     from generate_series(1, $2::int) as n`,
    [base, open],
  );
  await db.query(
    `insert into assignments (assignment_id, clue_id, unit_id, role, track, state, cause, assigned_at, accept_due_on, updated_at)
     select 'a' || n, 'c' || n, 'town-' || (n % 40), 'lead', 'discipline', 'assigned', 'routing', $1, date '2026-03-09', $1
     from generate_series(1, $2::int) as n`,
    [base, open],
  );
  await db.query(
    `insert into deadlines (clue_id, assignment_id, unit_id, kind, due_on, due_at, remind_at, stage, next_at)
     select 'c' || n, 'a' || n, 'town-' || (n % 40), 'accept', date '2026-04-01', $1::timestamptz + interval '31 days',
       t, 'pending', t
     from generate_series(1, $2::int) as n, lateral (select $1::timestamptz + (n * interval '1 second' * $3 * 86400 / $2) as t) s`,
    [base, open, SPREAD_DAYS],
  );
  await db.query("analyze");
  report(`seeded ${open} open assignments with live clocks`, `${((performance.now() - started) / 1000).toFixed(1)} s`);

  const scanAt = async (label: string, at: Date) => {
    const scan = createDeadlineScan({ db, commissionUnit: "dc", clock: () => at });
    started = performance.now();
    const fired = await scan.scanOnce();
    report(`${label}: ${fired.reminders} reminders, ${fired.overdue} overdue`, `${Math.round(performance.now() - started)} ms`);
  };
  await scanAt("scan, nothing due", new Date(base.getTime() - 3_600_000));
  // Each second of the spread holds open / (30 × 86,400) clocks: pick the moments where 1,000, then 2,000 more, are due.
  const perMs = open / (SPREAD_DAYS * 86_400_000);
  await scanAt("scan, 1,000 due", new Date(base.getTime() + 1_000 / perMs));
  await scanAt("scan, next 2,000 due (one full turn)", new Date(base.getTime() + 3_000 / perMs));
  // Every clock falls due at the same moment (+31 days): a full batch of overdue, each with a supervision order.
  await scanAt("scan, 2,000 overdue + supervision orders (full turn)", new Date(base.getTime() + 32 * 86_400_000));
  const plan = await db.query(
    "explain select deadline_id from deadlines where next_at <= now() order by next_at limit 2000 for update skip locked",
  );
  report("plan", plan.rows.map((row) => Object.values(row)[0]).join(" | "));
} finally {
  await drop();
}
