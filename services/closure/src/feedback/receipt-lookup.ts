import type { Queryable } from "@clueline/db";
import { hashReceiptCode, receiptMatches } from "@clueline/identity";

/** What an anonymous reporter may learn with their receipt code: where the matter stands, and the reply. */
export interface ReceiptStatus {
  clueId: string;
  status: "received" | "in-progress" | "concluded" | "replied" | "transferred";
  receivedAt: string;
  /** The published reply (反馈), once given. */
  reply: string | null;
  repliedAt: string | null;
}

/** The 64-bit prefix of a receipt hash that the ledger indexes; the full hash is compared in constant time. */
export const receiptSelectorOf = (hash: string) => hash.slice(0, 16);

/**
 * Finds the clue of a receipt code. Candidates come from the indexed selector; each is confirmed with a
 * constant-time comparison of the full hash, so response time does not tell how much of a guess was right.
 *
 * @example
 * const status = await lookUpReceipt(db, "7K2M-…"); // null when no clue has this code
 */
export async function lookUpReceipt(db: Queryable, code: string): Promise<ReceiptStatus | null> {
  const selector = receiptSelectorOf(hashReceiptCode(code));
  const { rows } = await db.query(
    `select clue_id, state, receipt_hash, received_at, reply, replied_at,
       exists (select 1 from assignments a where a.clue_id = c.clue_id and a.state <> 'assigned') as started
     from clues c where receipt_selector = $1`,
    [selector],
  );
  const row = rows.find((candidate) => receiptMatches(code, String(candidate.receipt_hash)));
  if (!row) return null;
  return {
    clueId: String(row.clue_id),
    status: publicStatus(String(row.state), Boolean(row.started)),
    receivedAt: new Date(row.received_at as Date).toISOString(),
    reply: (row.reply as string | null) ?? null,
    repliedAt: row.replied_at ? new Date(row.replied_at as Date).toISOString() : null,
  };
}

function publicStatus(state: string, started: boolean): ReceiptStatus["status"] {
  if (state === "transferred") return "transferred";
  if (state === "fed-back" || state === "closed") return "replied";
  if (state === "concluded") return "concluded";
  return started ? "in-progress" : "received";
}
