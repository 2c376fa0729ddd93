import type { Queryable } from "@clueline/db";
import { z } from "zod";

/**
 * The `inbox` table: the ids of the events the ledger consumed (`ce_source` + `ce_id`, DESIGN §4), written in the
 * transaction that applies each, so a redelivered event finds its id and changes nothing. A routing decision that
 * opens a clue is the exception: its clue row, unique by clue and by complaint, is its record (apply-routed-batch.ts).
 */

/** A consumed event's identity: `ce_source` + `ce_id` (DESIGN §4). */
export interface EventKey {
  source: string;
  id: string;
}

/** Records one event's id; false when the ledger had it already. */
export async function remember(tx: Queryable, key: EventKey): Promise<boolean> {
  const { rowCount } = await tx.query("insert into inbox (source, event_id) values ($1, $2) on conflict do nothing", [
    key.source,
    key.id,
  ]);
  return rowCount === 1;
}

const RememberedRow = z.object({ source: z.string(), event_id: z.string() });

/** Records many events' ids in one statement; answers the keys that were new (each key once, given no duplicates). */
export async function rememberAll(tx: Queryable, keys: readonly EventKey[]): Promise<EventKey[]> {
  const { rows } = await tx.query(
    `insert into inbox (source, event_id) select * from unnest($1::text[], $2::text[])
     on conflict do nothing returning source, event_id`,
    [keys.map((key) => key.source), keys.map((key) => key.id)],
  );
  return rows.map((row) => {
    const { source, event_id } = RememberedRow.parse(row);
    return { source, id: event_id };
  });
}

/** Takes events' ids back out: a refused event changed nothing, so a fixed ledger may apply it when it comes again. */
export async function forget(tx: Queryable, keys: readonly EventKey[]): Promise<void> {
  await tx.query("delete from inbox where (source, event_id) in (select * from unnest($1::text[], $2::text[]))", [
    keys.map((key) => key.source),
    keys.map((key) => key.id),
  ]);
}
