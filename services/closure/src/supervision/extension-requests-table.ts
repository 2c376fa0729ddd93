import { DeadlineKind } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { z } from "zod";

/**
 * The owner of `extension_requests` (延期申请): every write to the table is here. A unit asks for more working
 * days on one clock of its assignment; the commission grants or refuses, once.
 */

const Instant = z.union([z.date(), z.string()]).transform((value) => new Date(value).toISOString());

/** A row of `extension_requests` as read, dates as `::text`. */
export const ExtensionRequestRow = z.object({
  request_id: z.string(),
  seq: z.union([z.string(), z.number()]).transform(String),
  clue_id: z.string(),
  assignment_id: z.string(),
  deadline_id: z.union([z.string(), z.number()]).transform(String),
  unit_id: z.string(),
  kind: DeadlineKind,
  working_days: z.number(),
  reason: z.string(),
  state: z.enum(["pending", "granted", "refused"]),
  requested_by: z.string(),
  requested_at: Instant,
  decided_by: z.string().nullable(),
  decided_at: Instant.nullable(),
  decision_note: z.string().nullable(),
  previous_due_on: z.string().nullable(),
  new_due_on: z.string().nullable(),
});
export type ExtensionRequestRow = z.infer<typeof ExtensionRequestRow>;

/** Records a pending request; the table's unique index refuses a second pending one on the same clock. */
export async function insertExtensionRequest(
  tx: Queryable,
  request: {
    requestId: string;
    clueId: string;
    assignmentId: string;
    deadlineId: string;
    unitId: string;
    kind: DeadlineKind;
    workingDays: number;
    /** Scrubbed by the caller. */
    reason: string;
    requestedBy: string;
    requestedAt: Date;
  },
): Promise<void> {
  await tx.query(
    `insert into extension_requests (request_id, clue_id, assignment_id, deadline_id, unit_id, kind, working_days, reason,
       state, requested_by, requested_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10)`,
    [
      request.requestId,
      request.clueId,
      request.assignmentId,
      request.deadlineId,
      request.unitId,
      request.kind,
      request.workingDays,
      request.reason,
      request.requestedBy,
      request.requestedAt,
    ],
  );
}

/** Records the commission's decision, with the clock's due date before it and, granted, after. */
export async function recordExtensionDecision(
  tx: Queryable,
  decision: {
    requestId: string;
    state: "granted" | "refused";
    decidedBy: string;
    decidedAt: Date;
    /** Scrubbed by the caller. */
    note: string | null;
    previousDueOn: string;
    newDueOn: string | null;
  },
): Promise<void> {
  await tx.query(
    `update extension_requests set state = $2, decided_by = $3, decided_at = $4, decision_note = $5, previous_due_on = $6,
       new_due_on = $7
     where request_id = $1`,
    [
      decision.requestId,
      decision.state,
      decision.decidedBy,
      decision.decidedAt,
      decision.note,
      decision.previousDueOn,
      decision.newDueOn,
    ],
  );
}
