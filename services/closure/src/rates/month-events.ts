import type { Queryable } from "@clueline/db";
import type { LedgerEvent } from "../ledger/events/ledger-event.js";
import { createRatesProjection, type Month, type RatesProjection } from "./rates-projection.js";

/** The first instant of a Shanghai month and of the month after it. */
export function monthBounds(month: Month): { start: Date; end: Date } {
  const [year = 0, number = 0] = month.split("-").map(Number);
  const next = number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, "0")}`;
  return { start: new Date(`${month}-01T00:00:00+08:00`), end: new Date(`${next}-01T00:00:00+08:00`) };
}

/**
 * The rates projection fed with the whole history of every clue that had an event in the month: exactly the
 * lifecycle events the ledger published, so the endpoints and a downstream rebuild agree by construction.
 *
 * @example
 * const projection = await projectMonth(db, "2026-03");
 * projection.unitRates({ month: "2026-03", asOf: new Date() });
 */
export async function projectMonth(db: Queryable, month: Month): Promise<RatesProjection> {
  const { start, end } = monthBounds(month);
  const { rows } = await db.query<{ payload: LedgerEvent | string }>(
    `select payload from ledger_log
     where stream = 'lifecycle' and clue_id in (
       select distinct clue_id from ledger_events where stream = 'lifecycle' and occurred_at >= $1 and occurred_at < $2)
     order by seq, part`,
    [start, end],
  );
  const projection = createRatesProjection();
  // Payloads were parsed when they were written (appendLifecycle), so they are trusted here.
  for (const row of rows) projection.apply(typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload);
  return projection;
}
