import type { Database } from "@clueline/db";
import { testInfra, uniqueName } from "@clueline/testing";
import pg from "pg";
import { openLedgerDatabase } from "../db/open-ledger-database.js";
import { noRowsWithoutParent, rowsWithoutParent } from "../ledger/parent-rows.js";

export interface TestDatabase {
  db: Database;
  /**
   * Closes the database and drops its schema (PostgreSQL) or its memory (PGlite); first fails if the ledger holds a
   * row without its parent (`rowsWithoutParent`), so every integration test checks what no foreign key checks.
   */
  drop(): Promise<void>;
}

export interface TestDatabaseEngine {
  engine: "pglite" | "postgres";
  open(): Promise<TestDatabase>;
}

/**
 * The engines an integration test runs on: PGlite always, PostgreSQL when the run has a DATABASE_URL. Each
 * open() gets a fresh, migrated ledger in its own schema, so tests never share rows.
 *
 * @example
 * describe.each(testDatabaseEngines())("ledger on $engine", ({ open }) => { … });
 */
export function testDatabaseEngines(): TestDatabaseEngine[] {
  const url = testInfra().databaseUrl;
  const engines: TestDatabaseEngine[] = [
    {
      engine: "pglite",
      async open() {
        const db = await openLedgerDatabase({});
        return { db, drop: () => checkAndClose(db) };
      },
    },
  ];
  if (url) engines.push({ engine: "postgres", open: () => openPostgres(url) });
  return engines;
}

async function openPostgres(url: string): Promise<TestDatabase> {
  const schema = uniqueName("closure").replaceAll("-", "_");
  const db = await openLedgerDatabase({ url, schema, poolSize: 8 });
  return {
    db,
    async drop() {
      try {
        await checkAndClose(db);
      } finally {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`drop schema if exists ${schema} cascade`);
        } finally {
          await client.end();
        }
      }
    },
  };
}

/** Fails if the ledger holds a row without its parent; closes it whatever the check found. */
async function checkAndClose(db: Database): Promise<void> {
  try {
    await expectEveryParent(db);
  } finally {
    await db.close();
  }
}

async function expectEveryParent(db: Database): Promise<void> {
  const found = await rowsWithoutParent(db);
  if (Object.values(found).some((n) => n > 0)) {
    throw new Error(
      `the ledger holds rows without their parent: ${JSON.stringify(found)} (expected ${JSON.stringify(noRowsWithoutParent)})`,
    );
  }
}
