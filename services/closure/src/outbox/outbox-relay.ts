import type { OutgoingRecord, Publisher } from "@clueline/bus";
import { auditTopic, lifecycleTopic } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import type { Logger } from "pino";
import { createSingletonLoop } from "../db/singleton-loop.js";
import { UnitStreamSkipped, type UnitStreams, unitStreamRecordsOf } from "../unit-stream/unit-stream-records.js";

/** Where each outbox stream goes; tests prefix the names. */
export interface RelayTopics {
  lifecycle: string;
  audit: string;
}

/**
 * Relays the ledger's outbox to Kafka: publish a batch of the events `ledger_outbox_statements` lists (acks = all),
 * then take them off the list. A crash between the two re-sends the same events with the same `ce_id` on the next turn,
 * which consumers dedupe (DESIGN §4); nothing is lost because nothing leaves the list before the broker
 * acknowledged it. Events leave in seq order, and a lease keeps one relay running across processes, so a clue's
 * events reach its partition in order.
 *
 * With `units`, each lifecycle event that gives a unit work, takes it or shows it a clue (`unit-stream-kinds.ts`) also
 * goes to that unit's stream, in the same publish and the same order: the ledger is the one producer of what a unit's
 * subscriber rebuilds, so a transfer can never overtake the routing that gave the unit the clue.
 *
 * @example
 * const relay = createOutboxRelay({ db, publisher, logger, topics, source: "/clueline/closure", instanceId });
 * relay.start();
 * await relay.stop();
 */
export function createOutboxRelay(options: {
  db: Database;
  publisher: Publisher;
  logger: Logger;
  topics: RelayTopics;
  /** The unit streams; without them (the ledger bench) only the lifecycle and audit topics are written. */
  units?: UnitStreams;
  source: string;
  instanceId: string;
  batchSize?: number;
  intervalMs?: number;
}) {
  const batchSize = options.batchSize ?? 1_000;
  const intervalMs = options.intervalMs ?? 100;
  const loop = createSingletonLoop({
    db: options.db,
    name: "outbox-relay",
    instanceId: options.instanceId,
    logger: options.logger,
    intervalMs,
    // A full batch means more is waiting: go again at once.
    turn: async () => (await relayBatch()).rows === batchSize,
  });

  function toRecords(row: Record<string, unknown>): OutgoingRecord[] {
    const attributes = {
      source: options.source,
      id: String(row.event_id),
      time: new Date(row.occurred_at as Date).toISOString(),
    };
    const payload = typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload;
    if (row.stream === "audit") return [{ topic: options.topics.audit, ...auditTopic.serialize(payload, attributes) }];
    const lifecycle = { topic: options.topics.lifecycle, ...lifecycleTopic.serialize(payload, attributes) };
    if (!options.units) return [lifecycle];
    const { id: eventId, time, source } = attributes;
    const units = unitStreamRecordsOf({ payload, eventId, time, source, prefix: options.units.prefix });
    if (units instanceof UnitStreamSkipped) {
      // Holding the outbox back for it would stop every stream; the log names the event to repair and re-list.
      options.logger.error({ eventId: units.eventId, errorClass: units.name }, "unit-stream records skipped");
      return [lifecycle];
    }
    return [lifecycle, ...units];
  }

  /** Publishes up to one batch of unsent events; returns how many. */
  async function relayOnce(): Promise<number> {
    return (await relayBatch()).events;
  }

  /**
   * One batch of the outbox: the `batchSize` smallest listed seqs (`rows`, what `batchSize` limits), holding `events`
   * events, a clue's opening carrying its assignments (`ledger_log`, migration 013). The outbox lists each inserting
   * statement's seqs in one row (migration 017), so a batch may take a row only in part: that row keeps the rest.
   */
  async function relayBatch(): Promise<{ rows: number; events: number }> {
    // The batch's seqs as one array, the events fetched by it on their primary key: as a join, the planner's generic
    // plan hashed the whole of ledger_events for each batch (490 ms at 150,000 events, under load). Every listed seq
    // is at least its row's first_seq, so the batch lies in the rows whose first_seq is at most the batch-th smallest
    // seq of the first rows that list batch seqs together: a range of the primary key, not the whole outbox. (Only
    // those first rows are unnested: in a backlog of 200-seq statements, a thousand rows would be 200,000 seqs.)
    const { rows } = await options.db.query(
      `select seq, event_id, stream, payload, occurred_at from ledger_log
       where seq = any(array(
         select seq from ledger_outbox_statements, unnest(seqs) seq
         where first_seq <= (
           select max(seq) from (
             select seq from (
               select seqs, sum(cardinality(seqs)) over (order by first_seq) - cardinality(seqs) as before
               from (select first_seq, seqs from ledger_outbox_statements order by first_seq limit $1) listed) head,
               unnest(seqs) seq
             where before < $1
             order by seq limit $1) bound)
         order by seq limit $1))
       order by seq, part`,
      [batchSize],
    );
    if (rows.length === 0) return { rows: 0, events: 0 };
    const records = rows.flatMap(toRecords);
    if (options.units) {
      const lifecycleTopics = new Set([options.topics.lifecycle, options.topics.audit]);
      await options.units.prepare([...new Set(records.map((r) => r.topic).filter((t) => !lifecycleTopics.has(t)))]);
    }
    await options.publisher.publishAll(records);
    const sent = [...new Set(rows.map((row) => String(row.seq)))];
    // The rows sent whole leave the list; the rows sent in part keep their other seqs. Only rows holding a sent seq
    // are touched: a statement that committed since the select lists seqs of its own, unsent.
    await options.db.query(
      `with rest as (
         update ledger_outbox_statements set seqs = array(select s from unnest(seqs) s where s <> all($1::bigint[]) order by s)
         where seqs && $1::bigint[] and not seqs <@ $1::bigint[])
       delete from ledger_outbox_statements where seqs <@ $1::bigint[]`,
      [sent],
    );
    return { rows: sent.length, events: rows.length };
  }

  return { relayOnce, start: loop.start, wake: loop.wake, stop: loop.stop };
}

export type OutboxRelay = ReturnType<typeof createOutboxRelay>;
