import type { AssignmentState } from "@clueline/contracts";
import { finishedAssignmentStates } from "../lifecycle/assignment-machine.js";

/** Where a supervision order (督办) stands: open for the late unit's answer, answered, or escalated (提级督办). */
export type OrderState = "open" | "answered" | "escalated";

/** Where an extension request (延期申请) stands. */
export type ExtensionState = "pending" | "granted" | "refused";

/** A clock's stage in `deadlines`; only a running one (pending or reminded) can be extended. */
export type ClockStage = "pending" | "reminded" | "overdue" | "met";

export type SupervisionRefusal =
  | "order-answered"
  | "order-escalated"
  | "assignment-finished"
  | "no-running-clock"
  | "clock-undated"
  | "request-pending"
  | "request-decided"
  | "clock-not-running";

/** A supervision or extension step the state does not allow; the HTTP edge answers 409 naming the reason. */
export class SupervisionRefused extends Error {
  override readonly name = "SupervisionRefused";
  readonly reason: SupervisionRefusal;
  constructor(reason: SupervisionRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** No such order for this caller: 404, as for one that does not exist, so a unit learns nothing of others' orders. */
export class SupervisionOrderNotFound extends Error {
  override readonly name = "SupervisionOrderNotFound";
  constructor(readonly orderId: string) {
    super(`no supervision order ${orderId} for this caller`);
  }
}

export class ExtensionRequestNotFound extends Error {
  override readonly name = "ExtensionRequestNotFound";
  constructor(readonly requestId: string) {
    super(`no extension request ${requestId}`);
  }
}

/**
 * The unit a supervision order is addressed to: the unit that missed the deadline, or, for a clue-level clock
 * that named none, the unit the order went to (the commission, which then answers for itself).
 */
export function addresseeOf(order: { lateUnit: string | null; toUnit: string }): string {
  return order.lateUnit ?? order.toUnit;
}

/**
 * The refusal for answering an order as it stands, or null. Only an open order is answered: an answered one
 * keeps its first answer, an escalated one is the leader's matter now (提级督办).
 *
 * @example
 * orderAnswerRefusal({ state: "open" }); // null
 */
export function orderAnswerRefusal(order: { state: OrderState }): SupervisionRefused | null {
  if (order.state === "answered") return new SupervisionRefused("order-answered", "the supervision order was answered already");
  if (order.state === "escalated") {
    return new SupervisionRefused(
      "order-escalated",
      "the supervision order went unanswered past its deadline and was escalated to the leader overseeing the unit",
    );
  }
  return null;
}

/**
 * The refusal for asking more time on an assignment's clock, or null: the assignment must still be work (not
 * concluded, transferred or rejected), its clock running and dated, and no other request on it undecided.
 */
export function extensionRequestRefusal(input: {
  assignmentState: AssignmentState;
  clock: { stage: ClockStage; dueOn: string | null; pendingRequest: boolean } | null;
}): SupervisionRefused | null {
  if (finishedAssignmentStates.has(input.assignmentState)) {
    return new SupervisionRefused("assignment-finished", `the assignment is ${input.assignmentState}; it has no clock to extend`);
  }
  const { clock } = input;
  if (clock === null || (clock.stage !== "pending" && clock.stage !== "reminded")) {
    return new SupervisionRefused(
      "no-running-clock",
      "the assignment has no running clock of that kind (met or already overdue)",
    );
  }
  if (clock.dueOn === null) {
    return new SupervisionRefused("clock-undated", "the clock has no due date yet: the working-day calendar lacks its year");
  }
  if (clock.pendingRequest) {
    return new SupervisionRefused("request-pending", "an extension request on this clock awaits the commission's decision");
  }
  return null;
}

/**
 * The refusal for deciding a request, or null: each is decided once, and a grant needs the clock still running
 * (one met or overdue in the meantime has nothing left to move; a refusal is always recorded).
 */
export function extensionDecisionRefusal(input: {
  state: ExtensionState;
  decision: "grant" | "refuse";
  clockStage: ClockStage;
}): SupervisionRefused | null {
  if (input.state !== "pending") return new SupervisionRefused("request-decided", `the request was ${input.state} already`);
  if (input.decision === "grant" && input.clockStage !== "pending" && input.clockStage !== "reminded") {
    return new SupervisionRefused("clock-not-running", `the clock is ${input.clockStage} now; there is nothing to extend`);
  }
  return null;
}
