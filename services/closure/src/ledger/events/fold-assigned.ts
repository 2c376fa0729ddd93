import type { LedgerEvent } from "./ledger-event.js";

type Assigned = Extract<LedgerEvent, { event: "assignment.assigned" }>;

/**
 * What one `assignment.assigned` keeps when it is stored inside its clue's `clue.opened` row: its own event id and
 * what is not the opening's (the event name, clue id, time and actor are the opening's, and the `ledger_log` view of
 * migration 013 puts them back).
 */
export type FoldedAssigned = Omit<Assigned, "event" | "clueId" | "occurredAt" | "actor"> & { eventId: string };

/** One row of the log as written: an event, with the assignments folded into it when it opens a clue. */
export interface LogRow {
  event: LedgerEvent;
  eventId: string;
  note: string | null;
  assigned: FoldedAssigned[] | null;
}

/**
 * Folds the `assignment.assigned` events that follow a clue's `clue.opened` in a batch into the opening's row
 * (issue #16: each was a row of ~600 B with two index entries and an outbox row, ~1.1 KB of WAL, about two per
 * routed decision). Only what reads back identically is folded: the same clue, time and actor as the opening, no
 * note, and no other event of that clue between them, so the clue's order is the one given. Events of other clues
 * may sit in between: each clue keeps its own order, and that is the order the lifecycle topic promises (keyed by
 * clue id).
 */
export function foldAssigned(entries: readonly { event: LedgerEvent; eventId: string; note: string | null }[]): LogRow[] {
  const rows: LogRow[] = [];
  // The row of each clue's opening while its assignments may still fold into it.
  const open = new Map<string, LogRow>();
  for (const { event, eventId, note } of entries) {
    const opening = open.get(event.clueId);
    if (event.event === "assignment.assigned" && opening && note === null && sameOrigin(opening.event, event)) {
      const { event: _name, clueId: _clue, occurredAt: _at, actor: _actor, ...own } = event;
      opening.assigned = [...(opening.assigned ?? []), { eventId, ...own }];
      continue;
    }
    const row: LogRow = { event, eventId, note, assigned: null };
    rows.push(row);
    if (event.event === "clue.opened") open.set(event.clueId, row);
    else open.delete(event.clueId);
  }
  return rows;
}

const sameOrigin = (opening: LedgerEvent, assigned: Assigned): boolean =>
  opening.occurredAt === assigned.occurredAt &&
  opening.actor.kind === assigned.actor.kind &&
  opening.actor.id === assigned.actor.id;
