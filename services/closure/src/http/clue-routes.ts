import { AssignmentState, ClueState, newId, OriginalText, ReporterIdentity } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import type { IdentitySealer } from "@clueline/identity";
import { forbidden } from "@clueline/kit";
import { createRoute, z } from "@hono/zod-openapi";
import { readReporterAccess } from "../access/read-reporter-access.js";
import { appendAudit } from "../ledger/events/ledger-events.js";
import { readClueDetail } from "../queries/clue-detail.js";
import { decodeCursor, encodeCursor, listClues } from "../queries/list-clues.js";
import { readSealedReporter, readSealedSupplementOriginals } from "../queries/reporter-originals.js";
import { ClueDetail, CluePage, ClueSummary } from "../queries/views.js";
import { actingUnit, assertVisible, notFound, visibilityOf } from "./access.js";
import { bearerSecurity, createRouter } from "./http-env.js";
import { Cursor, QueryText, Ulid, UnitId } from "./parameters.js";

const ClueParams = z.object({ clueId: Ulid });

const listRoute = createRoute({
  method: "get",
  path: "/v1/clues",
  summary: "My unit's clues, newest first",
  description:
    "A `unit:<id>` caller sees only clues its unit is assigned to or informed of (DESIGN §8); with several unit scopes it names one in `unit`. A `commission` caller sees all clues, or one unit's with `unit`.",
  security: bearerSecurity,
  request: {
    query: z.object({
      unit: UnitId.optional(),
      state: ClueState.optional(),
      nature: ClueSummary.shape.nature.optional(),
      channel: ClueSummary.shape.channel.optional(),
      role: z.enum(["lead", "assist", "informed", "supervisor"]).optional(),
      assignmentState: AssignmentState.optional(),
      overdue: z.enum(["true", "false"]).optional(),
      cursor: Cursor.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: { 200: { description: "One page", content: { "application/json": { schema: CluePage } } } },
});

const detailRoute = createRoute({
  method: "get",
  path: "/v1/clues/{clueId}",
  summary: "A clue with its assignments, deadlines and history",
  description: "404 for a clue the caller may not see, exactly as for one that does not exist.",
  security: bearerSecurity,
  request: { params: ClueParams },
  responses: {
    200: { description: "The clue", content: { "application/json": { schema: ClueDetail } } },
    404: { description: "No such clue for this caller" },
  },
});

/** A complaint merged into the clue (rule 8) whose text the edge scrubbed, with its text as written. */
const SupplementOriginal = z.object({ complaintId: z.string(), originalText: OriginalText }).openapi("SupplementOriginal");

/**
 * The identity, and the free text as the reporter wrote it when the edge scrubbed contacts out (DESIGN §8): the
 * clue's own, and each merged complaint's, in the order they were merged; each present only where there is one.
 */
const ReporterReading = ReporterIdentity.extend({
  originalText: OriginalText.optional(),
  supplements: z.array(SupplementOriginal).optional(),
}).openapi("ReporterReading");

const reporterRoute = createRoute({
  method: "get",
  path: "/v1/clues/{clueId}/reporter",
  summary: "Decrypt the reporter's identity (audited)",
  description:
    "DESIGN §8: `pii:read` with `commission` (any clue), with the `unit:<id>` of a discipline body leading the clue's discipline track, or with `complaint:write` while a call-back on the clue is due. Departments, assisting and informed units never; every other caller gets the same 404 as for a clue that does not exist. Every successful read writes a `pii.read` event to `clueline.audit.v1` before the identity is returned. `originalText` is the clue's free text as written where the edge scrubbed it; `supplements` the same for each complaint merged into the clue, under the same decision and audit event.",
  security: bearerSecurity,
  request: { params: ClueParams, query: z.object({ reason: QueryText(200).optional() }) },
  responses: {
    200: { description: "The identity", content: { "application/json": { schema: ReporterReading } } },
    403: { description: "Missing pii:read" },
    404: { description: "No such clue for this caller, or an anonymous reporter" },
  },
});

/** Listing, detail and (audited) reporter identity. */
export function createClueRoutes(deps: {
  db: Database;
  sealer: Pick<IdentitySealer, "open" | "openOriginal">;
  clock: () => Date;
}) {
  const router = createRouter();

  router.openapi(listRoute, async (c) => {
    const caller = c.get("caller");
    const query = c.req.valid("query");
    const unitId = visibilityOf(caller).all ? (query.unit ?? null) : actingUnit(caller, query.unit);
    const limit = query.limit;
    const filters = { ...query, overdue: query.overdue === "true" };
    const page = await listClues(deps.db, { unitId, filters, after: decodeCursor(query.cursor), limit });
    return c.json({ items: page.items, nextCursor: page.lastSeq ? encodeCursor(page.lastSeq) : null }, 200);
  });

  router.openapi(detailRoute, async (c) => {
    const caller = c.get("caller");
    const { clueId } = c.req.valid("param");
    await assertVisible(deps.db, caller, clueId);
    const visibility = visibilityOf(caller);
    const detail = await readClueDetail(deps.db, { clueId, unitIds: visibility.all ? [] : visibility.units });
    if (!detail) throw notFound("clue");
    return c.json(detail, 200);
  });

  router.openapi(reporterRoute, async (c) => {
    const caller = c.get("caller");
    const { clueId } = c.req.valid("param");
    const access = await readReporterAccess(deps.db, { caller, clueId });
    if (!access.allowed)
      throw access.status === 403 ? forbidden("reading reporter identity requires pii:read") : notFound("clue");
    const sealed = await readSealedReporter(deps.db, clueId);
    if (!sealed?.identity) throw notFound("identity: the reporter is anonymous");
    // Seals are bound to the complaint that opened the clue (DESIGN §8); a blob moved here from another fails.
    const bound = { complaintId: sealed.complaintId };
    const identity = deps.sealer.open(sealed.identity, bound);
    const originalText = sealed.original === null ? undefined : deps.sealer.openOriginal(sealed.original, bound);
    const supplements = await readSupplementOriginals(deps, clueId);
    const reason = c.req.valid("query").reason;
    await deps.db.transaction((tx) =>
      appendAudit(tx, {
        auditId: newId(),
        actor: caller.subject,
        action: "pii.read",
        target: { kind: "clue", id: clueId },
        ...(reason ? { reason } : {}),
        at: deps.clock().toISOString(),
      }),
    );
    c.header("cache-control", "no-store");
    return c.json(
      { ...identity, ...(originalText ? { originalText } : {}), ...(supplements.length > 0 ? { supplements } : {}) },
      200,
    );
  });

  return router;
}

/** Each merged complaint's original, opened bound to that complaint's own id (the edge sealed it so). */
async function readSupplementOriginals(
  deps: { db: Database; sealer: Pick<IdentitySealer, "openOriginal"> },
  clueId: string,
): Promise<z.infer<typeof SupplementOriginal>[]> {
  const supplements = await readSealedSupplementOriginals(deps.db, clueId);
  return supplements.map(({ complaintId, original }) => ({
    complaintId,
    originalText: deps.sealer.openOriginal(original, { complaintId }),
  }));
}
