import type { ClueNature, ClueState } from "@clueline/contracts";

/** Why the commission may not classify a clue now; each is a 409 naming the reason. */
export type ClassificationRefusal = "not-open" | "not-unclassified" | "classified-already";

/**
 * A classification the clue's state does not allow: the commission chooses a category (分办) only for an open clue
 * that no category matched (rule 7), and once. The HTTP edge answers 409 with the reason; the ledger checks again
 * under the clue's lock, so two commission callers racing on one clue classify it once.
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
 * const refused = classificationRefusal({ state: "open", nature: "unclassified", classified: false }); // null
 */
export function classificationRefusal(clue: {
  state: ClueState;
  nature: ClueNature;
  classified: boolean;
}): ClassificationRefused | null {
  if (clue.classified) {
    return new ClassificationRefused("classified-already", "the clue was classified already; it is routed by that category");
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
