import type { LedgerContext } from "./ledger-context.js";
import { InvalidAction } from "./ledger-errors.js";

/**
 * The bodies the directory knows (DESIGN §5), as the router routes by them: units that can hold an assignment
 * (discipline bodies and departments) and outside bodies a clue can be transferred to.
 */
export interface KnownBodies {
  isUnit(id: string): boolean;
  isExternal(id: string): boolean;
}

const BODY_ID = /^[a-z0-9-]+$/;

/**
 * Throws {@link InvalidAction} naming `field` unless `id` is a unit of the directory (`scope: "unit"`) or an outside
 * body (`"external"`): a mistyped id would give work to no one, or send a clue nowhere. Without a directory in the
 * context (a bench, a test that needs none) only the id's form is checked.
 *
 * @example
 * assertKnownBody(ctx, { field: "to", id: act.to, scope: "unit" });
 */
export function assertKnownBody(
  ctx: Pick<LedgerContext, "bodies">,
  options: { field: string; id: string; scope: "unit" | "external" },
): void {
  const { field, id, scope } = options;
  if (!BODY_ID.test(id)) throw new InvalidAction(field, `${field} must be a directory id ([a-z0-9-]+)`);
  if (!ctx.bodies) return;
  const known = scope === "unit" ? ctx.bodies.isUnit(id) : ctx.bodies.isExternal(id);
  if (!known) {
    const what = scope === "unit" ? "unit or department" : "outside body";
    throw new InvalidAction(field, `${field}: the directory has no ${what} ${id}`);
  }
}
