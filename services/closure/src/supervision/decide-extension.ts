import { z } from "zod";
import { setAssignmentDueOn } from "../ledger/assignments/assignments-table.js";
import { deadlineRow, rescheduleDeadline } from "../ledger/deadlines/deadline-rows.js";
import { appendLifecycle } from "../ledger/events/ledger-events.js";
import { eventBase, type LedgerContext } from "../ledger/ledger-context.js";
import { scrubContacts } from "../ledger/scrub-notes.js";
import { ExtensionRequestRow, recordExtensionDecision } from "./extension-requests-table.js";
import type { ExtensionRequestView } from "./request-extension.js";
import { extendedDue } from "./supervision-clocks.js";
import { ExtensionRequestNotFound, extensionDecisionRefusal, SupervisionRefused } from "./supervision-rules.js";

const RequestRow = ExtensionRequestRow.pick({
  clue_id: true,
  assignment_id: true,
  deadline_id: true,
  unit_id: true,
  kind: true,
  working_days: true,
  state: true,
}).extend({
  // The clock's, joined.
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
  await rescheduleDeadline(ctx.tx, { deadlineId: request.deadline_id, row: deadlineRow(owner, request.kind, due) });
  // Requests are made on accept and conclude clocks only (requestExtension).
  const kind = request.kind === "accept" ? "accept" : "conclude";
  await setAssignmentDueOn(ctx.tx, { assignmentId: request.assignment_id, kind, dueOn: due.dueOn, now: ctx.now });
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

function recordDecision(
  ctx: LedgerContext,
  input: { requestId: string; state: "granted" | "refused"; note: string | null; previousDueOn: string; newDueOn: string | null },
): Promise<void> {
  return recordExtensionDecision(ctx.tx, { ...input, decidedBy: ctx.subject, decidedAt: ctx.now });
}
