import { createHash, randomBytes } from "node:crypto";
import type { Complaint, RoutingDecision } from "@clueline/contracts";
import { createPgliteDatabase } from "@clueline/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../directory/index.js";
import { createBatchRouter, createComplaintRouter } from "../routing/create-complaint-router.js";
import type { SubjectKey } from "../routing/history.js";
import { corpusComplaints, routedTexts } from "../testing/routed-texts.js";
import { migrateRouterSchema, routerStateBackends, sqlDatabases } from "../testing/router-state-backends.js";
import { readBatch } from "./postgres-batch-statements.js";
import { createPostgresRouterState } from "./postgres-router-state.js";

/**
 * The RouterState contract, run against every implementation: memory, PGlite, and PostgreSQL when
 * DATABASE_URL is set. Each test gets its own schema and drops it afterwards.
 */
const databases = await sqlDatabases(process.env.DATABASE_URL);
const backends = await routerStateBackends({
  schemaPrefix: "router_test",
  databaseUrl: process.env.DATABASE_URL,
  // Migrating a migrated schema applies nothing.
  onMigrated: async (db, schema) => {
    expect(await migrateRouterSchema({ db, schema })).toEqual([]);
  },
});

describe.each(databases)("the batch read on $name", ({ connect }) => {
  it("reads the subjects of the reporters' clues only, however the planner would join (no scan of the history)", async () => {
    const db = await connect();
    const schema = `router_test_${randomBytes(6).toString("hex")}`;
    try {
      await migrateRouterSchema({ db, schema });
      // 20,000 clues from 10,000 reporters, a subject each; a batch's 50 reporters have 100 of them.
      await db.query(
        `INSERT INTO "${schema}".decisions (complaint_id, decision_id, clue_id, decision, decided_at)
         SELECT 'c' || i, 'c' || i, 'c' || i, '{}', timestamptz '2024-05-20T00:00:00Z' FROM generate_series(1, 20000) i`,
      );
      await db.query(
        `INSERT INTO "${schema}".clues (clue_id, complaint_id, opened_at, reporter_hash)
         SELECT 'c' || i, 'c' || i, timestamptz '2024-05-20T00:00:00Z' + i * interval '1 second', md5((i % 10000)::text)
           FROM generate_series(1, 20000) i`,
      );
      await db.query(
        `INSERT INTO "${schema}".clue_subjects (subject, opened_at, clue_id)
         SELECT 'town:t' || (i % 17), timestamptz '2024-05-20T00:00:00Z' + i * interval '1 second', 'c' || i
           FROM generate_series(1, 20000) i`,
      );
      await db.query(`ANALYZE "${schema}".clues`);
      await db.query(`ANALYZE "${schema}".clue_subjects`);
      const reporters = Array.from({ length: 50 }, (_, n) =>
        createHash("md5")
          .update(String(n + 1))
          .digest("hex"),
      );
      const { read, subjectRowsRead } = await db.transaction(async (tx) => {
        // As when the planner misjudges how many clues match and prefers to hash the whole table to a loop of lookups.
        await tx.query("SET LOCAL enable_nestloop = off");
        const read = await readBatch({
          tx,
          schema: `"${schema}"`,
          query: {
            complaintIds: [],
            history: {
              subjects: [],
              repeatSince: { earliest: "2024-05-20T00:00:00Z", latest: "2024-05-20T00:00:00Z" },
              reporterHashes: reporters,
              mergeSince: "2024-05-19T00:00:00Z",
            },
          },
        });
        const { rows } = await tx.query<{ read: string }>(
          `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS read FROM pg_stat_xact_user_tables
            WHERE schemaname = $1 AND relname = 'clue_subjects'`,
          [schema],
        );
        return { read, subjectRowsRead: Number(rows[0]?.read) };
      });
      const clues = read.history?.reporterClues ?? [];
      expect(clues).toHaveLength(100);
      expect(clues.find((clue) => clue.clueId === "c10001")).toEqual({
        reporterHash: reporters[0],
        clueId: "c10001",
        openedAtMs: Date.parse("2024-05-20T02:46:41Z"),
        subjects: [`town:t${10001 % 17}`],
      });
      expect(subjectRowsRead).toBe(100);
    } finally {
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
    }
  });
});

describe.each(databases)("the batch read of stored decisions on $name", ({ connect }) => {
  it("looks up only the batch's complaint ids, even with a plan made while the table was small", async () => {
    const db = await connect();
    const schema = `router_test_${randomBytes(6).toString("hex")}`;
    try {
      await migrateRouterSchema({ db, schema });
      const decisionRowsRead = await db.transaction(async (tx) => {
        // Openings store no decision of their own (it is in their clue's `routed`): small rows, so a table of a few
        // thousand looks cheaper to scan than to look up in. The statement's plan is made then and kept, as a pool's
        // connection keeps it while the table grows (nothing analyzes it when autovacuum is off, PGlite's case).
        const insert = (from: number, to: number) =>
          tx.query(
            `INSERT INTO "${schema}".decisions (complaint_id, clue_id, decided_at)
             SELECT 'c' || i, 'c' || i, timestamptz '2024-05-20T00:00:00Z' FROM generate_series($1::int, $2::int) i`,
            [from, to],
          );
        const decide = (id: string) =>
          tx.query(`UPDATE "${schema}".decisions SET decision = $2 WHERE complaint_id = $1`, [
            id,
            JSON.stringify(decisionFor(id)),
          ]);
        const rowsRead = async () => {
          const { rows } = await tx.query<{ read: string }>(
            `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS read FROM pg_stat_xact_user_tables
              WHERE schemaname = $1 AND relname = 'decisions'`,
            [schema],
          );
          return Number(rows[0]?.read);
        };
        const query = { complaintIds: ["c7", "c19999", "missing"], history: null };
        await insert(1, 2500);
        await decide("c7");
        await tx.query("SET LOCAL plan_cache_mode = force_generic_plan");
        expect([...(await readBatch({ tx, schema: `"${schema}"`, query })).decisions.keys()]).toEqual(["c7"]);
        await insert(2501, 20000);
        await decide("c19999");
        const before = await rowsRead();
        const { decisions } = await readBatch({ tx, schema: `"${schema}"`, query });
        expect([...decisions.keys()].sort()).toEqual(["c19999", "c7"]);
        expect(decisions.get("c7")?.complaintId).toBe("c7");
        return (await rowsRead()) - before;
      });
      expect(decisionRowsRead).toBe(2);
    } finally {
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
    }
  });
});

describe.each(databases)("an opening's decision on $name", ({ connect }) => {
  it("is stored once, in its clue's routed text, when that holds it; else in its own column", async () => {
    const db = await connect();
    const schema = `router_test_${randomBytes(6).toString("hex")}`;
    try {
      await migrateRouterSchema({ db, schema });
      const state = createPostgresRouterState({ db, schema });
      const record = { openedAt: "2024-05-20T01:00:00.000Z", reporterHash: null, subjects: [town] };
      const once = decisionFor("once");
      const other = decisionFor("other");
      // Keys reordered, and escapes PostgreSQL's JSON parser refuses in the complaint: the text is parsed here.
      const reordered = Object.fromEntries(Object.entries(once).reverse());
      const routedOnce = JSON.stringify({ complaint: { text: "a\u0000b\ud800" }, decision: reordered });
      const routedOther = JSON.stringify({ decision: { ...other, nature: "service" }, complaint: {} });
      await state.withTransaction((tx) =>
        tx.recordDecisions([
          { decision: once, ...record, routed: routedOnce },
          { decision: other, ...record, routed: routedOther },
        ]),
      );
      const { rows } = await db.query<{ complaint_id: string; stored: boolean }>(
        `SELECT complaint_id, decision IS NOT NULL AS stored FROM "${schema}".decisions ORDER BY complaint_id`,
      );
      expect(rows).toEqual([
        { complaint_id: "once", stored: false },
        { complaint_id: "other", stored: true },
      ]);
      expect(JSON.stringify(await state.getDecision("once"))).toBe(JSON.stringify(once));
      expect(await state.getDecision("other")).toEqual(other);
      const again = await state.withTransaction(async (tx) => ({
        read: await tx.readBatch({ complaintIds: ["once", "other"], history: null }),
        recorded: await tx.recordDecision({ decision: decisionFor("once"), ...record, routed: routedOnce }),
      }));
      expect(again.read.decisions).toEqual(
        new Map([
          ["once", once],
          ["other", other],
        ]),
      );
      expect(again.recorded).toEqual({ decision: once, duplicate: true });
    } finally {
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
    }
  });
});

describe.each(databases)("an opening's routed text on $name", ({ connect }) => {
  it("comes back byte for byte from its compressed bytes, for every clue the corpus and odd texts open", async () => {
    const db = await connect();
    const schema = `router_test_${randomBytes(6).toString("hex")}`;
    try {
      await migrateRouterSchema({ db, schema });
      const state = createPostgresRouterState({ db, schema });
      // Escapes, quotes, astral characters and lone surrogates (which JSON.stringify writes as escapes) in every free text.
      const odd = ["a\u0000b\ud800c\udfff", '引号"\\反斜杠\n换行', "𠮷野家 🀄 ﷽", "城关镇".repeat(2_000)];
      const complaints = [
        ...corpusComplaints(),
        ...odd.map((text, n) => complaint(`odd-${n}`, { text, subjects: { persons: [{ name: text.slice(0, 50) }] } })),
      ];
      const texts = await routedTexts({ complaints, directory });
      const openings = texts.map((text) => ({ text, decision: (JSON.parse(text) as { decision: RoutingDecision }).decision }));
      await state.withTransaction((tx) =>
        tx.recordDecisions(
          openings.map(({ text, decision }) => ({
            decision,
            openedAt: decision.decidedAt,
            reporterHash: null,
            subjects: [],
            routed: text,
          })),
        ),
      );
      const read = await state.withTransaction(async (tx) => ({
        openings: await tx.readOpenings(openings.map(({ decision }) => decision.clueId)),
        decisions: (await tx.readBatch({ complaintIds: openings.map(({ decision }) => decision.complaintId), history: null }))
          .decisions,
      }));
      const differing = openings.filter(({ text, decision }) => {
        const back = read.openings.get(decision.clueId) ?? "";
        return back !== text || !Buffer.from(back).equals(Buffer.from(text));
      });
      expect(differing.map(({ decision }) => decision.complaintId)).toEqual([]);
      expect(read.decisions).toEqual(new Map(openings.map(({ decision }) => [decision.complaintId, decision])));
      expect(await state.getDecision("odd-3")).toEqual(
        openings.find(({ decision }) => decision.complaintId === "odd-3")?.decision,
      );
      const { rows } = await db.query<{ compressed: number; decisions: number; bytes: number }>(
        `SELECT count(*) FILTER (WHERE c.routed IS NULL AND c.routed_deflated IS NOT NULL)::int AS compressed,
                count(d.decision)::int AS decisions, sum(octet_length(c.routed_deflated))::int AS bytes
           FROM "${schema}".clues c JOIN "${schema}".decisions d USING (clue_id)`,
      );
      const textBytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
      expect(rows[0]).toMatchObject({ compressed: texts.length, decisions: 0 });
      expect((rows[0]?.bytes ?? 0) / textBytes).toBeLessThan(0.4);
    } finally {
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
    }
  });
});

describe("router schema migration 6 (openings compressed)", () => {
  it("reads the texts a version-5 router stored, before and during a rolling deploy; what it reads of ours", async () => {
    const db = await createPgliteDatabase();
    try {
      expect(await migrateRouterSchema({ db, schema: "old", upTo: 5 })).toEqual([1, 2, 3, 4, 5]);
      const openingOf = (decision: RoutingDecision) => JSON.stringify({ decision, complaint: { text: "城关镇干部吃拿卡要" } });
      // As a version-5 router writes an opening: no decision of its own, no decision id, the text as text.
      const writeAsVersion5 = async (decision: RoutingDecision) => {
        await db.query(`INSERT INTO "old".decisions (complaint_id, clue_id, decided_at) VALUES ($1, $2, $3)`, [
          decision.complaintId,
          decision.clueId,
          decision.decidedAt,
        ]);
        await db.query(`INSERT INTO "old".clues (clue_id, complaint_id, opened_at, routed) VALUES ($1, $2, $3, $4)`, [
          decision.clueId,
          decision.complaintId,
          decision.decidedAt,
          openingOf(decision),
        ]);
      };
      const before = decisionFor("v5-before");
      await writeAsVersion5(before);
      expect(await migrateRouterSchema({ db, schema: "old" })).toEqual([6, 7]);
      const during = decisionFor("v5-during");
      await writeAsVersion5(during);
      const after = decisionFor("v6");
      const state = createPostgresRouterState({ db, schema: "old" });
      await state.withTransaction((tx) =>
        tx.recordDecision({
          decision: after,
          openedAt: after.decidedAt,
          reporterHash: null,
          subjects: [],
          routed: openingOf(after),
        }),
      );
      const all = [before, during, after];
      for (const decision of all) expect(await state.getDecision(decision.complaintId)).toEqual(decision);
      const read = await state.withTransaction(async (tx) => ({
        decisions: (await tx.readBatch({ complaintIds: all.map((d) => d.complaintId), history: null })).decisions,
        openings: await tx.readOpenings(all.map((d) => d.clueId)),
      }));
      expect(read.decisions).toEqual(new Map(all.map((d) => [d.complaintId, d])));
      expect(read.openings).toEqual(new Map(all.map((d) => [d.clueId, openingOf(d)])));
      // A version-5 router's two reads (a stored decision, the openings of merge targets) find no text for this
      // version's clue: the rolling-deploy consequences written in the migration.
      const { rows } = await db.query(
        `SELECT d.decision, CASE WHEN d.decision IS NULL THEN (SELECT c.routed FROM "old".clues c WHERE c.clue_id = d.clue_id) END AS routed,
                (SELECT count(*) FROM "old".clues c WHERE c.clue_id = d.clue_id AND c.routed IS NOT NULL)::int AS openings
           FROM "old".decisions d WHERE d.complaint_id = 'v6'`,
      );
      expect(rows).toEqual([{ decision: null, routed: null, openings: 0 }]);
    } finally {
      await db.close();
    }
  });
});

describe("router schema migration 7 (columns no statement reads)", () => {
  it("finds a reporter's clues with their subjects, written by version 6 before and during a rolling deploy, and ours", async () => {
    const db = await createPgliteDatabase();
    try {
      expect(await migrateRouterSchema({ db, schema: "old", upTo: 6 })).toEqual([1, 2, 3, 4, 5, 6]);
      const hash = "c".repeat(64);
      // As a version-6 router writes a clue: every column, the clue id on every subject row.
      const writeAsVersion6 = async (decision: RoutingDecision, reporterHash: string | null) => {
        await db.query(`INSERT INTO "old".decisions (complaint_id, clue_id, decision, decided_at) VALUES ($1, $2, $3, $4)`, [
          decision.complaintId,
          decision.clueId,
          JSON.stringify(decision),
          decision.decidedAt,
        ]);
        await db.query(`INSERT INTO "old".clues (clue_id, complaint_id, opened_at, reporter_hash) VALUES ($1, $2, $3, $4)`, [
          decision.clueId,
          decision.complaintId,
          decision.decidedAt,
          reporterHash,
        ]);
        await db.query(`INSERT INTO "old".clue_subjects (subject, opened_at, clue_id) VALUES ($1, $2, $3)`, [
          town,
          decision.decidedAt,
          decision.clueId,
        ]);
      };
      const before = decisionFor("v6-before", { decidedAt: "2024-05-20T01:00:00.000Z" });
      await writeAsVersion6(before, hash);
      expect(await migrateRouterSchema({ db, schema: "old" })).toEqual([7]);
      const during = decisionFor("v6-during", { decidedAt: "2024-05-20T02:00:00.000Z" });
      await writeAsVersion6(during, hash);
      const ours = decisionFor("v7", { decidedAt: "2024-05-20T03:00:00.000Z" });
      const anonymous = decisionFor("v7-anonymous", { decidedAt: "2024-05-20T04:00:00.000Z" });
      const state = createPostgresRouterState({ db, schema: "old" });
      await state.withTransaction((tx) =>
        tx.recordDecisions([
          { decision: ours, openedAt: ours.decidedAt, reporterHash: hash, subjects: [town] },
          { decision: anonymous, openedAt: anonymous.decidedAt, reporterHash: null, subjects: [town] },
        ]),
      );
      const { rows } = await db.query(`SELECT clue_id FROM "old".clue_subjects ORDER BY opened_at`);
      expect(rows).toEqual([{ clue_id: before.clueId }, { clue_id: during.clueId }, { clue_id: ours.clueId }, { clue_id: null }]);
      const read = await state.withTransaction((tx) =>
        tx.readBatch({
          complaintIds: [before.complaintId, ours.complaintId, anonymous.complaintId],
          history: {
            subjects: [town],
            repeatSince: { earliest: "2024-05-19T00:00:00.000Z", latest: "2024-05-19T00:00:00.000Z" },
            reporterHashes: [hash],
            mergeSince: "2024-05-19T00:00:00.000Z",
          },
        }),
      );
      expect(read.decisions).toEqual(new Map([before, ours, anonymous].map((d) => [d.complaintId, d])));
      expect(read.history?.reporterClues.map((clue) => [clue.clueId, clue.subjects])).toEqual(
        [before, during, ours].map((d) => [d.clueId, [town]]),
      );
      expect(read.history?.countedFromLatest.get(town)).toBe(4);
      const target = await state.withTransaction((tx) =>
        tx.findMergeTarget({ reporterHash: hash, subjects: [town], since: "2024-05-19T00:00:00.000Z" }),
      );
      expect(target).toEqual({ clueId: ours.clueId, openedAt: ours.decidedAt, subjects: [town] });
      // A version-6 router beside this one finds our reporter clue's subjects by its clue id, as it always did.
      const { rows: seen } = await db.query(`SELECT array_agg(subject) AS subjects FROM "old".clue_subjects WHERE clue_id = $1`, [
        ours.clueId,
      ]);
      expect(seen).toEqual([{ subjects: [town] }]);
    } finally {
      await db.close();
    }
  });
});

describe("router schema migration 3 (rule 5's day counts)", () => {
  it("counts the clue subjects a version-2 schema already held", async () => {
    const db = await createPgliteDatabase();
    try {
      expect(await migrateRouterSchema({ db, schema: "old", upTo: 2 })).toEqual([1, 2]);
      const opened = ["2024-05-20T00:00:00.000Z", "2024-05-20T00:59:59.999Z", "2024-05-20T01:00:00.000Z", "2024-05-21T08:30:00Z"];
      for (const [n, at] of opened.entries()) {
        await db.query(
          `INSERT INTO "old".decisions (complaint_id, decision_id, clue_id, decision, decided_at) VALUES ($1, $1, $1, '{}', $2)`,
          [`m-${n}`, at],
        );
        await db.query(`INSERT INTO "old".clues (clue_id, complaint_id, opened_at) VALUES ($1, $1, $2)`, [`m-${n}`, at]);
        await db.query(`INSERT INTO "old".clue_subjects (subject, opened_at, clue_id) VALUES ('town:chengguan', $1, $2)`, [
          at,
          `m-${n}`,
        ]);
      }
      expect(await migrateRouterSchema({ db, schema: "old", upTo: 3 })).toEqual([3]);
      const { rows } = await db.query<{ day: Date; clues: number }>(
        `SELECT day, clues FROM "old".subject_counts WHERE subject = 'town:chengguan' ORDER BY day`,
      );
      expect(rows.map((row) => [new Date(row.day).toISOString(), Number(row.clues)])).toEqual([
        ["2024-05-20T00:00:00.000Z", 3],
        ["2024-05-21T00:00:00.000Z", 1],
      ]);
      const state = createPostgresRouterState({ db, schema: "old" });
      const counts = await state.withTransaction((tx) =>
        tx.countRecentClues({ subjects: ["town:chengguan"], since: "2024-05-20T00:30:00.000Z" }),
      );
      expect(counts.get("town:chengguan")).toBe(3);
      // A writer that knows nothing of the counts (an older router during a rolling deploy) is counted too.
      await db.query(
        `INSERT INTO "old".decisions (complaint_id, decision_id, clue_id, decision, decided_at) VALUES ('m-9', 'm-9', 'm-9', '{}', $1)`,
        ["2024-05-21T09:00:00Z"],
      );
      await db.query(`INSERT INTO "old".clues (clue_id, complaint_id, opened_at) VALUES ('m-9', 'm-9', $1)`, [
        "2024-05-21T09:00:00Z",
      ]);
      await db.query(
        `INSERT INTO "old".clue_subjects (subject, opened_at, clue_id) VALUES ('town:chengguan', $1, 'm-9'), ('town:xiliu', $1, 'm-9')`,
        ["2024-05-21T09:00:00Z"],
      );
      const after = await state.withTransaction((tx) =>
        tx.countRecentClues({ subjects: ["town:chengguan", "town:xiliu"], since: "2024-05-20T00:30:00.000Z" }),
      );
      expect([...after]).toEqual([
        ["town:chengguan", 4],
        ["town:xiliu", 1],
      ]);
    } finally {
      await db.close();
    }
  });
});

describe("router schema migration 5 (keys no statement needs)", () => {
  it("reads the decisions a version-4 router stored, before and during a rolling deploy", async () => {
    const db = await createPgliteDatabase();
    try {
      expect(await migrateRouterSchema({ db, schema: "old", upTo: 4 })).toEqual([1, 2, 3, 4]);
      // As a version-4 router writes an opening whose decision is in its `routed` text: every column, no `decision`.
      const writeAsVersion4 = async (decision: RoutingDecision) => {
        const routed = JSON.stringify({ decision, complaint: { text: "城关镇干部吃拿卡要" } });
        await db.query(
          `INSERT INTO "old".decisions (complaint_id, decision_id, clue_id, decision, decided_at) VALUES ($1, $2, $3, NULL, $4)`,
          [decision.complaintId, decision.decisionId, decision.clueId, decision.decidedAt],
        );
        await db.query(`INSERT INTO "old".clues (clue_id, complaint_id, opened_at, routed) VALUES ($1, $2, $3, $4)`, [
          decision.clueId,
          decision.complaintId,
          decision.decidedAt,
          routed,
        ]);
        await db.query(`INSERT INTO "old".clue_subjects (subject, opened_at, clue_id) VALUES ($1, $2, $3)`, [
          town,
          decision.decidedAt,
          decision.clueId,
        ]);
      };
      const before = decisionFor("v4-before");
      await writeAsVersion4(before);
      expect(await migrateRouterSchema({ db, schema: "old" })).toEqual([5, 6, 7]);
      const during = decisionFor("v4-during", { decidedAt: "2024-05-20T02:00:00.000Z" });
      await writeAsVersion4(during);
      const after = decisionFor("v5", { decidedAt: "2024-05-20T03:00:00.000Z" });
      const state = createPostgresRouterState({ db, schema: "old" });
      await state.withTransaction((tx) =>
        tx.recordDecision({
          decision: after,
          openedAt: after.decidedAt,
          reporterHash: null,
          subjects: [town],
          routed: JSON.stringify({ decision: after, complaint: {} }),
        }),
      );
      expect(await state.getDecision("v4-before")).toEqual(before);
      expect(await state.getDecision("v4-during")).toEqual(during);
      const read = await state.withTransaction((tx) =>
        tx.readBatch({ complaintIds: ["v4-before", "v4-during", "v5"], history: null }),
      );
      expect(read.decisions).toEqual(
        new Map([
          ["v4-before", before],
          ["v4-during", during],
          ["v5", after],
        ]),
      );
      const counts = await state.withTransaction((tx) => tx.countRecentClues({ subjects: [town], since: before.decidedAt }));
      expect(counts.get(town)).toBe(3);
    } finally {
      await db.close();
    }
  });
});

const directory = compileDirectory(await loadDirectory(defaultDirectoryPath));
let sequence = 0;
const ulid = () => {
  sequence += 1;
  return `01HZZZZZZZZZZZZZZZZZ${String(sequence).padStart(6, "0")}`;
};

function decisionFor(complaintId: string, overrides: Partial<RoutingDecision> = {}): RoutingDecision {
  return {
    decisionId: ulid(),
    complaintId,
    clueId: ulid(),
    nature: "discipline",
    categories: ["bribe-demand"],
    subjects: { departments: [], towns: ["chengguan"] },
    discipline: { lead: "town-chengguan", assist: [], informed: ["dc"] },
    service: null,
    transfer: null,
    mergedInto: null,
    reasons: [{ rule: 4, detail: "one unit proposed", matched: ["town-chengguan"] }],
    decidedAt: "2024-05-20T01:00:00.000Z",
    ...overrides,
  };
}

const town = "town:chengguan" as SubjectKey;
const complaint = (id: string, overrides: Partial<Complaint> = {}): Complaint => ({
  id,
  channel: "hotline",
  receivedAt: "2024-05-20T09:00:00+08:00",
  text: "城关镇干部吃拿卡要",
  reporter: { kind: "anonymous" },
  ...overrides,
});

describe.each(backends)("RouterState on $name", (backend) => {
  beforeAll(() => backend.start());
  afterEach(() => backend.cleanUp());
  afterAll(() => backend.stop());

  it("stores a decision once and gives the first one back on a second record (rule 9)", async () => {
    const state = await backend.open();
    const first = decisionFor("c-1");
    const record = { openedAt: "2024-05-20T01:00:00.000Z", reporterHash: null, subjects: [town] };
    expect(await state.withTransaction((tx) => tx.recordDecision({ decision: first, ...record }))).toEqual({
      decision: first,
      duplicate: false,
    });
    const second = await state.withTransaction((tx) => tx.recordDecision({ decision: decisionFor("c-1"), ...record }));
    expect(second).toEqual({ decision: first, duplicate: true });
    expect(JSON.stringify(await state.getDecision("c-1"))).toBe(JSON.stringify(first));
    expect(await state.withTransaction((tx) => tx.countRecentClues({ subjects: [town], since: "2024-01-01T00:00:00Z" }))).toEqual(
      new Map([[town, 1]]),
    );
  });

  it("counts clues per subject since a time, not merged complaints", async () => {
    const state = await backend.open();
    const mafang = "town:mafang" as SubjectKey;
    const opened = ["2024-05-01T00:00:00Z", "2024-05-10T00:00:00Z", "2024-05-15T00:00:00Z"];
    for (const [index, openedAt] of opened.entries()) {
      await state.withTransaction((tx) =>
        tx.recordDecision({ decision: decisionFor(`c-${index}`), openedAt, reporterHash: null, subjects: [town, mafang] }),
      );
    }
    const clueId = (await state.getDecision("c-2"))?.clueId ?? "";
    const merged = decisionFor("c-merged", {
      clueId,
      mergedInto: clueId,
      discipline: null,
      reasons: [{ rule: 8, detail: "merged" }],
    });
    await state.withTransaction((tx) =>
      tx.recordDecision({ decision: merged, openedAt: "2024-05-16T00:00:00Z", reporterHash: null, subjects: [town] }),
    );
    const counts = await state.withTransaction((tx) =>
      tx.countRecentClues({ subjects: [town, mafang, "town:xiliu"], since: "2024-05-10T00:00:00Z" }),
    );
    expect(counts).toEqual(
      new Map([
        [town, 2],
        [mafang, 2],
        ["town:xiliu", 0],
      ]),
    );
  });

  it("counts a window exactly wherever in a day it starts, whether clues were recorded alone or in a batch", async () => {
    const state = await backend.open();
    const market: SubjectKey = "department:dept-market";
    const day = 86_400_000;
    const base = Date.parse("2024-05-20T00:00:00.000Z");
    // Offsets from base on and around UTC day boundaries; each clue names the town, the market department or both.
    const offsets = [0, 1, day - 1, day, day + 1, 1.5 * day, 2 * day, 2 * day + 123, 3 * day - 1, 3 * day + 59_000];
    const clues = offsets.map((offset, n) => ({
      id: `w-${n}`,
      at: base + offset,
      subjects: [[town], [market], [town, market]][n % 3] as SubjectKey[],
    }));
    const recordOf = (clue: (typeof clues)[number]) => ({
      decision: decisionFor(clue.id),
      openedAt: new Date(clue.at).toISOString(),
      reporterHash: null,
      subjects: clue.subjects,
    });
    for (const clue of clues.slice(0, 4)) await state.withTransaction((tx) => tx.recordDecision(recordOf(clue)));
    await state.withTransaction((tx) => tx.recordDecisions(clues.slice(4).map(recordOf)));
    const about = (subject: SubjectKey) => clues.filter((clue) => clue.subjects.includes(subject));

    for (const start of [-1, 0, 1, day - 1, day, day + 1, 1.5 * day, 2 * day + 124, 3 * day, 3 * day + 59_000, 4 * day]) {
      const latest = base + start;
      const earliest = latest - day / 2;
      const counts = await state.withTransaction((tx) =>
        tx.countRecentClues({ subjects: [town, market], since: new Date(latest).toISOString() }),
      );
      const read = await state.withTransaction((tx) =>
        tx.readBatch({
          complaintIds: [],
          history: {
            subjects: [town, market],
            repeatSince: { earliest: new Date(earliest).toISOString(), latest: new Date(latest).toISOString() },
            reporterHashes: [],
            mergeSince: new Date(earliest).toISOString(),
          },
        }),
      );
      for (const subject of [town, market]) {
        const later = about(subject).filter((clue) => clue.at >= latest).length;
        const before = about(subject)
          .filter((clue) => clue.at >= earliest && clue.at < latest)
          .map((clue) => clue.at);
        expect(counts.get(subject), `${subject} from ${start}`).toBe(later);
        expect(read.history?.countedFromLatest.get(subject), `${subject} from ${start}`).toBe(later);
        expect(read.history?.openedBeforeLatest.get(subject), `${subject} before ${start}`).toEqual(before);
      }
    }
  });

  it("finds the latest clue of the same reporter sharing a subject since a time (rule 8)", async () => {
    const state = await backend.open();
    const hash = "e".repeat(64);
    const rows: Array<[string, string, string | null, SubjectKey[]]> = [
      ["old", "2024-05-01T00:00:00.000Z", hash, [town]],
      ["match", "2024-05-12T00:00:00.000Z", hash, [town, "department:dept-market"]],
      ["other-subject", "2024-05-13T00:00:00.000Z", hash, ["town:mafang"]],
      ["other-reporter", "2024-05-14T00:00:00.000Z", "d".repeat(64), [town]],
      ["anonymous", "2024-05-14T00:00:00.000Z", null, [town]],
    ];
    for (const [id, openedAt, reporterHash, subjects] of rows) {
      await state.withTransaction((tx) => tx.recordDecision({ decision: decisionFor(id), openedAt, reporterHash, subjects }));
    }
    const target = await state.withTransaction((tx) =>
      tx.findMergeTarget({ reporterHash: hash, subjects: [town], since: "2024-05-08T00:00:00.000Z" }),
    );
    expect(target).toEqual({
      clueId: (await state.getDecision("match"))?.clueId,
      openedAt: "2024-05-12T00:00:00.000Z",
      subjects: ["department:dept-market", town],
    });
    expect(
      await state.withTransaction((tx) =>
        tx.findMergeTarget({ reporterHash: hash, subjects: [town], since: "2024-05-13T00:00:00Z" }),
      ),
    ).toBeNull();
  });

  it("records a batch in one write, a complaint id already stored keeping its decision (rule 9)", async () => {
    const state = await backend.open();
    const record = (id: string, subjects: SubjectKey[] = [town]) => ({
      decision: decisionFor(id),
      openedAt: "2024-05-20T01:00:00.000Z",
      reporterHash: null,
      subjects,
    });
    const first = [record("a"), record("b", [])];
    expect(await state.withTransaction((tx) => tx.recordDecisions(first))).toEqual(
      first.map(({ decision }) => ({ decision, duplicate: false })),
    );
    const second = [record("b"), record("c")];
    const outcomes = await state.withTransaction((tx) => tx.recordDecisions(second));
    expect(outcomes).toEqual([
      { decision: first[1]?.decision, duplicate: true },
      { decision: second[1]?.decision, duplicate: false },
    ]);
    const { decisions: stored, history } = await state.withTransaction((tx) =>
      tx.readBatch({ complaintIds: ["a", "b", "c", "missing"], history: null }),
    );
    expect([...stored.keys()].sort()).toEqual(["a", "b", "c"]);
    expect(JSON.stringify(stored.get("b"))).toBe(JSON.stringify(first[1]?.decision));
    expect(history).toBeNull();
    expect(await state.withTransaction((tx) => tx.countRecentClues({ subjects: [town], since: "2024-01-01T00:00:00Z" }))).toEqual(
      new Map([[town, 2]]),
    );
  });

  it("reads a batch's decisions and history at once: counted from the latest start, listed before it (rules 9, 5, 8)", async () => {
    const state = await backend.open();
    const hash = "e".repeat(64);
    const market: SubjectKey = "department:dept-market";
    const rows: Array<[string, string, string | null, SubjectKey[]]> = [
      ["too-old", "2024-05-01T00:00:00.000Z", null, [town]],
      ["listed", "2024-05-05T00:00:00.000Z", null, [town]],
      ["reporter-old", "2024-05-05T12:00:00.000Z", hash, [market]],
      ["reporter-new", "2024-05-08T00:00:00.123Z", hash, [town, market]],
      ["counted-edge", "2024-05-10T00:00:00.000Z", null, [town]],
      ["counted", "2024-05-15T00:00:00.000Z", "d".repeat(64), [town]],
    ];
    for (const [id, openedAt, reporterHash, subjects] of rows) {
      await state.withTransaction((tx) => tx.recordDecision({ decision: decisionFor(id), openedAt, reporterHash, subjects }));
    }
    const clueId = (await state.getDecision("counted"))?.clueId ?? "";
    const merged = decisionFor("merged", { clueId, mergedInto: clueId, discipline: null });
    await state.withTransaction((tx) =>
      tx.recordDecision({ decision: merged, openedAt: "2024-05-16T00:00:00Z", reporterHash: hash, subjects: [town] }),
    );
    const read = await state.withTransaction((tx) =>
      tx.readBatch({
        complaintIds: ["listed", "unknown"],
        history: {
          subjects: [town, market, "town:xiliu"],
          repeatSince: { earliest: "2024-05-04T00:00:00.000Z", latest: "2024-05-10T00:00:00.000Z" },
          reporterHashes: [hash],
          mergeSince: "2024-05-06T00:00:00.000Z",
        },
      }),
    );
    expect([...read.decisions.keys()]).toEqual(["listed"]);
    const history = read.history as NonNullable<typeof read.history>;
    expect(history.countedFromLatest).toEqual(
      new Map([
        [town, 2],
        [market, 0],
        ["town:xiliu", 0],
      ]),
    );
    expect(history.openedBeforeLatest).toEqual(
      new Map([
        [town, [Date.parse("2024-05-05T00:00:00.000Z"), Date.parse("2024-05-08T00:00:00.123Z")]],
        [market, [Date.parse("2024-05-05T12:00:00.000Z"), Date.parse("2024-05-08T00:00:00.123Z")]],
        ["town:xiliu", []],
      ]),
    );
    expect(history.reporterClues.map((clue) => ({ ...clue, subjects: [...clue.subjects].sort() }))).toEqual([
      {
        reporterHash: hash,
        clueId: (await state.getDecision("reporter-new"))?.clueId,
        openedAtMs: Date.parse("2024-05-08T00:00:00.123Z"),
        subjects: [market, town],
      },
    ]);
  });

  it("stores an opening's routed event as exact text with its clue, found by clue id in and after its transaction", async () => {
    const state = await backend.open();
    const opening = decisionFor("open");
    // Key order and spacing a jsonb column would not keep: the replay must be the very bytes first published.
    const routed = `{"decision":{"zeta":1,"alpha":"城关镇"},"complaint":{"b":2, "a":[1,2]}}`;
    const merged = decisionFor("merge", { clueId: opening.clueId, mergedInto: opening.clueId, discipline: null });
    const record = { openedAt: "2024-05-20T01:00:00.000Z", reporterHash: null, subjects: [town] };
    const inside = await state.withTransaction(async (tx) => {
      await tx.recordDecisions([
        { decision: opening, ...record, routed },
        { decision: merged, ...record, routed: '{"not":"an opening"}' },
        { decision: decisionFor("legacy"), ...record },
      ]);
      return tx.readOpenings([opening.clueId, opening.clueId, "unknown"]);
    });
    expect(inside).toEqual(new Map([[opening.clueId, routed]]));
    const legacyClue = (await state.getDecision("legacy"))?.clueId ?? "";
    const after = await state.withTransaction((tx) => tx.readOpenings([opening.clueId, legacyClue]));
    expect(after).toEqual(new Map([[opening.clueId, routed]]));
    expect(await state.withTransaction((tx) => tx.readOpenings([]))).toEqual(new Map());
  });

  it("gives every merge its clue's stored opening: same batch, later batch, redelivery", async () => {
    const state = await backend.open();
    const routeBatch = createBatchRouter({ state, directory: () => directory });
    const reporter = { kind: "real-name" as const, hash: "b".repeat(64) };
    const routedOf = (decision: RoutingDecision) => JSON.stringify({ opening: decision.decisionId, clue: decision.clueId });
    const first = await routeBatch(
      [
        complaint("a", { reporter }),
        complaint("b", { reporter, receivedAt: "2024-05-21T09:00:00+08:00" }),
        complaint("anon", { receivedAt: "2024-05-21T10:00:00+08:00" }),
      ],
      { routedOf },
    );
    const [a, b, anon] = first;
    const opening = routedOf(a?.decision as RoutingDecision);
    expect(a?.opening).toBeNull();
    expect(b?.decision.mergedInto).toBe(a?.decision.clueId);
    expect(b?.opening).toBe(opening);
    expect(anon?.decision.mergedInto).toBeNull();
    expect(anon?.opening).toBeNull();

    // A later batch, by a router that never saw the opening: the stored text is what it gets.
    const later = createBatchRouter({ state, directory: () => directory });
    const second = await later(
      [complaint("c", { reporter, receivedAt: "2024-05-22T09:00:00+08:00" }), complaint("b", { reporter })],
      {
        routedOf,
      },
    );
    expect(second.map(({ decision, duplicate, opening }) => ({ merged: decision.mergedInto, duplicate, opening }))).toEqual([
      { merged: a?.decision.clueId, duplicate: false, opening },
      { merged: a?.decision.clueId, duplicate: true, opening },
    ]);
    // Without routedOf (the CLI) a merge still finds what was stored.
    expect((await later([complaint("b", { reporter })]))[0]?.opening).toBe(opening);
  });

  it("rolls back everything when the work throws", async () => {
    const state = await backend.open();
    const work = state.withTransaction(async (tx) => {
      await tx.recordDecision({
        decision: decisionFor("c-1"),
        openedAt: "2024-05-20T00:00:00Z",
        reporterHash: null,
        subjects: [town],
      });
      throw new Error("publish failed");
    });
    await expect(work).rejects.toThrow("publish failed");
    expect(await state.getDecision("c-1")).toBeNull();
  });

  it("routes a stream exactly: repeats, merges and redeliveries", async () => {
    const routeComplaint = createComplaintRouter({ state: await backend.open(), directory: () => directory });
    const h = { kind: "real-name" as const, hash: "a".repeat(64) };
    const first = await routeComplaint(complaint("a", { reporter: h }));
    const merged = await routeComplaint(complaint("b", { reporter: h, receivedAt: "2024-05-21T09:00:00+08:00" }));
    expect(merged.decision.mergedInto).toBe(first.decision.clueId);
    expect(await routeComplaint(complaint("b"))).toEqual({ decision: merged.decision, duplicate: true });
    expect((await routeComplaint(complaint("c"))).decision.discipline?.lead).toBe("town-chengguan");
    expect((await routeComplaint(complaint("d"))).decision.discipline?.lead).toBe("dc");
  });

  it("keeps repeat counts exact when complaints about one town are routed concurrently", async () => {
    const routeComplaint = createComplaintRouter({ state: await backend.open(), directory: () => directory });
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => routeComplaint(complaint(`p-${i}`))));
    const leads = outcomes.map((o) => o.decision.discipline?.lead);
    expect(leads.filter((lead) => lead === "town-chengguan")).toHaveLength(2);
    expect(leads.filter((lead) => lead === "dc")).toHaveLength(8);
  });

  it("stores one decision when one complaint is redelivered concurrently", async () => {
    const routeComplaint = createComplaintRouter({ state: await backend.open(), directory: () => directory });
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => routeComplaint(complaint("same"))));
    expect(new Set(outcomes.map((o) => o.decision.decisionId)).size).toBe(1);
    expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(1);
  });
});
