import { type ParentLink, rowsWithoutParent } from "@clueline/closure";
import type { Row } from "@clueline/db";
import type { ScratchDatabase } from "./scratch-database.js";

export interface LedgerAudit {
  clues: number;
  supplements: number;
  /** Accepted complaints found exactly once: as one clue or as one supplement. */
  acceptedOnce: number;
  missing: string[];
  /** Complaint ids found more than once (two clues, two supplements, or a clue and a supplement). */
  duplicated: string[];
  /** Complaints in the ledger that no client saw accepted. */
  unexpected: string[];
  /** (clue, unit, track, role) assigned more than once. */
  duplicateAssignments: number;
  /** Router decisions whose clue or merge target the ledger does not show. */
  decisionMismatches: string[];
  /** Clues whose history holds other than one `clue.opened`. */
  openedNotOnce: string[];
  lifecycleEventIds: Set<string>;
  unpublished: number;
  clueIds: Set<string>;
  /** Rows without their clue or assignment, per link (no foreign key checks these since closure migration 16). */
  withoutParent: Record<ParentLink, number>;
}

/**
 * What the closure ledger (and the router's decisions beside it) hold for the complaints the clients saw
 * accepted. Each accepted complaint must be in the ledger exactly once, as the router decided it.
 *
 * @example
 * const audit = await auditLedger({ db, routerSchema: "router", accepted: new Set(result.accepted.values()) });
 */
export async function auditLedger(options: { db: ScratchDatabase; routerSchema: string; accepted: Set<string> }) {
  const { db } = options;
  const clues = await db.query<{ clue_id: string; complaint_id: string }>("select clue_id, complaint_id from clues");
  const supplements = await db.query<{ clue_id: string; complaint_id: string }>(
    "select clue_id, payload->>'complaintId' as complaint_id from ledger_events where event = 'clue.supplemented'",
  );
  const places = new Map<string, string[]>();
  for (const row of [...clues, ...supplements])
    places.set(row.complaint_id, [...(places.get(row.complaint_id) ?? []), row.clue_id]);

  const decisions = await db.query<{ complaint_id: string; clue_id: string; merged_into: string | null }>(
    `select complaint_id, clue_id, merged_into from ${options.routerSchema}.decisions`,
  );
  const decisionMismatches = decisions
    .filter((d) => places.has(d.complaint_id) && places.get(d.complaint_id)?.join() !== (d.merged_into ?? d.clue_id))
    .map((d) => d.complaint_id);

  const [assignments] = await db.query<{ n: string }>(
    `select count(*) as n from (select 1 from assignments group by clue_id, unit_id, track, role having count(*) > 1) d`,
  );
  const openedNotOnce = await db.query<{ clue_id: string }>(
    `select c.clue_id from clues c left join ledger_events e on e.clue_id = c.clue_id and e.event = 'clue.opened'
     group by c.clue_id having count(e.seq) <> 1`,
  );
  const lifecycle = await db.query<{ event_id: string; published: boolean }>(
    `select event_id, not exists (select 1 from ledger_outbox_statements o where e.seq = any(o.seqs)) as published
     from ledger_log e where stream = 'lifecycle'`,
  );
  const accepted = [...options.accepted];
  return {
    clues: clues.length,
    supplements: supplements.length,
    acceptedOnce: accepted.filter((id) => places.get(id)?.length === 1).length,
    missing: accepted.filter((id) => !places.has(id)),
    duplicated: [...places].filter(([, at]) => at.length > 1).map(([id]) => id),
    unexpected: [...places.keys()].filter((id) => !options.accepted.has(id)),
    duplicateAssignments: Number(assignments?.n ?? 0),
    decisionMismatches,
    openedNotOnce: openedNotOnce.map((row) => row.clue_id),
    lifecycleEventIds: new Set(lifecycle.map((row) => row.event_id)),
    unpublished: lifecycle.filter((row) => !row.published).length,
    clueIds: new Set(clues.map((row) => row.clue_id)),
    withoutParent: await rowsWithoutParent({
      async query<R extends Row>(sql: string, params?: readonly unknown[]) {
        const rows = await db.query<R>(sql, params ? [...params] : undefined);
        return { rows, rowCount: rows.length };
      },
    }),
  } satisfies LedgerAudit;
}
