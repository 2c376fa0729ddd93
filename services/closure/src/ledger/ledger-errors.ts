/**
 * Errors of the ledger that are neither outages nor refused transitions. The HTTP edge answers 404 for the
 * first two (never 403, so a unit cannot probe for other units' clues) and the consume loop dead-letters them.
 */

export class ClueNotFound extends Error {
  override readonly name = "ClueNotFound";
  readonly clueId: string;
  constructor(clueId: string) {
    super(`no clue ${clueId} in the ledger`);
    this.clueId = clueId;
  }
}

export class AssignmentNotFound extends Error {
  override readonly name = "AssignmentNotFound";
  readonly assignmentId: string;
  constructor(assignmentId: string) {
    super(`no assignment ${assignmentId} for this unit`);
    this.assignmentId = assignmentId;
  }
}

/** An action whose own content is wrong (e.g. a transfer to the unit itself); fix the request, do not retry. */
export class InvalidAction extends Error {
  override readonly name = "InvalidAction";
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}
