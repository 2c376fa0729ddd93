import type { OutgoingRecord, Publisher } from "@clueline/bus";
import type { Database } from "@clueline/db";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestLedger, eventKey, routedFixture } from "../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import { countRows } from "../testing/until.js";
import { createOutboxRelay } from "./outbox-relay.js";

const logger = pino({ level: "silent" });
const topics = { lifecycle: "lifecycle", audit: "audit" };

/** A broker that acknowledges everything and remembers the ids it was sent, in order. */
function recordingPublisher(): Publisher & { ids: string[] } {
  const ids: string[] = [];
  const publishAll = async (records: OutgoingRecord[]) => {
    for (const record of records) ids.push(record.headers.ce_id as string);
  };
  return {
    ids,
    publishAll,
    publish: (record) => publishAll([record]),
    connect: async () => {},
    close: async () => {},
  } as Publisher & { ids: string[] };
}

const loggedIds = async (db: Database, where = "true") =>
  (await db.query<{ event_id: string }>(`select event_id from ledger_log where ${where} order by seq, part`)).rows.map(
    (row) => row.event_id,
  );

const listed = async (db: Database) =>
  (
    await db.query<{ first_seq: string; seqs: string[] }>(
      "select first_seq::text, seqs::text[] from ledger_outbox_statements o order by o.first_seq",
    )
  ).rows.map((row) => ({ first: Number(row.first_seq), seqs: row.seqs.map(Number) }));

describe.each(testDatabaseEngines())("the outbox relay on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("lists each inserting statement's events in one row, and an empty insert in none", async () => {
    const { ledger } = createTestLedger(db);
    await ledger.applyRoutedBatch(Array.from({ length: 3 }, () => ({ key: eventKey(), routed: routedFixture() })));
    await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    await db.query(
      "insert into ledger_events (event_id, stream, event, payload, occurred_at) select 'none', 'audit', 'x', '{}', now() where false",
    );
    const seqs = (await db.query<{ seq: string }>("select seq::text from ledger_events e order by e.seq")).rows.map((r) =>
      Number(r.seq),
    );
    const rows = await listed(db);
    expect(rows.flatMap((row) => row.seqs)).toEqual(seqs);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ first: seqs[0], seqs: seqs.slice(0, 3) });
    expect(rows.every((row) => row.first === row.seqs[0])).toBe(true);
  });

  it("sends a batch of the smallest listed seqs across rows, keeps the rest of a row sent in part, sends each once", async () => {
    const { ledger } = createTestLedger(db);
    await ledger.applyRoutedBatch(Array.from({ length: 3 }, () => ({ key: eventKey(), routed: routedFixture() })));
    await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    const ids = await loggedIds(db);
    const [a, b] = await listed(db);
    expect(a?.seqs).toHaveLength(3);
    const publisher = recordingPublisher();
    const relay = createOutboxRelay({ db, publisher, logger, topics, source: "/test", instanceId: "one", batchSize: 2 });

    // Two of the first statement's three: that row keeps its third seq under its first seq; the second is whole.
    await relay.relayOnce();
    expect(publisher.ids).toEqual(await loggedIds(db, `seq in (${a?.seqs.slice(0, 2).join()})`));
    expect(await listed(db)).toEqual([{ first: a?.first, seqs: a?.seqs.slice(2) }, b]);
    // The rest of the first statement and the second statement's one: both rows leave the list.
    await relay.relayOnce();
    expect(await relay.relayOnce()).toBe(0);
    expect(await listed(db)).toEqual([]);
    expect(publisher.ids).toEqual(ids);
  });

  it("sends every event once, in ledger order, whatever the batch size against the statements' sizes", async () => {
    const { ledger } = createTestLedger(db);
    for (const size of [3, 1, 4, 2]) {
      await ledger.applyRoutedBatch(Array.from({ length: size }, () => ({ key: eventKey(), routed: routedFixture() })));
    }
    const ids = await loggedIds(db);
    const listedRows = await listed(db);
    for (const batchSize of [1, 2, 3, 5, 7, 100]) {
      await db.query("delete from ledger_outbox_statements");
      for (const row of listedRows) {
        await db.query("insert into ledger_outbox_statements (first_seq, seqs) values ($1, $2::bigint[])", [row.first, row.seqs]);
      }
      const publisher = recordingPublisher();
      const relay = createOutboxRelay({ db, publisher, logger, topics, source: "/test", instanceId: "one", batchSize });
      while ((await relay.relayOnce()) > 0) {}
      expect(publisher.ids, `batches of ${batchSize}`).toEqual(ids);
      expect(await countRows(db, "ledger_outbox_statements")).toBe(0);
    }
  });

  it("sends in seq order the rows of statements whose seqs interleave, as one list of seqs did", async () => {
    const { ledger } = createTestLedger(db);
    for (let n = 0; n < 5; n++) await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    const seqs = (await db.query<{ seq: string }>("select seq::text from ledger_events e order by e.seq")).rows.map((r) => r.seq);
    expect(seqs).toHaveLength(5);
    const [s1, s2, s3, s4, s5] = seqs;
    // Two statements running at once take seqs in turn: one wrote 1, 3, 5 and the other 2, 4.
    await db.query("delete from ledger_outbox_statements");
    await db.query(
      "insert into ledger_outbox_statements (first_seq, seqs) values ($1, array[$1, $2, $3]::bigint[]), ($4, array[$4, $5]::bigint[])",
      [s1, s3, s5, s2, s4],
    );
    const publisher = recordingPublisher();
    const relay = createOutboxRelay({ db, publisher, logger, topics, source: "/test", instanceId: "one", batchSize: 2 });
    const sentBy = async () => {
      const before = publisher.ids.length;
      await relay.relayOnce();
      return publisher.ids.slice(before);
    };
    expect(await sentBy()).toEqual(await loggedIds(db, `seq in (${s1}, ${s2})`));
    expect(await listed(db)).toEqual([
      { first: Number(s1), seqs: [Number(s3), Number(s5)] },
      { first: Number(s2), seqs: [Number(s4)] },
    ]);
    expect(await sentBy()).toEqual(await loggedIds(db, `seq in (${s3}, ${s4})`));
    expect(await sentBy()).toEqual(await loggedIds(db, `seq = ${s5}`));
    expect(await countRows(db, "ledger_outbox_statements")).toBe(0);
  });

  it("leaves listed a row that commits between the batch's read and its mark, with seqs below the batch's", async () => {
    const { ledger } = createTestLedger(db);
    for (let n = 0; n < 3; n++) await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    const [first, late, last] = await listed(db);
    // The middle statement had not committed when the relay read the list.
    await db.query("delete from ledger_outbox_statements where first_seq = $1", [late?.first]);
    let marking = false;
    const racing: Database = {
      ...db,
      query: async (sql, params) => {
        if (sql.includes("delete from ledger_outbox_statements") && !marking) {
          marking = true;
          await db.query("insert into ledger_outbox_statements (first_seq, seqs) values ($1, $2::bigint[])", [
            late?.first,
            late?.seqs,
          ]);
        }
        return db.query(sql, params);
      },
    } as Database;
    const publisher = recordingPublisher();
    const relay = createOutboxRelay({ db: racing, publisher, logger, topics, source: "/test", instanceId: "one" });
    await relay.relayOnce();
    expect(await listed(db)).toEqual([late]);
    await relay.relayOnce();
    expect(new Set(publisher.ids)).toEqual(new Set(await loggedIds(db)));
    expect(publisher.ids).toHaveLength((await loggedIds(db)).length);
    expect(first && last).toBeTruthy();
  });

  it("makes an older relay's statements fail rather than send: the table they name is gone", async () => {
    const { ledger } = createTestLedger(db);
    await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    // The two statements of a relay from before migration 17, as it sent them.
    await expect(
      db.query(
        `select seq, event_id, stream, payload, occurred_at from ledger_log
         where seq = any(array(select seq from ledger_outbox order by seq limit $1)) order by seq, part`,
        [1000],
      ),
    ).rejects.toThrow(/ledger_outbox/);
    await expect(db.query("delete from ledger_outbox where seq = any($1::bigint[])", [["1"]])).rejects.toThrow(/ledger_outbox/);
    expect(await countRows(db, "ledger_outbox_statements")).toBe(1);
  });
});
