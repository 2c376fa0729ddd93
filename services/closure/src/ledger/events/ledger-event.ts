import { LifecycleEvent } from "@clueline/contracts";

/**
 * What the ledger writes to its log and relays to `clueline.clue.lifecycle.v1`: exactly the contract's
 * lifecycle event (including calendar-pending `assignment.assigned` and `deadline.scheduled`).
 */
export const LedgerEvent = LifecycleEvent;
export type LedgerEvent = LifecycleEvent;
