import { AuditEvent, LifecycleEvent } from "@clueline/contracts";
import { ulid } from "ulid";
import type { Queryable } from "../db/database.js";
import type { LedgerContext } from "./ledger-context.js";

/**
 * Appends a lifecycle event to the ledger's log, in the transaction of the change it describes: the log is the
 * clue's history and the outbox the relay publishes from. The event is parsed here, so a malformed one fails
 * the change instead of reaching downstream systems. `note` is inspector free text, kept off the topic.
 */
export async function appendLifecycle(ctx: LedgerContext, event: LifecycleEvent, note?: string): Promise<void> {
  const parsed = LifecycleEvent.parse(event);
  await ctx.tx.query(
    `insert into ledger_events (event_id, stream, clue_id, event, payload, note, actor, occurred_at)
     values ($1, 'lifecycle', $2, $3, $4, $5, $6, $7)`,
    [ulid(), parsed.clueId, parsed.event, JSON.stringify(parsed), note ?? null, ctx.subject, ctx.now],
  );
}

/** Appends an audit event (e.g. a decryption of reporter identity) to the same outbox. */
export async function appendAudit(tx: Queryable, event: AuditEvent): Promise<void> {
  const parsed = AuditEvent.parse(event);
  await tx.query(
    `insert into ledger_events (event_id, stream, clue_id, event, payload, actor, occurred_at)
     values ($1, 'audit', $2, $3, $4, $5, $6)`,
    [
      ulid(),
      parsed.target.kind === "clue" ? parsed.target.id : null,
      parsed.action,
      JSON.stringify(parsed),
      parsed.actor,
      parsed.at,
    ],
  );
}

/**
 * Appends many lifecycle events in one statement (the deadline scan fires thousands at once at the start of a
 * working day); same contract as {@link appendLifecycle}.
 */
export async function appendLifecycleBatch(
  tx: Queryable,
  options: { events: LifecycleEvent[]; subject: string; at: Date },
): Promise<void> {
  if (options.events.length === 0) return;
  const parsed = options.events.map((event) => LifecycleEvent.parse(event));
  await tx.query(
    `insert into ledger_events (event_id, stream, clue_id, event, payload, actor, occurred_at)
     select id, 'lifecycle', clue, name, body::jsonb, $5, $6
     from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as e(id, clue, name, body)`,
    [
      parsed.map(() => ulid()),
      parsed.map((event) => event.clueId),
      parsed.map((event) => event.event),
      parsed.map((event) => JSON.stringify(event)),
      options.subject,
      options.at,
    ],
  );
}
