import { uniqueName } from "@clueline/testing";
import pg from "pg";

export interface ScratchDatabase {
  /** The new database's URL: the closure ledger's tables and the router's schema live in it. */
  url: string;
  /** One query on a short-lived connection. */
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Drops the database, ending whatever sessions a killed service left behind. */
  drop(): Promise<void>;
}

/**
 * A fresh database on the server `serverUrl` points at. The closure service takes no schema setting, so a
 * database of its own is what keeps its ledger apart from every other test's.
 *
 * @example
 * const db = await createScratchDatabase("postgres://postgres@127.0.0.1:5432/test");
 */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = uniqueName("faults").replaceAll("-", "_");
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const onServer = async <T>(work: (client: pg.Client) => Promise<T>, connectionString = serverUrl): Promise<T> => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  await onServer((client) => client.query(`create database ${name}`));
  return {
    url: url.toString(),
    query: (sql, params) => onServer(async (client) => (await client.query(sql, params)).rows, url.toString()),
    drop: () => onServer((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
