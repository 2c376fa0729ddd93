import { openLedgerDatabase } from "@clueline/closure";
import type { Database } from "@clueline/db";
import { bearerFor } from "@clueline/edge/testing";
import { testInfra, uniqueName } from "@clueline/testing";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInProcessPipeline, type EdgeName } from "./in-process-pipeline.js";

/**
 * DESIGN §8: what an edge accepts, the ledger can store. A 202 is a promise that the complaint reaches the ledger,
 * so for random strings in every free-text field of every edge's body: the edge either refuses the body (400) or
 * the router routes it (no poison) and the ledger stores its clue, on PGlite and on PostgreSQL.
 */

const specials = ["\u0000", "\ud800", "\udfff", "\u0007", "\u001b", "\u007f", "\u0085", "\u009f", "\t", "\n", "\r\n", "\r"];
const awkward = ["\ufeff", "\u2028", "\u200b", "\ufffd", "😀", "👨‍👩‍👧", "\u0301", "％", "１３８"];
/** Random text of every kind, among ordinary Chinese so the edges' other rules (non-empty after trim) pass. */
const anyText = fc
  .tuple(
    fc.constantFrom("反映", "城关镇", "窗口人员", ""),
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.string({ unit: "grapheme", maxLength: 12 }),
      fc.constantFrom(...specials, ...awkward),
    ),
    fc.constantFrom("索要好处费", "审批慢", "", "。"),
  )
  .map((parts) => parts.join(""));

const anonymous = { kind: "anonymous" };
const bodies: Record<EdgeName, { path: string; scope: "complaint:write" | "media:write"; body: Record<string, unknown> }> = {
  hotline: {
    path: "/v1/calls",
    scope: "complaint:write",
    body: {
      line: "12388",
      callId: "C-1",
      operatorId: "op-7",
      startedAt: "2026-11-20T09:30:00+08:00",
      endedAt: "2026-11-20T09:36:40+08:00",
      reporter: anonymous,
      summary: "来电反映城关镇某工作人员办理审批时索要好处费。",
      subjects: { persons: [{ name: "王某", rank: "section-chief" }] },
    },
  },
  intake: {
    path: "/v1/reports",
    scope: "complaint:write",
    body: {
      form: "service-hall",
      text: "窗口工作人员以材料不全为由多次拒绝受理，审批慢。",
      reporter: anonymous,
      serviceHall: { hall: "区政务服务中心", window: "12", date: "2026-11-20" },
    },
  },
  media: {
    path: "/v1/exposures",
    scope: "media:write",
    body: {
      outlet: "区融媒体中心",
      program: "电视问政",
      publishedAt: "2026-11-20T20:00:00+08:00",
      excerpt: "节目曝光某部门审批拖延。",
    },
  },
};
/** Every free-text field, as a path into the body; `reporter` is replaced by a real-name reporter with that name. */
const textFields: Record<EdgeName, string[]> = {
  hotline: ["summary", "callId", "operatorId", "subjects.persons.0.name", "subjects.persons.0.rank", "reporter"],
  intake: ["text", "serviceHall.hall", "serviceHall.window", "reporter"],
  media: ["excerpt", "outlet", "program"],
};

function withText(body: Record<string, unknown>, field: string, text: string): Record<string, unknown> {
  const copy = structuredClone(body);
  if (field === "reporter") {
    copy.reporter = { kind: "real-name", name: text, phone: "13800138000" };
    return copy;
  }
  const path = field.split(".");
  let target = copy as Record<string, unknown>;
  for (const step of path.slice(0, -1)) target = target[step] as Record<string, unknown>;
  target[path.at(-1) as string] = text;
  return copy;
}

const engines: { engine: string; open: () => Promise<{ db: Database; drop: () => Promise<void> }> }[] = [
  { engine: "pglite", open: async () => ({ db: await openLedgerDatabase({}), drop: async () => {} }) },
];
const url = testInfra().databaseUrl;
if (url) {
  engines.push({
    engine: "postgres",
    async open() {
      const schema = uniqueName("storable").replaceAll("-", "_");
      const db = await openLedgerDatabase({ url, schema, poolSize: 4 });
      return {
        db,
        async drop() {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          await client.query(`drop schema if exists ${schema} cascade`).finally(() => client.end());
        },
      };
    },
  });
}

describe.each(engines)("every body an edge accepts is stored by the ledger ($engine)", ({ open }) => {
  let opened: Awaited<ReturnType<(typeof engines)[number]["open"]>>;
  let pipeline: Awaited<ReturnType<typeof createInProcessPipeline>>;
  const authorization: Record<string, string> = {};

  beforeAll(async () => {
    opened = await open();
    pipeline = await createInProcessPipeline({ db: opened.db });
    authorization["complaint:write"] = await bearerFor(["complaint:write"]);
    authorization["media:write"] = await bearerFor(["media:write"]);
  });
  afterAll(async () => {
    await opened.db.close();
    await opened.drop();
  });

  it.each(Object.keys(bodies) as EdgeName[])("%s: 202 means routed and stored, else 400", async (edge) => {
    const { path, scope, body } = bodies[edge];
    const counts = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...textFields[edge]), anyText, async (field, text) => {
        const response = await pipeline.edges[edge].request(path, {
          method: "POST",
          body: JSON.stringify(withText(body, field, text)),
          headers: { "content-type": "application/json", authorization: authorization[scope] as string },
        });
        expect([202, 400]).toContain(response.status);
        if (response.status === 400) {
          counts.refused += 1;
          return;
        }
        counts.accepted += 1;
        const { complaintId } = (await response.json()) as { complaintId: string };
        const { poisoned, clueOf } = await pipeline.drain();
        expect(poisoned).toBe(0);
        const clueId = clueOf.get(complaintId);
        expect(clueId, `complaint ${complaintId} was routed`).toBeDefined();
        const { rows } = await opened.db.query("select 1 from clues where clue_id = $1", [clueId]);
        expect(rows).toHaveLength(1);
      }),
      { numRuns: 150 },
    );
    // Both outcomes occur, so neither half of the property holds vacuously.
    expect(counts.accepted).toBeGreaterThan(20);
    expect(counts.refused).toBeGreaterThan(0);
  });
});
