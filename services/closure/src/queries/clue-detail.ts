import type { Queryable } from "@clueline/db";
import { type AssignmentView, type ClueDetail, iso, isoOrNull } from "../http/views.js";
import { summaryColumns, toClueSummary } from "./clue-summaries.js";

/**
 * A clue with its assignments, clocks and history (the ledger's lifecycle events with their notes), or null.
 * `roles` are the roles of the unit asking, if any.
 */
export async function readClueDetail(db: Queryable, options: { clueId: string; unitIds: string[] }): Promise<ClueDetail | null> {
  const { clueId } = options;
  const clue = await db.query(
    `select ${summaryColumns}, c.reasons, c.reply, c.text, c.evidence, c.origin from clues c where c.clue_id = $1`,
    [clueId],
  );
  const row = clue.rows[0];
  if (!row) return null;
  const [units, assignments, deadlines, history] = await Promise.all([
    db.query<{ roles: string[] }>("select roles from clue_units where clue_id = $1 and unit_id = any($2::text[])", [
      clueId,
      options.unitIds,
    ]),
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
      `select seq::text, event, occurred_at, actor, payload, note from ledger_events
       where clue_id = $1 and stream = 'lifecycle' order by seq`,
      [clueId],
    ),
  ]);
  const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);
  return {
    ...toClueSummary(row, [...new Set(units.rows.flatMap((u) => u.roles))]),
    text: String(row.text),
    evidence: json(row.evidence),
    origin: json(row.origin),
    reasons: json(row.reasons),
    reply: (row.reply as string | null) ?? null,
    assignments: assignments.rows.map(
      (a): AssignmentView => ({
        assignmentId: String(a.assignment_id),
        unitId: String(a.unit_id),
        role: a.role as AssignmentView["role"],
        track: a.track as AssignmentView["track"],
        state: a.state as AssignmentView["state"],
        cause: a.cause as AssignmentView["cause"],
        disposition: (a.disposition as AssignmentView["disposition"]) ?? null,
        complex: Boolean(a.complex),
        result: (a.result as AssignmentView["result"]) ?? null,
        assignedAt: iso(a.assigned_at),
        respondedAt: isoOrNull(a.responded_at),
        concludedAt: isoOrNull(a.concluded_at),
        acceptDueOn: (a.accept_due_on as string | null) ?? null,
        concludeDueOn: (a.conclude_due_on as string | null) ?? null,
      }),
    ),
    deadlines: deadlines.rows.map((d) => ({
      kind: d.kind as ClueDetail["deadlines"][number]["kind"],
      assignmentId: (d.assignment_id as string | null) ?? null,
      unitId: (d.unit_id as string | null) ?? null,
      dueOn: (d.due_on as string | null) ?? null,
      stage: d.stage as ClueDetail["deadlines"][number]["stage"],
      calendarPending: d.calendar_missing_year === null ? null : calendarPending(Number(d.calendar_missing_year)),
    })),
    history: history.rows.map((h) => ({
      seq: String(h.seq),
      event: String(h.event),
      occurredAt: iso(h.occurred_at),
      actor: (h.actor as string | null) ?? null,
      payload: typeof h.payload === "string" ? JSON.parse(h.payload) : (h.payload as Record<string, unknown>),
      note: (h.note as string | null) ?? null,
    })),
  };
}

const calendarPending = (year: number) => ({
  year,
  reason: `the working-day calendar has no data for ${year} yet; the due date is computed once an operator adds ${year} (State Council notice)`,
});
