import type { Database } from "./database.js";

/**
 * Forward-only migrations of the router's own schema. Never edit an applied entry: append a new version.
 * Statements run one by one because PGlite's extended-protocol `query` takes a single statement.
 */
const migrations: ReadonlyArray<{ version: number; statements: (schema: string) => string[] }> = [
  {
    version: 1,
    statements: (s) => [
      // One row per complaint ever decided: the unique key is what makes redelivery exact (rule 9).
      `CREATE TABLE ${s}.decisions (
         complaint_id text PRIMARY KEY,
         decision_id text NOT NULL UNIQUE,
         clue_id text NOT NULL,
         merged_into text,
         decision jsonb NOT NULL,
         decided_at timestamptz NOT NULL)`,
      // One row per clue opened (merged complaints open none); the reporter hash serves rule 8 only.
      `CREATE TABLE ${s}.clues (
         clue_id text PRIMARY KEY,
         complaint_id text NOT NULL UNIQUE REFERENCES ${s}.decisions (complaint_id),
         opened_at timestamptz NOT NULL,
         reporter_hash text)`,
      `CREATE INDEX clues_reporter ON ${s}.clues (reporter_hash, opened_at) WHERE reporter_hash IS NOT NULL`,
      // The repeat counters of rule 5: a window count is one index range scan per subject.
      `CREATE TABLE ${s}.clue_subjects (
         subject text NOT NULL,
         opened_at timestamptz NOT NULL,
         clue_id text NOT NULL REFERENCES ${s}.clues (clue_id),
         PRIMARY KEY (subject, opened_at, clue_id))`,
      `CREATE INDEX clue_subjects_clue ON ${s}.clue_subjects (clue_id)`,
    ],
  },
  {
    version: 2,
    statements: (s) => [
      // The opening decision's published `ClueRouted` value, republished ahead of every merge into the clue so a
      // supplement never reaches a consumer before its clue. Text, not jsonb: jsonb reorders keys, and the replay
      // must be the same bytes. Null for clues opened before this version or by callers that publish nothing.
      `ALTER TABLE ${s}.clues ADD COLUMN routed text`,
    ],
  },
  {
    version: 3,
    statements: (s) => [
      // Rule 5's counts per subject and day (UTC days from the epoch, as `nextDay` in postgres-batch-statements.ts
      // computes them), beside the rows they count: a window's count is the rows of the day it starts in plus the
      // sums of the days after, at most 30 rows, not a scan of every clue in the window, which grew with the
      // history (150,000 clues in a window: 140 ms a batch).
      `CREATE TABLE ${s}.subject_counts (
         subject text NOT NULL,
         day timestamptz NOT NULL,
         clues int NOT NULL,
         PRIMARY KEY (subject, day))`,
      // A trigger keeps the counts, so every writer of clue_subjects does, an older router still running during a
      // rolling deploy included; the lock (until this migration commits) keeps rows from slipping between the
      // backfill and the trigger.
      `LOCK TABLE ${s}.clue_subjects IN SHARE ROW EXCLUSIVE MODE`,
      `INSERT INTO ${s}.subject_counts (subject, day, clues)
       SELECT subject, date_bin('1 day', opened_at, timestamptz '1970-01-01 00:00:00+00'), count(*)
         FROM ${s}.clue_subjects GROUP BY 1, 2`,
      `CREATE FUNCTION ${s}.count_clue_subjects() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO ${s}.subject_counts (subject, day, clues)
         SELECT subject, date_bin('1 day', opened_at, timestamptz '1970-01-01 00:00:00+00'), count(*)
           FROM inserted_subjects GROUP BY 1, 2
         ON CONFLICT (subject, day) DO UPDATE SET clues = ${s}.subject_counts.clues + excluded.clues;
         RETURN NULL;
       END $$`,
      `CREATE TRIGGER clue_subjects_count AFTER INSERT ON ${s}.clue_subjects
         REFERENCING NEW TABLE AS inserted_subjects FOR EACH STATEMENT EXECUTE FUNCTION ${s}.count_clue_subjects()`,
    ],
  },
];

/**
 * Creates the schema if needed and applies the migrations it has not seen, in one transaction under an
 * advisory lock, so several router instances starting together migrate once.
 *
 * @example
 * await migrateRouterSchema({ db, schema: "router" });
 */
export async function migrateRouterSchema(params: {
  db: Database;
  schema: string;
  /** Stop after this version (tests of a migration over an older schema); default: all of them. */
  upTo?: number;
}): Promise<{ applied: number[] }> {
  const schema = quoteSchema(params.schema);
  return params.db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`clueline-router-migrate:${params.schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await tx.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations`);
    const done = new Set(rows.map((row) => Number(row.version)));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version) || migration.version > (params.upTo ?? Number.POSITIVE_INFINITY)) continue;
      for (const statement of migration.statements(schema)) await tx.query(statement);
      await tx.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [migration.version]);
      applied.push(migration.version);
    }
    return { applied };
  });
}

/**
 * A schema name safe to splice into SQL: lower-case identifiers only, quoted.
 *
 * @example
 * quoteSchema("router_test_1"); // '"router_test_1"'
 */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`schema name "${schema}" must match [a-z_][a-z0-9_]{0,62}`);
  return `"${schema}"`;
}
