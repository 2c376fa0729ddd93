import type { Queryable } from "@clueline/db";
import { type Caller, forbidden, HttpProblem, hasScope, unitsOf } from "@clueline/kit";
import { AssignmentNotFound, ClueNotFound, InvalidAction } from "../ledger/ledger-errors.js";
import { isClueVisible, type Visibility } from "../queries/clue-visibility.js";
import { ReturnRefused } from "../returns/returns-rules.js";

/** Which clues a caller may see (DESIGN §8): all for the commission, else those of its `unit:<id>` scopes. */
export function visibilityOf(caller: Caller): Visibility {
  return hasScope(caller, "commission") ? { all: true } : { all: false, units: unitsOf(caller) };
}

export const notFound = (what: string) => new HttpProblem({ status: 404, slug: "not-found", title: `No such ${what}` });

/**
 * Throws 404 unless the caller may see the clue. Not 403: a unit must not learn that another unit's clue
 * exists, which a different status would tell it.
 */
export async function assertVisible(db: Queryable, caller: Caller, clueId: string): Promise<void> {
  if (!(await isClueVisible(db, { clueId, visibility: visibilityOf(caller) }))) throw notFound("clue");
}

/**
 * The one unit a caller acts for: the `unit` asked for, which it must hold, or its only unit scope.
 *
 * @example
 * const unitId = actingUnit(caller, query.unit); // 403 if the caller does not act for that unit
 */
export function actingUnit(caller: Caller, requested: string | undefined): string {
  const units = unitsOf(caller);
  if (requested !== undefined) {
    if (!units.includes(requested)) throw forbidden(`the caller does not act for unit ${requested}`);
    return requested;
  }
  const [only, ...others] = units;
  if (only === undefined) throw forbidden("requires a unit:<id> scope");
  if (others.length > 0)
    throw new HttpProblem({ status: 400, slug: "unit-required", title: "Say which unit you act for (unit)" });
  return only;
}

/** Maps the ledger's own errors to problems; anything else is left to the kit's error handler. */
export function toHttpError(error: unknown): unknown {
  if (error instanceof ClueNotFound) return notFound("clue");
  if (error instanceof AssignmentNotFound) return notFound("assignment");
  if (error instanceof ReturnRefused) {
    return new HttpProblem({ status: 409, slug: error.reason, title: "Not possible in this state", detail: error.message });
  }
  if (error instanceof InvalidAction) {
    return new HttpProblem({
      status: 400,
      slug: "invalid-action",
      title: "The action is invalid",
      errors: [{ path: error.field, reason: error.message }],
    });
  }
  return error;
}
