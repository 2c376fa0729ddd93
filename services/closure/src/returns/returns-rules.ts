import { RefusedTransition } from "@clueline/contracts/errors";

/** Where a return (退回) stands: awaiting the commission's review, or decided. */
export type ReturnState = "pending" | "upheld" | "reassigned";

/** What sent an assignment to review: a return, or a discipline lead's 不予受理. */
export type ReturnKind = "return" | "reject";

export type ReturnRefusal = "return-decided" | "upheld-before" | "same-unit" | "no-concluded-lead" | "no-dissatisfied-call-back";

/**
 * A return, decision or redo the state does not allow. A refused transition like any other (409 at the HTTP edge,
 * dead-lettered when it came as a unit action on the feedback topic), with `reason` for the problem's slug.
 */
export class ReturnRefused extends RefusedTransition {
  readonly reason: ReturnRefusal;
  constructor(reason: ReturnRefusal, options: { from: string; action: string; message: string }) {
    super(options);
    this.reason = reason;
  }
}

/** No such return for this caller: 404, as for one that does not exist. */
export class ReturnNotFound extends Error {
  override readonly name = "ReturnNotFound";
  constructor(readonly returnId: string) {
    super(`no return ${returnId}`);
  }
}

/**
 * The refusal for deciding a return as it stands, or null. Each is decided once; a reassignment names another
 * unit than the one that returned it (a reassignment to itself would be an uphold that escapes the record of one).
 *
 * @example
 * decisionRefusal({ state: "pending", decision: "reassign", from: "town-a", to: "town-a" }); // ReturnRefused same-unit
 */
export function decisionRefusal(input: {
  state: ReturnState;
  decision: "uphold" | "reassign";
  from: string;
  to?: string | undefined;
}): ReturnRefused | null {
  const refusal = (reason: ReturnRefusal, message: string) =>
    new ReturnRefused(reason, { from: input.state, action: input.decision, message });
  if (input.state !== "pending") return refusal("return-decided", `this return was ${input.state} already`);
  if (input.decision === "reassign" && input.to === input.from) {
    return refusal("same-unit", "a reassignment names another unit than the one that returned the assignment");
  }
  return null;
}

/**
 * The refusal for returning (or, as a discipline lead, rejecting) an assignment, or null: one the commission upheld
 * is the unit's to handle, and is not returned again.
 */
export function returnRefusal(input: { upheldBefore: boolean }): ReturnRefused | null {
  return input.upheldBefore
    ? new ReturnRefused("upheld-before", {
        from: "assigned",
        action: "return",
        message: "the commission upheld this assignment after a return: the unit handles it",
      })
    : null;
}

/**
 * The refusal for a redo (发回重办) of a clue, or null: it needs a concluded lead assignment to reopen, and a redo on
 * the basis of a call-back needs a dissatisfied one on the clue.
 */
export function redoRefusal(input: {
  concludedLeads: number;
  basis: "review" | "call-back";
  dissatisfiedCallBacks: number;
}): ReturnRefused | null {
  const refusal = (reason: ReturnRefusal, message: string) =>
    new ReturnRefused(reason, { from: "concluded", action: "redo", message });
  if (input.concludedLeads === 0) return refusal("no-concluded-lead", "no lead concluded this clue, so none can redo it");
  if (input.basis === "call-back" && input.dissatisfiedCallBacks === 0) {
    return refusal("no-dissatisfied-call-back", "no call-back on this clue found the reporter dissatisfied");
  }
  return null;
}
