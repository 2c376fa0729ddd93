import type { LifecycleEventName, UnitClueChanged } from "@clueline/contracts";
import type { LedgerEvent } from "../ledger/events/ledger-event.js";

/** A unit's part of a change: everything of its record but what the ledger event itself says (clue, kind, time). */
export type UnitChange = Omit<UnitClueChanged, "clueId" | "change" | "occurredAt">;

type Entry<K extends LifecycleEventName> = (event: Extract<LedgerEvent, { event: K }>) => UnitChange[];

/**
 * THE mapping from ledger event kinds to unit-stream records (`clueline.unit.<unitId>.v1`): each entry names the
 * units a kind of event concerns and what it does to their work. A kind with no entry reaches no unit stream. To
 * add one (a new way of giving or taking work), record it as a lifecycle event naming its units, then add one entry
 * here; the record type follows from the lifecycle contract. Rule: every write to `clue_units` (who sees a clue,
 * with which roles) has an event here giving that unit that role, or a subscriber's view and the API's differ
 * (the integration test `unit-streams.it.test.ts` compares them).
 *
 * `clue.escalated` has no entry on purpose: the commission's work comes with the `assignment.assigned` (cause
 * `escalation`) or `assignment.reopened` written in the same transaction. So do `clue.redo-ordered` (发回重办) and a
 * supplement's `clue.reopened`: each lead unit's work comes back with its `assignment.reopened`, or the commission's
 * with its `assignment.assigned`. `assignment.returned` (退回) has none either: it neither gives nor takes work until
 * the commission decides (the unit still holds the assignment; the review is in `GET /v1/returns`, not in any unit's
 * clue list), and the decision is `assignment.return-decided`.
 */
export const unitStreamKinds: { [K in LifecycleEventName]?: Entry<K> } = {
  "clue.opened": (e) => e.informed.map(informed),
  "clue.informed": (e) => e.units.map(informed),
  "assignment.assigned": (e) => [
    { unitId: e.assignment.unitId, effect: "given", role: e.assignment.role, assignment: e.assignment, cause: e.cause },
  ],
  "assignment.transferred": (e) => [
    { unitId: e.assignment.unitId, effect: "taken", role: null, assignment: e.assignment, to: e.target },
  ],
  // Upheld: the unit must handle the work after all. Reassigned (改派): the work is taken from it, and the new unit's
  // fresh assignment follows as `assignment.assigned` (cause `reassignment`).
  "assignment.return-decided": (e) => [
    e.reassignedTo === null
      ? { unitId: e.assignment.unitId, effect: "given", role: null, assignment: e.assignment, cause: "upheld-return" }
      : { unitId: e.assignment.unitId, effect: "taken", role: null, assignment: e.assignment, to: e.reassignedTo },
  ],
  "assignment.reopened": (e) => [{ unitId: e.assignment.unitId, effect: "given", role: null, assignment: e.assignment }],
  "deadline.supervision-ordered": (e) => {
    const order = e.orderId === undefined ? {} : { orderId: e.orderId };
    const late = e.deadline.unitId;
    return [
      { unitId: e.to, effect: "given", role: "supervisor", assignment: null, ...order },
      // The late unit owes the order an answer (POST /v1/supervision-orders/{orderId}/answer).
      ...(late !== null && late !== e.to
        ? [{ unitId: late, effect: "given", role: null, assignment: null, ...order } as const]
        : []),
    ];
  },
};

function informed(unitId: string): UnitChange {
  return { unitId, effect: "informed", role: "informed", assignment: null };
}

/**
 * The unit-stream records of one ledger event, by {@link unitStreamKinds}; none for a kind without an entry.
 *
 * @example
 * unitChangesOf(event).map((change) => unitChangeTopic(change.unitId).serialize(change, attributes));
 */
export function unitChangesOf(event: LedgerEvent): UnitClueChanged[] {
  const entry = unitStreamKinds[event.event] as Entry<typeof event.event> | undefined;
  if (!entry) return [];
  return entry(event as never).map((change) => ({
    ...change,
    clueId: event.clueId,
    change: event.event,
    occurredAt: event.occurredAt,
  }));
}
