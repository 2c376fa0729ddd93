import type { LifecycleEvent } from "@clueline/contracts";
import { newId } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import type { ConductWatch } from "../conduct/conduct-watch.js";
import { showCluesTo } from "../ledger/clues/clue-units-table.js";
import { type DueDeadline, lockDueDeadlines, markDeadlinesOverdue, remindDeadlines } from "../ledger/deadlines/deadline-rows.js";
import { appendLifecycleBatch } from "../ledger/events/ledger-events.js";
import { escalateUnansweredOrders } from "../supervision/escalate-orders.js";
import type { SupervisionClocks } from "../supervision/supervision-clocks.js";
import { insertSupervisionOrders } from "../supervision/supervision-orders-table.js";

const SCAN_ACTOR = { kind: "system", id: "deadline-scan" } as const;

/**
 * The periodic deadline scan (DESIGN §7): one indexed query for the clocks whose next moment has come, instead
 * of a timer per assignment. A clock before its due moment gets a reminder; one past it gets `overdue` and a
 * supervision order (督办) to the district commission, which also starts to see the clue in its own list and
 * stream. Each order gets its own answer deadline; an order still unanswered past it escalates (提级督办) to the
 * leader overseeing the late unit. All state is in the ledger, so a restart loses and repeats nothing.
 *
 * @example
 * const scan = createDeadlineScan({ db, commissionUnit: "dc", supervision });
 * await scan.scanOnce(); // { reminders: 3, overdue: 1, escalated: 0 }
 */
export function createDeadlineScan(options: {
  db: Database;
  commissionUnit: string;
  supervision: SupervisionClocks;
  /** Rule 10: judges the departments whose service assignments just went overdue. */
  conduct?: ConductWatch;
  clock?: () => Date;
  batchSize?: number;
}) {
  const clock = options.clock ?? (() => new Date());
  // A turn of 2,000 overdue clocks (4,000 events, 2,000 supervision orders) took ~0.6 s on the shared 2-vCPU
  // PostgreSQL 15 of bench/scan-bench.ts; larger turns hold their row locks past a second.
  const batchSize = options.batchSize ?? 2_000;

  /** Handles up to one batch of due clocks in one transaction; returns what fired. */
  async function scanOnce(): Promise<{ reminders: number; overdue: number; escalated: number }> {
    const now = clock();
    return options.db.transaction(async (tx) => {
      const rows = await lockDueDeadlines(tx, { now, limit: batchSize });
      const reminded = rows.filter((row) => row.stage === "pending" && row.due_at > now);
      const overdue = rows.filter((row) => !reminded.includes(row));
      const base = (row: DueDeadline) => ({
        clueId: row.clue_id,
        occurredAt: now.toISOString(),
        actor: SCAN_ACTOR,
        deadline: { kind: row.kind, dueOn: row.due_on, assignmentId: row.assignment_id, unitId: row.unit_id },
      });
      // Every order of this turn is issued now: one answer clock serves them all.
      const answer = overdue.length > 0 ? options.supervision.answerDue(now) : null;
      const ordered = overdue.map((row) => ({ row, orderId: newId() }));
      const events: LifecycleEvent[] = [
        ...reminded.map((row) => ({ ...base(row), event: "deadline.reminder" as const })),
        ...ordered.flatMap(({ row, orderId }) => [
          { ...base(row), event: "deadline.overdue" as const },
          {
            ...base(row),
            event: "deadline.supervision-ordered" as const,
            to: options.commissionUnit,
            orderId,
            answerDueOn: answer?.dueOn ?? null,
          },
        ]),
      ];
      await appendLifecycleBatch(tx, { events, subject: "deadline-scan", at: now });
      await options.conduct?.observe(tx, { events, subject: "deadline-scan", at: now });
      await remindDeadlines(
        tx,
        reminded.map((row) => row.deadline_id),
      );
      await markDeadlinesOverdue(
        tx,
        overdue.map((row) => row.deadline_id),
      );
      await insertSupervisionOrders(tx, {
        orders: ordered.map(({ row, orderId }) => ({
          orderId,
          clueId: row.clue_id,
          deadlineId: row.deadline_id,
          lateUnit: row.unit_id,
        })),
        toUnit: options.commissionUnit,
        issuedAt: now,
        answerDueOn: answer?.dueOn ?? null,
        answerDueAt: answer?.dueAt ?? null,
      });
      // The commission sees the clues it supervises (its list; its stream has the orders' events).
      if (overdue.length > 0) {
        const clueIds = [...new Set(overdue.map((row) => row.clue_id))];
        await showCluesTo(tx, { clueIds, unitId: options.commissionUnit, role: "supervisor" });
      }
      const escalated = await escalateUnansweredOrders(tx, { now, supervision: options.supervision, batchSize });
      return { reminders: reminded.length, overdue: overdue.length, escalated };
    });
  }

  return { scanOnce, batchSize };
}

export type DeadlineScan = ReturnType<typeof createDeadlineScan>;
