import type { Queryable } from "@clueline/db";
import { z } from "zod";
import { unpackReasons } from "../ledger/clues/packed-reasons.js";
import { ClueSummaryRow, summaryColumns, toClueSummary } from "./clue-summaries.js";
import { BigintText, Instant, Jsonb } from "./row-types.js";
import { AssignmentView, ClueDetail, DeadlineView, HistoryEntry } from "./views.js";

const ClueDetailRow = ClueSummaryRow.extend({
  // Packed since migration 015; `reasons` when set (rows before it, or routed again by an older instance).
  reasons: Jsonb.pipe(ClueDetail.shape.reasons.nullable()),
  reasons_packed: z.string().nullable(),
  reply: z.string().nullable(),
  text: z.string(),
  evidence: Jsonb.pipe(ClueDetail.shape.evidence),
  origin: Jsonb.pipe(ClueDetail.shape.origin),
});
const UnitRolesRow = z.object({ roles: z.array(z.string()) });
const AssignmentRow = z.object({
  assignment_id: z.string(),
  unit_id: z.string(),
  role: AssignmentView.shape.role,
  track: AssignmentView.shape.track,
  state: AssignmentView.shape.state,
  cause: AssignmentView.shape.cause,
  disposition: AssignmentView.shape.disposition,
  complex: z.boolean(),
  result: AssignmentView.shape.result,
  assigned_at: Instant,
  responded_at: Instant.nullable(),
  concluded_at: Instant.nullable(),
  accept_due_on: z.string().nullable(),
  conclude_due_on: z.string().nullable(),
});
const DeadlineRow = z.object({
  kind: DeadlineView.shape.kind,
  assignment_id: z.string().nullable(),
  unit_id: z.string().nullable(),
  due_on: z.string().nullable(),
  stage: DeadlineView.shape.stage,
  calendar_missing_year: z.int().nullable(),
});
const HistoryRow = z.object({
  seq: BigintText,
  event: z.string(),
  occurred_at: Instant,
  actor: z.string().nullable(),
  payload: Jsonb.pipe(HistoryEntry.shape.payload),
  note: z.string().nullable(),
});

/**
 * A clue with its assignments, clocks and history (the ledger's lifecycle events with their notes), or null.
 * `roles` are the roles of the unit asking, if any.
 */
export async function readClueDetail(db: Queryable, options: { clueId: string; unitIds: string[] }): Promise<ClueDetail | null> {
  const { clueId } = options;
  const clue = await db.query(
    `select ${summaryColumns}, c.reasons, c.reasons_packed, c.reply, c.text, c.evidence, c.origin from clues c where c.clue_id = $1`,
    [clueId],
  );
  if (!clue.rows[0]) return null;
  const row = ClueDetailRow.parse(clue.rows[0]);
  const [units, assignments, deadlines, history] = await Promise.all([
    db.query("select roles from unit_clues where clue_id = $1 and unit_id = any($2::text[])", [clueId, options.unitIds]),
    db.query(
      `select assignment_id, unit_id, role, track, state, cause, disposition, complex, result, assigned_at, responded_at,
         concluded_at, accept_due_on::text, conclude_due_on::text
       from assignments where clue_id = $1 order by assigned_at, assignment_id`,
      [clueId],
    ),
    db.query(
      `select kind, assignment_id, unit_id, due_on::text, stage, calendar_missing_year from deadlines
       where clue_id = $1 order by due_on nulls last, deadline_id`,
      [clueId],
    ),
    db.query(
      // An assignment stored with its clue's opening (migration 013) is numbered after it: "41.1", "41.2".
      `select case part when 0 then seq::text else seq || '.' || part end as seq, event, occurred_at, actor, payload,
         note from ledger_log
       where clue_id = $1 and stream = 'lifecycle' order by ledger_log.seq, part`,
      [clueId],
    ),
  ]);
  const roles = units.rows.flatMap((u) => UnitRolesRow.parse(u).roles);
  return {
    ...toClueSummary(row, [...new Set(roles)]),
    text: row.text,
    evidence: row.evidence,
    origin: row.origin,
    reasons: row.reasons ?? unpackReasons(row.reasons_packed ?? "[]"),
    reply: row.reply,
    assignments: assignments.rows.map((raw) => toAssignmentView(AssignmentRow.parse(raw))),
    deadlines: deadlines.rows.map((raw) => toDeadlineView(DeadlineRow.parse(raw))),
    history: history.rows.map((raw) => toHistoryEntry(HistoryRow.parse(raw))),
  };
}

const toAssignmentView = (a: z.infer<typeof AssignmentRow>): AssignmentView => ({
  assignmentId: a.assignment_id,
  unitId: a.unit_id,
  role: a.role,
  track: a.track,
  state: a.state,
  cause: a.cause,
  disposition: a.disposition,
  complex: a.complex,
  result: a.result,
  assignedAt: a.assigned_at,
  respondedAt: a.responded_at,
  concludedAt: a.concluded_at,
  acceptDueOn: a.accept_due_on,
  concludeDueOn: a.conclude_due_on,
});

const toDeadlineView = (d: z.infer<typeof DeadlineRow>): DeadlineView => ({
  kind: d.kind,
  assignmentId: d.assignment_id,
  unitId: d.unit_id,
  dueOn: d.due_on,
  stage: d.stage,
  calendarPending: d.calendar_missing_year === null ? null : calendarPending(d.calendar_missing_year),
});

const toHistoryEntry = (h: z.infer<typeof HistoryRow>): HistoryEntry => ({
  seq: h.seq,
  event: h.event,
  occurredAt: h.occurred_at,
  actor: h.actor,
  payload: h.payload,
  note: h.note,
});

const calendarPending = (year: number) => ({
  year,
  reason: `the working-day calendar has no data for ${year} yet; the due date is computed once an operator adds ${year} (State Council notice)`,
});
