import { type DeadlineKind, LifecycleEvent, newId } from "@clueline/contracts";
import type { LedgerContext } from "../ledger-context.js";
import { writeThroughBuffer } from "./assignment-change-buffer.js";

/**
 * Records one unit action: the assignment's new state and columns, the clocks it meets and its lifecycle event
 * (parsed here, as {@link appendLifecycle} does), written together by one statement. In a group commit (see
 * `bufferAssignmentChanges`) they wait to be written with the group's other actions; alone, at once.
 * Column names come from code, never from input.
 */
export async function recordAssignmentChange(
  ctx: LedgerContext,
  options: {
    assignmentId: string;
    event: LifecycleEvent & { to: string };
    set?: Record<string, unknown>;
    meet?: DeadlineKind[];
    note?: string | undefined;
  },
): Promise<void> {
  const event = LifecycleEvent.parse(options.event);
  await writeThroughBuffer(ctx.tx, {
    change: {
      assignmentId: options.assignmentId,
      state: options.event.to,
      at: ctx.now,
      meet: options.meet ?? [],
      eventId: newId(),
      clueId: event.clueId,
      event: event.event,
      payload: event,
      note: options.note ?? null,
      actor: ctx.subject,
      set: options.set ?? {},
    },
  });
}
