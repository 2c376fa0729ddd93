import { createPgDatabase, createPgliteDatabase, type Database, migrate, readMigrations } from "@clueline/db";
import { describe, expect, it } from "vitest";
import { ledgerMigrations, openLedgerDatabase } from "./open-ledger-database.js";

const migrations = await readMigrations(ledgerMigrations);
const latest = migrations.length;
const upTo = (version: number) => migrations.filter((m) => m.version <= version);

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
      const db = await createPgDatabase({ url: postgresUrl, schema, poolSize: 2, applicationName: "clueline-closure-test" });
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

describe("the ledger's migrations folder", () => {
  it("holds versions 1 to 9 at least, the outbox trigger among them as plain SQL", () => {
    expect(latest).toBeGreaterThanOrEqual(9);
    expect(migrations.find((m) => m.version === 3)?.sql).toMatch(
      /create trigger ledger_events_outbox after insert on ledger_events/,
    );
  });
});

describe.each(unmigrated)("migrations on $engine", ({ open }) => {
  it("bring a ledger at every earlier version to the latest, with the supplements' originals table", async () => {
    for (let version = 0; version < latest; version++) {
      const { db, drop } = await open();
      try {
        expect(await migrate({ db, migrations: upTo(version) })).toEqual(upTo(version).map((m) => m.version));
        const rest = migrations.filter((m) => m.version > version).map((m) => m.version);
        expect(await migrate({ db, migrations }), `from version ${version}`).toEqual(rest);
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
    // the shared machine (214 s for seven versions), past the default minute; twelve versions now.
  }, 720_000);

  it("take a ledger that the runner before packages/db migrated to version 9 as up to date", async () => {
    const { db, drop } = await open();
    try {
      // The schema as that runner left it: the same statements, then its bookkeeping, names as it spelled them.
      for (const migration of upTo(9)) await db.transaction((tx) => tx.exec(migration.sql));
      await db.query(
        "create table schema_migrations (version int primary key, name text not null, applied_at timestamptz not null default now())",
      );
      const oldNames = [
        "ledger",
        "calendar-pending deadlines",
        "outbox table",
        "sealed original text",
        "sealed originals of supplements",
        "classifications",
        "clue evidence",
        "supervision orders as work, extension requests",
        "conduct from service failures",
      ];
      for (const [index, name] of oldNames.entries())
        await db.query("insert into schema_migrations (version, name) values ($1, $2)", [index + 1, name]);
      expect(await migrate({ db, migrations: upTo(9) })).toEqual([]);
      expect(await migrate({ db, migrations })).toEqual(migrations.filter((m) => m.version > 9).map((m) => m.version));
      const { rows } = await db.query<{ version: number; name: string }>(
        "select version, name from schema_migrations where version <= 9 order by version",
      );
      expect(rows.map((row) => row.name)).toEqual(oldNames);
    } finally {
      await drop();
    }
  });
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
      expect(await migrate({ db, migrations: upTo(2) })).toEqual([1, 2]);
      await event("sent", true);
      await event("unsent", false);
      expect(await migrate({ db, migrations: upTo(3) })).toEqual([3]);
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

describe.each(unmigrated)("migration 17 (the outbox by statement) on $engine", ({ open }) => {
  it("lists what a version-16 ledger had not sent, in order, and each later statement's events in one row", async () => {
    const { db, drop } = await open();
    const seqsOf = async (where: string) =>
      (await db.query<{ seq: string }>(`select seq::text from ledger_events e where ${where} order by e.seq`)).rows.map((row) =>
        Number(row.seq),
      );
    const listed = async () =>
      (
        await db.query<{ first_seq: string; seqs: string[] }>(
          "select first_seq::text, seqs::text[] from ledger_outbox_statements o order by o.first_seq",
        )
      ).rows.map((row) => [Number(row.first_seq), row.seqs.map(Number)]);
    const insert = (prefix: string, count: number) =>
      db.query(
        `insert into ledger_events (event_id, stream, event, payload, occurred_at)
         select $1 || n, 'audit', 'identity.decrypted', '{}', now() from generate_series(1, $2::int) n`,
        [prefix, count],
      );
    try {
      await migrate({ db, migrations: upTo(16) });
      await insert("sent-", 2);
      await insert("unsent-", 1_500);
      await db.query("delete from ledger_outbox where seq in (select seq from ledger_events where event_id like 'sent-%')");
      expect(await migrate({ db, migrations: upTo(17) })).toEqual([17]);
      const unsent = await seqsOf("event_id like 'unsent-%'");
      // In rows of 1,000 seqs, so the relay never rewrites one long row batch after batch.
      expect(await listed()).toEqual([
        [unsent[0], unsent.slice(0, 1_000)],
        [unsent[1_000], unsent.slice(1_000)],
      ]);
      await db.query("delete from ledger_outbox_statements");
      await insert("later-", 3);
      await insert("none-", 0);
      const later = await seqsOf("event_id like 'later-%'");
      expect(await listed()).toEqual([[later[0], later]]);
    } finally {
      await drop();
    }
  });
});

describe.each(unmigrated)("the discipline_bodies migration on $engine", ({ open }) => {
  it("gives the units routing or escalation put on a discipline track, before it and after, and no others", async () => {
    const version = migrations.find((m) => m.name === "discipline_bodies")?.version as number;
    const { db, drop } = await open();
    const assign = (rows: [unitId: string, track: string, cause: string][]) =>
      db.query(
        `insert into assignments (assignment_id, clue_id, unit_id, role, track, state, cause, assigned_at, updated_at)
         select gen_random_uuid()::text, 'clue', unit_id, 'lead', track, 'assigned', cause, now(), now()
         from jsonb_to_recordset($1::jsonb) as r(unit_id text, track text, cause text)`,
        [JSON.stringify(rows.map(([unit_id, track, cause]) => ({ unit_id, track, cause })))],
      );
    const bodies = async () =>
      (await db.query<{ unit_id: string }>("select unit_id from discipline_bodies order by unit_id")).rows.map((r) => r.unit_id);
    try {
      await migrate({ db, migrations: upTo(version - 1) });
      await assign([
        ["team-1", "discipline", "routing"],
        ["team-1", "discipline", "routing"],
        ["dc", "discipline", "escalation"],
        ["town-t", "discipline", "transfer"],
        ["town-r", "discipline", "reassignment"],
        ["town-k", "discipline", "classification"],
        ["dept-a", "service", "routing"],
      ]);
      expect(await migrate({ db, migrations: upTo(version) })).toEqual([version]);
      expect(await bodies()).toEqual(["dc", "team-1"]);
      // One statement naming a known unit, two new ones twice each, and units that are no discipline body.
      await assign([
        ["team-2", "discipline", "routing"],
        ["team-1", "discipline", "routing"],
        ["dept-b", "service", "routing"],
        ["team-2", "discipline", "routing"],
        ["town-a", "discipline", "escalation"],
        ["town-a", "discipline", "escalation"],
        ["town-u", "discipline", "transfer"],
      ]);
      await assign([]);
      expect(await bodies()).toEqual(["dc", "team-1", "team-2", "town-a"]);
      const { rows } = await db.query(
        "select 1 from pg_indexes where schemaname = current_schema() and indexname = 'assignments_unit'",
      );
      expect(rows).toEqual([]);
    } finally {
      await drop();
    }
  });
});

describe.each(unmigrated)("the unit_clues migration on $engine", ({ open }) => {
  it("reads the visibility rows written before it as they were, with no backfill", async () => {
    const version = migrations.find((m) => m.name === "unit_clues")?.version as number;
    const { db, drop } = await open();
    const rows = "select clue_id, unit_id, roles, seq::text, stream_reason from unit_clues order by seq";
    try {
      await migrate({ db, migrations: upTo(version - 1) });
      await db.query(
        `insert into assignments (assignment_id, clue_id, unit_id, role, track, state, cause, assigned_at, accept_due_on, updated_at)
         values ('a1', 'clue', 'town-a', 'lead', 'discipline', 'assigned', 'routing', now(), current_date, now())`,
      );
      await db.query(
        `insert into clue_units (clue_id, unit_id, roles, stream_reason)
         values ('clue', 'dc', array['informed'], null), ('clue', 'town-a', array['lead'], null),
                ('other', 'town-a', array['assist', 'supervisor'], 'reopened-by-supplement')`,
      );
      const before = (await db.query(rows.replace("unit_clues", "clue_units"))).rows;
      expect(await migrate({ db, migrations: upTo(version) })).toEqual([version]);
      expect((await db.query(rows)).rows).toEqual(before);
      expect(before).toHaveLength(3);
    } finally {
      await drop();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)("the ledger's connections", () => {
  it("are named clueline-closure in pg_stat_activity, and compile no query (jit off)", async () => {
    const schema = `closure_names_${Date.now().toString(36)}`;
    const db = await openLedgerDatabase({ url: process.env.DATABASE_URL as string, schema, poolSize: 1 });
    try {
      const { rows } = await db.query(
        "select application_name, current_setting('jit') as jit from pg_stat_activity where pid = pg_backend_pid()",
      );
      expect(rows).toEqual([{ application_name: "clueline-closure", jit: "off" }]);
    } finally {
      await db.query(`drop schema ${schema} cascade`);
      await db.close();
    }
  });
});
