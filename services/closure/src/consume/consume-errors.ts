import { PoisonRecord, RefusedTransition } from "@clueline/contracts/errors";
import { AssignmentNotFound, ClueNotFound, InvalidAction } from "../ledger/ledger-errors.js";

/**
 * What the consume loop should do with a ledger error: a refused transition or a reference to something the
 * ledger does not have will never succeed by retrying, so it is poison (dead-lettered with the reason); an
 * outage passes through to be retried; anything else is a surprise the runner retries a few times.
 */
export function toConsumeError(error: unknown): unknown {
  if (error instanceof RefusedTransition) {
    return new PoisonRecord(error.message, { cause: error, problems: [{ path: "action", reason: error.message }] });
  }
  if (error instanceof ClueNotFound) {
    return new PoisonRecord(error.message, { cause: error, problems: [{ path: "clueId", reason: "not in the ledger" }] });
  }
  if (error instanceof AssignmentNotFound) {
    return new PoisonRecord(error.message, {
      cause: error,
      problems: [{ path: "assignmentId", reason: "not this unit's assignment" }],
    });
  }
  if (error instanceof InvalidAction) {
    return new PoisonRecord(error.message, { cause: error, problems: [{ path: error.field, reason: error.message }] });
  }
  return error;
}
