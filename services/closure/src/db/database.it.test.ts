import { RetryableOutage } from "@clueline/contracts/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import type { Database } from "./database.js";
import { MigrationAhead, migrate } from "./migrate.js";
import { migrations } from "./migrations.js";
import { createPgDatabase } from "./pg-database.js";
import { createPgliteDatabase } from "./pglite-database.js";

describe.each(testDatabaseEngines())("database on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("migrates once, forward only, and refuses a database that is ahead of the build", async () => {
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ version: number }>("select version from schema_migrations order by version");
    const versions = migrations.map((m) => m.version);
    expect(rows.map((r) => r.version)).toEqual(versions);
    const next = Math.max(...versions) + 1;
    const later = { version: next, name: "later", statements: ["create table later_thing (x int)"] };
    expect(await migrate(db, [later])).toEqual([next]);
    await expect(migrate(db, [])).rejects.toBeInstanceOf(MigrationAhead);
  });

  it("commits a transaction that resolves and rolls back one that throws", async () => {
    await db.query("create table t (x int primary key)");
    await db.transaction(async (tx) => {
      await tx.query("insert into t values ($1)", [1]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into t values ($1)", [2]);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const { rows, rowCount } = await db.query<{ x: number }>("select x from t");
    expect(rows).toEqual([{ x: 1 }]);
    expect(rowCount).toBe(1);
    expect((await db.query("update t set x = x + 10")).rowCount).toBe(1);
  });
});

/** A ledger with no migrations applied, and how to drop it. */
const unmigrated: Array<{ engine: string; open: () => Promise<{ db: Database; drop: () => Promise<void> }> }> = [
  {
    engine: "pglite",
    async open() {
      const db = await createPgliteDatabase();
      return { db, drop: () => db.close() };
    },
  },
];
const postgresUrl = process.env.DATABASE_URL;
if (postgresUrl) {
  unmigrated.push({
    engine: "postgres",
    async open() {
      const schema = `closure_unmigrated_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      const db = await createPgDatabase({ url: postgresUrl, schema, poolSize: 2 });
      return {
        db,
        async drop() {
          await db.query(`drop schema ${schema} cascade`);
          await db.close();
        },
      };
    },
  });
}

describe.each(unmigrated)("migrations on $engine", ({ open }) => {
  it("bring a ledger at every earlier version to the latest, with the supplements' originals table", async () => {
    const latest = Math.max(...migrations.map((m) => m.version));
    for (let version = 0; version < latest; version++) {
      const { db, drop } = await open();
      try {
        const upTo = migrations.filter((m) => m.version <= version).map((m) => m.version);
        expect(
          await migrate(
            db,
            migrations.filter((m) => m.version <= version),
          ),
        ).toEqual(upTo);
        const rest = migrations.filter((m) => m.version > version).map((m) => m.version);
        expect(await migrate(db), `from version ${version}`).toEqual(rest);
        const { rows } = await db.query<{ version: number }>("select max(version)::int as version from schema_migrations");
        expect(rows[0]?.version).toBe(latest);
        expect(
          (await db.query("select complaint_id, clue_id, sealed_original, supplemented_at from clue_supplements")).rows,
        ).toEqual([]);
      } finally {
        await drop();
      }
    }
    // One fresh PGlite per earlier version, each migrated twice: ~9 s each idle, 30 s at a load average of 15 on
    // the shared machine (214 s for seven versions), past the default minute.
  }, 420_000);
});

describe.each(unmigrated)("migration 3 (the outbox table) on $engine", ({ open }) => {
  it("lists the events a version-2 ledger had not sent, and every event written after it", async () => {
    const { db, drop } = await open();
    const event = (id: string, sent: boolean) =>
      db.query(
        `insert into ledger_events (event_id, stream, event, payload, occurred_at, published_at)
         values ($1, 'lifecycle', 'clue.opened', '{}', now(), ${sent ? "now()" : "null"})`,
        [id],
      );
    try {
      const upToTwo = migrations.filter((m) => m.version <= 2);
      expect(await migrate(db, upToTwo)).toEqual([1, 2]);
      await event("sent", true);
      await event("unsent", false);
      const upToThree = migrations.filter((m) => m.version <= 3);
      expect(await migrate(db, upToThree)).toEqual([3]);
      const listed = () =>
        db.query<{ event_id: string }>(
          "select e.event_id from ledger_outbox o join ledger_events e on e.seq = o.seq order by o.seq",
        );
      expect((await listed()).rows).toEqual([{ event_id: "unsent" }]);
      // A writer that knows nothing of the outbox (an older closure during a rolling deploy) is listed too.
      await event("written-later", false);
      await db.query(
        `insert into ledger_events (event_id, stream, event, payload, occurred_at)
         select 'batch-' || n, 'audit', 'identity.decrypted', '{}', now() from generate_series(1, 3) n`,
      );
      expect((await listed()).rows.map((row) => row.event_id)).toEqual([
        "unsent",
        "written-later",
        "batch-1",
        "batch-2",
        "batch-3",
      ]);
    } finally {
      await drop();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)("prepared statements on PostgreSQL", () => {
  it("drop the connection whose plan a schema change made stale, and the retry succeeds", async () => {
    const schema = `closure_stale_${Date.now().toString(36)}`;
    const db = await createPgDatabase({ url: process.env.DATABASE_URL as string, schema, poolSize: 1 });
    try {
      await db.query("create table t (x int primary key)");
      await db.query("insert into t values (1)");
      const read = () => db.query("select * from t where x = $1", [1]);
      const readInTransaction = () => db.transaction((tx) => tx.query("select * from t where x = $1", [1]));
      expect((await read()).rows).toEqual([{ x: 1 }]);
      await db.query("alter table t add column y int");
      const stale = await read().catch((error: unknown) => error);
      expect(stale).toBeInstanceOf(RetryableOutage);
      expect((await read()).rows).toEqual([{ x: 1, y: null }]);
      await db.query("alter table t add column z int");
      expect(await readInTransaction().catch((error: unknown) => error)).toBeInstanceOf(RetryableOutage);
      expect((await readInTransaction()).rows).toEqual([{ x: 1, y: null, z: null }]);
    } finally {
      await db.query(`drop schema ${schema} cascade`);
      await db.close();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)("the ledger's connections", () => {
  it("are named clueline-closure in pg_stat_activity, and compile no query (jit off)", async () => {
    const db = await createPgDatabase({ url: process.env.DATABASE_URL as string, poolSize: 1 });
    try {
      const { rows } = await db.query(
        "select application_name, current_setting('jit') as jit from pg_stat_activity where pid = pg_backend_pid()",
      );
      expect(rows).toEqual([{ application_name: "clueline-closure", jit: "off" }]);
    } finally {
      await db.close();
    }
  });
});

describe("an unreachable PostgreSQL", () => {
  it("is a retryable outage, not a crash", async () => {
    await expect(createPgDatabase({ url: "postgres://postgres@127.0.0.1:1/none", schema: "s" })).rejects.toBeInstanceOf(
      RetryableOutage,
    );
  });
});
