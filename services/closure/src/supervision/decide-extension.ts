import { DeadlineKind } from "@clueline/contracts";
import { z } from "zod";
import { deadlineRow } from "../ledger/deadline-rows.js";
import { appendLifecycle } from "../ledger/events/ledger-events.js";
import { eventBase, type LedgerContext } from "../ledger/ledger-context.js";
import { scrubContacts } from "../ledger/scrub-notes.js";
import type { ExtensionRequestView } from "./request-extension.js";
import { extendedDue } from "./supervision-clocks.js";
import { ExtensionRequestNotFound, extensionDecisionRefusal, SupervisionRefused } from "./supervision-rules.js";

const RequestRow = z.object({
  clue_id: z.string(),
  assignment_id: z.string(),
  deadline_id: z.union([z.string(), z.number()]).transform(String),
  unit_id: z.string(),
  kind: DeadlineKind,
  working_days: z.number(),
  state: z.enum(["pending", "granted", "refused"]),
  due_on: z.string().nullable(),
  stage: z.enum(["pending", "reminded", "overdue", "met"]),
});

/**
 * The commission decides an extension request (延期申请). Granted: the clock's due date moves `workingDays`
 * working days past its current one, its reminder and overdue follow the new date (the scan reads them from the
 * row), the assignment shows it, and `extension.granted` says so. Refused: nothing moves, `extension.refused`.
 * The note, scrubbed of contacts, stays in the ledger. Throws `ExtensionRequestNotFound`, or
 * `SupervisionRefused` (409) for a request decided already or a grant on a clock no longer running.
 *
 * @example
 * await db.transaction((tx) => decideExtension({ ...ctx, tx }, { requestId, decision: "grant" }));
 */
export async function decideExtension(
  ctx: LedgerContext,
  input: { requestId: string; decision: "grant" | "refuse"; note?: string | undefined },
): Promise<ExtensionRequestView> {
  // The clock's row is locked with the request: the scan skips it meanwhile, so it cannot go overdue mid-decision.
  const { rows } = await ctx.tx.query(
    `select r.clue_id, r.assignment_id, r.deadline_id, r.unit_id, r.kind, r.working_days, r.state, d.due_on::text, d.stage
     from extension_requests r join deadlines d on d.deadline_id = r.deadline_id
     where r.request_id = $1 for update of r, d`,
    [input.requestId],
  );
  if (!rows[0]) throw new ExtensionRequestNotFound(input.requestId);
  const request = RequestRow.parse(rows[0]);
  const refused = extensionDecisionRefusal({ state: request.state, decision: input.decision, clockStage: request.stage });
  if (refused) throw refused;
  const note = input.note === undefined ? null : scrubContacts(input.note);
  const dueOn = request.due_on ?? "";
  const owner = { clueId: request.clue_id, assignmentId: request.assignment_id, unitId: request.unit_id };
  const base = eventBase(ctx, request.clue_id);
  const view: ExtensionRequestView = {
    requestId: input.requestId,
    clueId: request.clue_id,
    assignmentId: request.assignment_id,
    unitId: request.unit_id,
    kind: request.kind,
    workingDays: request.working_days,
    state: input.decision === "grant" ? "granted" : "refused",
    dueOn,
    newDueOn: null,
  };

  if (input.decision === "refuse") {
    await recordDecision(ctx, { requestId: input.requestId, state: "refused", note, previousDueOn: dueOn, newDueOn: null });
    const deadline = { kind: request.kind, dueOn, ...owner };
    await appendLifecycle(ctx, { ...base, event: "extension.refused", requestId: input.requestId, deadline }, note ?? undefined);
    return view;
  }

  const due = extendedDue(ctx.deadlines, { dueOn, workingDays: request.working_days });
  if (due.missingYear !== null || due.dueOn === null) {
    throw new SupervisionRefused(
      "clock-undated",
      `the working-day calendar lacks ${due.missingYear}: add the year before granting this extension`,
    );
  }
  const row = deadlineRow(owner, request.kind, due);
  await ctx.tx.query(
    `update deadlines set due_on = $2, due_at = $3, remind_at = $4, stage = $5, next_at = $6, clock_from = $7, clock_days = $8,
       clock_unit = $9
     where deadline_id = $1`,
    [
      request.deadline_id,
      row.due_on,
      row.due_at,
      row.remind_at,
      row.stage,
      row.next_at,
      row.clock_from,
      row.clock_days,
      row.clock_unit,
    ],
  );
  const column = request.kind === "accept" ? "accept_due_on" : "conclude_due_on";
  await ctx.tx.query(`update assignments set ${column} = $2, updated_at = $3 where assignment_id = $1`, [
    request.assignment_id,
    due.dueOn,
    ctx.now,
  ]);
  await recordDecision(ctx, { requestId: input.requestId, state: "granted", note, previousDueOn: dueOn, newDueOn: due.dueOn });
  await appendLifecycle(
    ctx,
    {
      ...base,
      event: "extension.granted",
      requestId: input.requestId,
      deadline: { kind: request.kind, dueOn: due.dueOn, ...owner },
      previousDueOn: dueOn,
      workingDays: request.working_days,
    },
    note ?? undefined,
  );
  return { ...view, newDueOn: due.dueOn };
}

async function recordDecision(
  ctx: LedgerContext,
  input: { requestId: string; state: "granted" | "refused"; note: string | null; previousDueOn: string; newDueOn: string | null },
): Promise<void> {
  await ctx.tx.query(
    `update extension_requests set state = $2, decided_by = $3, decided_at = $4, decision_note = $5, previous_due_on = $6,
       new_due_on = $7
     where request_id = $1`,
    [input.requestId, input.state, ctx.subject, ctx.now, input.note, input.previousDueOn, input.newDueOn],
  );
}
