import { randomBytes } from "node:crypto";
import { createPgDatabase, createPgliteDatabase, type Database, type Migration, migrate, readMigrations } from "@clueline/db";
import { createMemoryRouterState } from "../state/memory-router-state.js";
import { routerMigrations } from "../state/open-router-database.js";
import { createPostgresRouterState } from "../state/postgres-router-state.js";
import type { RouterState } from "../state/router-state.js";

/** A SQL database a test connects to: PGlite in memory, or a pool on DATABASE_URL. */
export type ConnectSql = () => Promise<Database>;

/**
 * Applies the router's migrations (up to `upTo`, for tests of a migration over an older schema) to `schema` of a
 * database that holds several, as `openRouterDatabase` does to the one it opens; returns the versions applied.
 *
 * @example
 * await migrateRouterSchema({ db, schema: "router_test_1" });
 */
export async function migrateRouterSchema(options: { db: Database; schema: string; upTo?: number }): Promise<number[]> {
  const all: Migration[] = await readMigrations(routerMigrations);
  const migrations = all.filter((m) => m.version <= (options.upTo ?? Number.POSITIVE_INFINITY));
  return migrate({ db: options.db, migrations, schema: options.schema });
}

/** A router state implementation as the integration tests drive it. */
export interface RouterStateBackend {
  name: string;
  start(): Promise<void>;
  /** A fresh, migrated state in a schema of its own; several per test are independent. */
  open(): Promise<RouterState>;
  /** Drops the schemas opened since the last clean-up. */
  cleanUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The SQL databases the integration tests run on: PGlite always, PostgreSQL at `url` when there is one.
 */
export async function sqlDatabases(url: string | undefined): Promise<Array<{ name: string; connect: ConnectSql }>> {
  const databases: Array<{ name: string; connect: ConnectSql }> = [{ name: "PGlite", connect: () => createPgliteDatabase() }];
  if (url) {
    databases.push({
      name: "PostgreSQL",
      connect: () => createPgDatabase({ url, applicationName: "clueline-router-test", statementPrefix: "r", poolSize: 8 }),
    });
  }
  return databases;
}

/**
 * Every router state: memory, then the Postgres state on each of {@link sqlDatabases} (PostgreSQL at `databaseUrl`),
 * its schemas named `<schemaPrefix>_<random>`. `onMigrated` runs after each schema's migration (a test's own checks).
 *
 * @example
 * const backends = await routerStateBackends({ schemaPrefix: "router_test", databaseUrl: process.env.DATABASE_URL });
 */
export async function routerStateBackends(options: {
  schemaPrefix: string;
  databaseUrl: string | undefined;
  onMigrated?: (db: Database, schema: string) => Promise<void>;
}): Promise<RouterStateBackend[]> {
  const memory: RouterStateBackend = {
    name: "memory",
    start: async () => {},
    open: async () => createMemoryRouterState(),
    cleanUp: async () => {},
    stop: async () => {},
  };
  return [
    memory,
    ...(await sqlDatabases(options.databaseUrl)).map(({ name, connect }) => postgresBackend(name, connect, options)),
  ];
}

function postgresBackend(
  name: string,
  connect: ConnectSql,
  options: { schemaPrefix: string; onMigrated?: (db: Database, schema: string) => Promise<void> },
): RouterStateBackend {
  let db: Database | undefined;
  let schemas: string[] = [];
  return {
    name,
    async start() {
      db = await connect();
    },
    async open() {
      if (!db) throw new Error("not started");
      const schema = `${options.schemaPrefix}_${randomBytes(6).toString("hex")}`;
      schemas.push(schema);
      await migrateRouterSchema({ db, schema });
      await options.onMigrated?.(db, schema);
      return createPostgresRouterState({ db, schema });
    },
    async cleanUp() {
      for (const schema of schemas) await db?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      schemas = [];
    },
    stop: async () => db?.close(),
  };
}
