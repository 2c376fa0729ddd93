import { newId } from "@clueline/contracts";
import { leadsFinished, nextClueState } from "../lifecycle/clue-machine.js";
import { writeThroughBuffer } from "./assignments/assignment-change-buffer.js";
import { type LeadRecord, leadsOfClues } from "./assignments/assignments-table.js";
import type { ClueRecord } from "./clues/clues-table.js";
import { deadlineRow } from "./deadlines/deadline-rows.js";
import { LedgerEvent } from "./events/ledger-event.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";

/**
 * Concludes an open clue once every lead assignment is finished (DESIGN §7), and starts the clock for the
 * result owed to a real-name reporter. Does nothing while a lead is still at work. `leads` are the clue's lead
 * assignments as they stand now, in assignment order, when the caller has them; otherwise they are read here.
 * The conclusion is written by one statement: the clue's state, the reporter's clock and the `clue.concluded`
 * event; in a group commit it waits to be written with the group's other writes.
 */
export async function concludeClueIfDone(ctx: LedgerContext, clue: ClueRecord, leads?: LeadRecord[]): Promise<void> {
  if (clue.state !== "open") return;
  const current = leads ?? (await leadsOfClues(ctx.tx, [clue.clueId])).get(clue.clueId) ?? [];
  if (!leadsFinished(current.map((lead) => lead.state))) return;
  const to = nextClueState(clue.state, "conclude");
  const notice = clue.reporterKind === "real-name" ? ctx.deadlines.resultNotice({ concludedAt: ctx.now }) : null;
  // The reporter judges the units that answered, not those that passed the clue on.
  const leadUnits = [
    ...new Set(current.filter((lead) => lead.state !== "transferred" && lead.state !== "reassigned").map((lead) => lead.unitId)),
  ];
  const clocks = notice
    ? [deadlineRow({ clueId: clue.clueId, assignmentId: null, unitId: leadUnits[0] ?? null }, "result-notice", notice)]
    : [];
  const event = LedgerEvent.parse({
    ...eventBase(ctx, clue.clueId),
    event: "clue.concluded",
    leadUnits,
    resultDueOn: notice?.dueOn ?? null,
  });
  const conclusion = { clueId: clue.clueId, state: to, at: ctx.now, clocks, eventId: newId(), event: event.event };
  await writeThroughBuffer(ctx.tx, { conclusion: { ...conclusion, payload: event, actor: ctx.subject } });
  clue.state = to;
}
