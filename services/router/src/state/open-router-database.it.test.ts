import { randomBytes } from "node:crypto";
import { IN_MEMORY } from "@clueline/db";
import { describe, expect, it } from "vitest";
import { openRouterDatabase } from "./open-router-database.js";

describe.skipIf(!process.env.DATABASE_URL)("the router's PostgreSQL connections", () => {
  it("are named clueline-router in pg_stat_activity, and compile no query (jit off)", async () => {
    const schema = `router_names_${randomBytes(6).toString("hex")}`;
    const db = await openRouterDatabase({ url: process.env.DATABASE_URL, dataDir: IN_MEMORY, schema });
    try {
      const { rows } = await db.query(
        "SELECT application_name, current_setting('jit') AS jit FROM pg_stat_activity WHERE pid = pg_backend_pid()",
      );
      expect(rows).toEqual([{ application_name: "clueline-router", jit: "off" }]);
    } finally {
      await db.query(`DROP SCHEMA "${schema}" CASCADE`);
      await db.close();
    }
  });
});
