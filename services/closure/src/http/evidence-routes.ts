import { newId } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import {
  ChecksumMismatch,
  canonicalMediaType,
  EvidenceNotFound,
  type EvidenceStore,
  EvidenceTooLarge,
  judgeMediaType,
  sha256Hex,
} from "@clueline/evidence";
import { type Caller, HttpProblem, hasScope, limitBody } from "@clueline/kit";
import { createRoute, z } from "@hono/zod-openapi";
import type { Logger } from "pino";
import { readReporterAccess } from "../access/read-reporter-access.js";
import { findClueEvidence, insertUnitEvidence, listClueEvidence } from "../evidence/clue-evidence.js";
import {
  EvidenceItem,
  EvidenceList,
  fileNameOf,
  servedTypeOf,
  toEvidenceItem,
  UNIT_EVIDENCE_TYPES,
} from "../evidence/evidence-view.js";
import { appendAudit } from "../ledger/events/ledger-events.js";
import { readUnitPart } from "../queries/clue-visibility.js";
import { actingUnit, assertVisible, notFound } from "./access.js";
import { bearerSecurity, createRouter } from "./http-env.js";
import { QueryText, Ulid, UnitId } from "./parameters.js";

/** Where evidence lives: the edges' objects (the reporter's) and the units' own, under a prefix of their own. */
export interface EvidenceStores {
  reporter: Pick<EvidenceStore, "get" | "head">;
  units: Pick<EvidenceStore, "get" | "put">;
  /** Largest upload taken, and largest object read to serve (it is held in memory to check its SHA-256 first). */
  maxBytes: number;
}

const problem = { description: "Problem details (RFC 9457)" };
const ClueParams = z.object({ clueId: Ulid });
const binary = { schema: { type: "string" as const, format: "binary" } };
const ACCESS = [
  "Callers who see the clue (its units, the commission) see the list; everyone else gets the same 404 as for a clue",
  "that does not exist. A unit's material downloads for all who see the clue; what the reporter sent (a recording",
  "may carry the reporter's voice and name, DESIGN §8) only for those who may open the reporter's identity",
  "(`pii:read` with `commission`, or with the discipline body leading the clue's discipline track); others see it",
  "listed and get 403 on download.",
].join(" ");

const listRoute = createRoute({
  method: "get",
  path: "/v1/clues/{clueId}/evidence",
  summary: "A clue's evidence: the reporter's and the units' material",
  description: ACCESS,
  security: bearerSecurity,
  request: { params: ClueParams },
  responses: {
    200: { description: "Every piece, the reporter's first", content: { "application/json": { schema: EvidenceList } } },
    404: problem,
  },
});

const downloadRoute = createRoute({
  method: "get",
  path: "/v1/clues/{clueId}/evidence/{evidenceId}",
  summary: "Download one piece of evidence (checked against its SHA-256, audited)",
  description: `${ACCESS} The bytes are read and their SHA-256 compared with the one recorded at upload before any is sent; a mismatch is a 409 and nothing is sent. Every download writes an \`evidence.read\` event to \`clueline.audit.v1\` first.`,
  security: bearerSecurity,
  request: { params: ClueParams.extend({ evidenceId: Ulid }), query: z.object({ reason: QueryText(200).optional() }) },
  responses: {
    200: { description: "The bytes, as stored", content: { "application/octet-stream": binary } },
    403: problem,
    404: problem,
    409: problem,
  },
});

const uploadRoute = createRoute({
  method: "post",
  path: "/v1/clues/{clueId}/evidence",
  summary: "Add investigation material to a clue",
  description:
    "A unit leading or assisting the clue (or the commission) adds material of its own, kept apart from what the reporter sent. The raw body is the file; its type is judged from the bytes (415 when they are not what `Content-Type` says, or not a type taken). The key is server-made and the SHA-256 recorded. A caller with several unit scopes names one in `unit`.",
  security: bearerSecurity,
  request: {
    params: ClueParams,
    query: z.object({ unit: UnitId.optional() }),
    headers: z.object({
      "x-clueline-sha256": z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, "must be a SHA-256 in hex")
        .optional()
        .openapi({ description: "The SHA-256 the sender computed; on mismatch nothing is stored (422)." }),
    }),
    body: { required: true, content: Object.fromEntries(UNIT_EVIDENCE_TYPES.map((type) => [type, binary])) },
  },
  responses: {
    201: { description: "Stored, with its SHA-256", content: { "application/json": { schema: EvidenceItem } } },
    400: problem,
    403: problem,
    404: problem,
    413: problem,
    415: problem,
    422: problem,
  },
});

/** The evidence routes: list, download, and a unit's upload. */
export function createEvidenceRoutes(deps: {
  db: Database;
  stores: EvidenceStores;
  commissionUnit: string;
  logger: Logger;
  clock: () => Date;
  afterChange: () => void;
}) {
  const router = createRouter();
  const { db, stores } = deps;
  const mayOpenReporterMaterial = async (caller: Caller, clueId: string) =>
    (await readReporterAccess(db, { caller, clueId })).allowed;

  router.openapi(listRoute, async (c) => {
    const caller = c.get("caller");
    const { clueId } = c.req.valid("param");
    await assertVisible(db, caller, clueId);
    const records = await listClueEvidence(db, clueId);
    const reporterOpens = records.some((r) => r.source === "reporter") && (await mayOpenReporterMaterial(caller, clueId));
    const items = await Promise.all(
      records.map(async (record) =>
        toEvidenceItem(record, {
          head: record.source === "reporter" ? await stores.reporter.head(record.evidenceId) : undefined,
          downloadable: record.source === "unit" || reporterOpens,
        }),
      ),
    );
    c.header("cache-control", "no-store");
    return c.json({ items }, 200);
  });

  router.openapi(downloadRoute, async (c) => {
    const caller = c.get("caller");
    const { clueId, evidenceId } = c.req.valid("param");
    await assertVisible(db, caller, clueId);
    const record = await findClueEvidence(db, { clueId, evidenceId });
    if (!record) throw notFound("evidence");
    if (record.source === "reporter" && !(await mayOpenReporterMaterial(caller, clueId))) {
      throw new HttpProblem({
        status: 403,
        slug: "reporter-material",
        title: "What the reporter sent opens only for those who may open the reporter's identity",
        detail: "DESIGN §8: pii:read with commission, or with the discipline body leading the clue's discipline track.",
      });
    }
    const store = record.source === "unit" ? stores.units : stores.reporter;
    const log = deps.logger.child({ clueId, evidenceId, source: record.source });
    let stored: Awaited<ReturnType<typeof store.get>>;
    try {
      stored = await store.get(evidenceId, { expectedSha256: record.sha256, maxBytes: stores.maxBytes });
    } catch (error) {
      throw custodyProblem(error, log);
    }
    const reason = c.req.valid("query").reason;
    await db.transaction((tx) =>
      appendAudit(tx, {
        auditId: newId(),
        actor: caller.subject,
        action: "evidence.read",
        target: { kind: "clue", id: clueId },
        evidenceId,
        ...(reason ? { reason } : {}),
        at: deps.clock().toISOString(),
      }),
    );
    deps.afterChange();
    const contentType = servedTypeOf(canonicalMediaType(stored.contentType));
    return c.body(stored.body as Uint8Array<ArrayBuffer>, 200, {
      "content-type": contentType,
      "content-disposition": `attachment; filename="${fileNameOf(evidenceId, contentType)}"`,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
      // RFC 9530: the client can check the bytes against the recorded SHA-256 itself.
      "repr-digest": `sha-256=:${Buffer.from(stored.sha256, "hex").toString("base64")}:`,
    }) as never;
  });

  router.use(uploadRoute.getRoutingPath(), limitBodyOnPost(stores.maxBytes));
  router.openapi(uploadRoute, async (c) => {
    const caller = c.get("caller");
    const { clueId } = c.req.valid("param");
    await assertVisible(db, caller, clueId);
    const unitId = await uploadingUnit(db, { caller, clueId, requested: c.req.valid("query").unit, ...deps });
    const declared = c.req.header("content-type") ?? "";
    const allowed = new Set<string>(UNIT_EVIDENCE_TYPES.map(canonicalMediaType));
    if (!allowed.has(canonicalMediaType(declared))) {
      throw new HttpProblem({
        status: 415,
        slug: "unsupported-media-type",
        title: "Unsupported media type",
        detail: `Content-Type must be one of: ${UNIT_EVIDENCE_TYPES.join(", ")}.`,
      });
    }
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (body.byteLength === 0) throw new HttpProblem({ status: 400, slug: "empty-body", title: "The upload is empty" });
    const judgement = await judgeMediaType({ body, declared, allowed: UNIT_EVIDENCE_TYPES });
    if (!judgement.accepted) {
      throw new HttpProblem({
        status: 415,
        slug: "media-type-mismatch",
        title: "The bytes are not of the declared type",
        detail: `Declared ${judgement.declared}, but the bytes are ${judgement.detected ?? "of no recognised type"}. Nothing was stored.`,
      });
    }
    const stated = c.req.valid("header")["x-clueline-sha256"];
    if (stated !== undefined && stated.toLowerCase() !== sha256Hex(body)) {
      throw new HttpProblem({
        status: 422,
        slug: "checksum-mismatch",
        title: "The body does not match its stated SHA-256",
        detail: "Nothing was stored. Compute the SHA-256 over the exact bytes sent, or omit x-clueline-sha256.",
      });
    }
    const stored = await stores.units.put({ body, contentType: judgement.mediaType });
    const record = {
      source: "unit" as const,
      evidenceId: stored.evidenceId,
      sha256: stored.sha256,
      objectKey: stored.key,
      contentType: judgement.mediaType,
      size: stored.size,
      unitId,
      actor: caller.subject,
      addedAt: deps.clock(),
    };
    await insertUnitEvidence(db, { ...record, clueId });
    deps.logger.info({ clueId, evidenceId: stored.evidenceId, unitId, size: stored.size }, "unit evidence stored");
    return c.json(toEvidenceItem(record, { head: undefined, downloadable: true }), 201);
  });

  return router;
}

/**
 * The unit an upload is recorded for: one of the caller's units that leads or assists the clue (an informed unit
 * only reads), or the commission's own unit for a `commission` caller acting for no unit.
 */
async function uploadingUnit(
  db: Database,
  input: { caller: Caller; clueId: string; requested: string | undefined; commissionUnit: string },
): Promise<string> {
  const { caller, clueId, requested } = input;
  if (hasScope(caller, "commission") && requested === undefined) return input.commissionUnit;
  const unitId = actingUnit(caller, requested);
  const part = await readUnitPart(db, { clueId, unitId });
  if (!part) throw notFound("clue");
  if (!part.working) {
    throw new HttpProblem({
      status: 403,
      slug: "not-working-the-clue",
      title: "Only a unit leading or assisting the clue adds material to it",
    });
  }
  return unitId;
}

/** A custody failure as the caller sees it, logged with ids only (never the bytes or who reported). */
function custodyProblem(error: unknown, log: Logger): unknown {
  if (error instanceof ChecksumMismatch) {
    log.error({ errorClass: error.name }, "evidence does not match the SHA-256 recorded at upload; not served");
    return new HttpProblem({
      status: 409,
      slug: "evidence-integrity",
      title: "The stored evidence does not match the SHA-256 recorded at upload",
      detail: "Nothing was sent. The chain of custody is broken: the service logged the ids as an error; tell the commission.",
    });
  }
  if (error instanceof EvidenceNotFound) {
    log.error({ errorClass: error.name }, "evidence recorded in the ledger is missing from the store");
    return new HttpProblem({ status: 404, slug: "evidence-missing", title: "The evidence is missing from the store" });
  }
  if (error instanceof EvidenceTooLarge) {
    log.error({ errorClass: error.name, size: error.size, maxBytes: error.maxBytes }, "evidence larger than this service serves");
    return new HttpProblem({ status: 409, slug: "evidence-too-large", title: "The evidence is larger than this service serves" });
  }
  return error;
}

/** The upload's own body limit; the app's general one skips this route (see createApp). */
function limitBodyOnPost(maxBytes: number) {
  const limit = limitBody(maxBytes);
  return async function limitEvidenceBody(c: Parameters<typeof limit>[0], next: Parameters<typeof limit>[1]) {
    return c.req.method === "POST" ? limit(c, next) : next();
  };
}
