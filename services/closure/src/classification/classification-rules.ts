import type { ClueNature, ClueState } from "@clueline/contracts";

/** Why the commission may not classify a clue now; each is a 409 naming the reason. */
export type ClassificationRefusal = "not-open" | "not-unclassified" | "classification-pending";

/**
 * Where a clue's classification stands: `none`; `pending` while the router's new decision for it has not been
 * applied; `applied` once it was (a category the router's taxonomy lacks leaves the clue unclassified, with the
 * commission again, and it may be classified anew).
 */
export type ClassificationStage = "none" | "pending" | "applied";

/**
 * A classification the clue's state does not allow: the commission chooses a category (分办) only for an open clue
 * that no category matched (rule 7), and not again while the clue is being routed by an earlier choice. The HTTP
 * edge answers 409 with the reason; the check runs under the clue's lock, so two commission callers racing on one
 * clue classify it once.
 */
export class ClassificationRefused extends Error {
  override readonly name = "ClassificationRefused";
  readonly reason: ClassificationRefusal;
  constructor(reason: ClassificationRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * The refusal for classifying a clue as it stands, or null when the commission may classify it.
 *
 * @example
 * const refused = classificationRefusal({ state: "open", nature: "unclassified", classification: "none" }); // null
 */
export function classificationRefusal(clue: {
  state: ClueState;
  nature: ClueNature;
  classification: ClassificationStage;
}): ClassificationRefused | null {
  if (clue.classification === "pending") {
    return new ClassificationRefused(
      "classification-pending",
      "the clue was classified already and is being routed again by that category",
    );
  }
  if (clue.state !== "open") {
    return new ClassificationRefused("not-open", `the clue is ${clue.state}; only an open clue can be classified`);
  }
  if (clue.nature !== "unclassified") {
    return new ClassificationRefused(
      "not-unclassified",
      `the clue's nature is ${clue.nature}: a category matched when it was routed, so it needs no classification`,
    );
  }
  return null;
}
