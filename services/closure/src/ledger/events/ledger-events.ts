import { AuditEvent, newId } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import type { LedgerContext } from "../ledger-context.js";
import { foldAssigned, type LogRow } from "./fold-assigned.js";
import { leanAssigned, leanOpening, type OpeningRows } from "./lean-opening.js";
import { LedgerEvent } from "./ledger-event.js";

/**
 * Appends a lifecycle event to the ledger's log, in the transaction of the change it describes: the log is the
 * clue's history and the outbox the relay publishes from. The event is parsed here, so a malformed one fails
 * the change instead of reaching downstream systems. `note` is inspector free text, kept off the topic.
 */
export async function appendLifecycle(ctx: LedgerContext, event: LedgerEvent, note?: string): Promise<void> {
  const parsed = LedgerEvent.parse(event);
  await ctx.tx.query(
    `insert into ledger_events (event_id, stream, clue_id, event, payload, note, actor, occurred_at)
     values ($1, 'lifecycle', $2, $3, $4, $5, $6, $7)`,
    [
      newId(),
      parsed.clueId,
      parsed.event,
      JSON.stringify(storedPayload(parsed, parsed.event, parsed.clueId, ctx.now)),
      note ?? null,
      ctx.subject,
      ctx.now,
    ],
  );
}

/**
 * A lifecycle event's payload as `ledger_events` stores it: without what its columns already hold (migration 017).
 * `event` and `clueId` leave it when they equal the `event` and `clue_id` columns, `occurredAt` when it is the
 * `occurred_at` column as `toISOString()` writes it; the `ledger_log` view puts them back (a key still stored wins),
 * so every reader sees the event as it was parsed. The actor stays: the `actor` column is the authenticated subject.
 */
export function storedPayload(payload: object, event: string, clueId: string, at: Date): Record<string, unknown> {
  const occurredAt = at.toISOString();
  const stored: Record<string, unknown> = {};
  // A loop, not a rest spread: those were several times slower on Node 20 (plan-opening.ts).
  for (const [key, value] of Object.entries(payload)) {
    if (key === "event" ? value === event : key === "clueId" ? value === clueId : key === "occurredAt" && value === occurredAt)
      continue;
    stored[key] = value;
  }
  return stored;
}

/** Appends an audit event (e.g. a decryption of reporter identity) to the same outbox. */
export async function appendAudit(tx: Queryable, event: AuditEvent): Promise<void> {
  const parsed = AuditEvent.parse(event);
  await tx.query(
    `insert into ledger_events (event_id, stream, clue_id, event, payload, actor, occurred_at)
     values ($1, 'audit', $2, $3, $4, $5, $6)`,
    [
      newId(),
      parsed.target.kind === "clue" ? parsed.target.id : null,
      parsed.action,
      JSON.stringify(parsed),
      parsed.actor,
      parsed.at,
    ],
  );
}

/**
 * Appends many lifecycle events in one statement, in the order given (the deadline scan fires thousands at once
 * at the start of a working day; a batch of routed decisions opens hundreds of clues); same contract as
 * {@link appendLifecycle}. `notes[i]`, when given, is the note of `events[i]`. A clue's opening and the assignments
 * that follow it are stored as one row ({@link foldAssigned}); read the log through the `ledger_log` view.
 */
export async function appendLifecycleBatch(
  tx: Queryable,
  options: { events: LedgerEvent[]; notes?: (string | null)[]; subject: string; at: Date },
): Promise<void> {
  if (options.events.length === 0) return;
  await tx.query(insertLifecycleBatchFrom(1), lifecycleBatchParameters(options));
}

/**
 * The insert of {@link appendLifecycleBatch} with its eight parameters numbered from `first`, to use alone or as
 * the last part of a larger statement.
 */
export function insertLifecycleBatchFrom(first: number): string {
  const $ = (offset: number) => `$${first + offset}`;
  return `insert into ledger_events (event_id, stream, clue_id, event, payload, note, assigned, actor, occurred_at)
     select id, 'lifecycle', clue, name, body::jsonb, note, folded::jsonb, ${$(6)}, ${$(7)}
     from unnest(${$(0)}::text[], ${$(1)}::text[], ${$(2)}::text[], ${$(3)}::text[], ${$(4)}::text[], ${$(5)}::text[])
       with ordinality as e(id, clue, name, body, note, folded, n)
     order by n`;
}

/**
 * The eight parameters of {@link insertLifecycleBatchFrom}; every event is checked against its schema first. `opened`:
 * the clue and assignment rows the same transaction writes for the batch's openings; an opening's row then leaves to
 * them what they hold for good ({@link leanOpening}, {@link leanAssigned}), and `ledger_log` reads it back from them.
 */
export function lifecycleBatchParameters(options: {
  events: LedgerEvent[];
  notes?: (string | null)[];
  subject: string;
  at: Date;
  opened?: OpeningRows;
}): unknown[] {
  const { at, opened } = options;
  const rows = foldAssigned(
    options.events.map((event, index) => ({
      event: LedgerEvent.parse(event),
      eventId: newId(),
      note: options.notes?.[index] ?? null,
    })),
  );
  const payload = (row: LogRow) => {
    const stored = storedPayload(row.event, row.event.event, row.event.clueId, at);
    const clue = row.event.event === "clue.opened" ? opened?.clues.get(row.event.clueId) : undefined;
    return JSON.stringify(clue ? leanOpening(stored, clue) : stored);
  };
  const assigned = (row: LogRow) => {
    if (!row.assigned) return null;
    return JSON.stringify(opened ? row.assigned.map((folded) => leanAssigned(folded, opened)) : row.assigned);
  };
  return [
    rows.map((row) => row.eventId),
    rows.map((row) => row.event.clueId),
    rows.map((row) => row.event.event),
    rows.map(payload),
    rows.map((row) => row.note),
    rows.map(assigned),
    options.subject,
    options.at,
  ];
}
