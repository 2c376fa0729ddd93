import { describe, expect, it } from "vitest";
import { createPgliteDatabase, PGLITE_SHARED_BUFFERS, pgliteStartParams } from "./pglite-database.js";

describe("PGlite start parameters", () => {
  it("keeps PGlite's own parameters and adds the smaller buffer pool", () => {
    const params = pgliteStartParams();
    expect(params).toContain("--single");
    expect(params.slice(-2)).toEqual(["-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`]);
  });

  it("starts PGlite with the smaller buffer pool", async () => {
    const db = await createPgliteDatabase();
    try {
      const { rows } = await db.query<{ shared_buffers: string }>("show shared_buffers");
      expect(rows[0]?.shared_buffers).toBe(PGLITE_SHARED_BUFFERS);
      // The defaults still apply: PGlite runs single-user with its search path.
      const path = await db.query<{ search_path: string }>("show search_path");
      expect(path.rows[0]?.search_path).toBe("public");
    } finally {
      await db.close();
    }
  }, 120_000);
});
