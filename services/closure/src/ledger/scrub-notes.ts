import { type AssignmentAction, SealedIdentity } from "@clueline/contracts";
import { createScrubber, type IdentitySealer, IdentityUnreadable } from "@clueline/identity";
import type { LedgerContext } from "./ledger-context.js";

/** What the ledger needs of the sealer: opening a clue's identity to scrub notes with it, never to disclose it. */
export type IdentityOpener = Pick<IdentitySealer, "open">;

/** Every contact pattern, however written (DESIGN §8), without a reporter's identity; compiled once. */
export const scrubContacts = createScrubber();

/**
 * An action's free text (reject or return reason, transfer or disposal note, progress note, conclusion summary) with contacts
 * taken out. Inspectors write these, not reporters, but one could quote the reporter's phone; every unit on the
 * clue reads them. Contact patterns only: the reporter's own name would cost, per action on the group-commit path,
 * a read of the sealed identity, an AES-GCM open and the compiling of the name's patterns, and only a discipline
 * lead (who may open the identity anyway) ever sees that name, while contacts in any form are caught here.
 */
export function scrubAct(act: AssignmentAction): AssignmentAction {
  switch (act.action) {
    case "reject":
    case "return":
      return { ...act, reason: scrubContacts(act.reason) };
    case "transfer":
    case "dispose":
      return act.note === undefined ? act : { ...act, note: scrubContacts(act.note) };
    case "progress":
      return { ...act, note: scrubContacts(act.note) };
    case "conclude":
      return { ...act, summary: scrubContacts(act.summary) };
    default:
      return act;
  }
}

/**
 * A scrubber for text about one clue that may name its reporter (a call-back note, a reply): contact patterns and
 * the reporter's own name, phone and ID number. The identity is opened here for scrubbing only and never leaves
 * this function, so this use discloses nothing and writes no `pii.read` audit event (that records disclosures).
 * A seal that cannot be opened (a retired key) still gets every contact pattern: refusing would dead-letter the
 * operator's call-back and stall the clue, and the commission could not open that identity either.
 */
export async function scrubberForClue(
  ctx: Pick<LedgerContext, "tx" | "sealer">,
  clueId: string,
): Promise<(text: string) => string> {
  const { rows } = await ctx.tx.query<{ reporter_identity: unknown; complaint_id: string }>(
    "select reporter_identity, complaint_id from clues where clue_id = $1",
    [clueId],
  );
  const raw = rows[0]?.reporter_identity;
  if (raw === null || raw === undefined) return scrubContacts;
  const sealed = SealedIdentity.safeParse(typeof raw === "string" ? JSON.parse(raw) : raw);
  if (!sealed.success) return scrubContacts;
  try {
    // Seals are bound to the complaint that opened the clue (DESIGN §8).
    return createScrubber(ctx.sealer.open(sealed.data, { complaintId: String(rows[0]?.complaint_id) }));
  } catch (error) {
    if (error instanceof IdentityUnreadable) return scrubContacts;
    throw error;
  }
}
