import { EvidenceRef } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { z } from "zod";

/**
 * One piece of a clue's evidence as the ledger records it. `reporter`: what the reporter sent through an edge
 * (the complaint's `evidence`, kept in `clues.evidence`, whose size and type the edge's object carries); `unit`:
 * material a unit added while investigating (`clue_evidence`), kept apart from the reporter's.
 */
export type EvidenceRecord =
  | { source: "reporter"; evidenceId: string; sha256: string; channel: string; addedAt: Date }
  | {
      source: "unit";
      evidenceId: string;
      sha256: string;
      objectKey: string;
      contentType: string;
      size: number;
      unitId: string;
      actor: string;
      addedAt: Date;
    };
export type UnitEvidenceRecord = Extract<EvidenceRecord, { source: "unit" }>;

const COLUMNS = "evidence_id, clue_id, source, object_key, content_type, size_bytes, sha256, unit_id, actor, added_at";

const UnitRow = z.object({
  evidence_id: z.string(),
  source: z.literal("unit"),
  object_key: z.string(),
  content_type: z.string(),
  size_bytes: z.coerce.number().int(),
  sha256: z.string(),
  unit_id: z.string(),
  actor: z.string(),
  added_at: z.coerce.date(),
});
const ClueRow = z.object({
  evidence: z.preprocess((value) => (typeof value === "string" ? JSON.parse(value) : value), z.array(EvidenceRef)),
  channel: z.string(),
  received_at: z.coerce.date(),
});

const unitRecordOf = (row: unknown): UnitEvidenceRecord => {
  const r = UnitRow.parse(row);
  return {
    source: "unit",
    evidenceId: r.evidence_id,
    sha256: r.sha256,
    objectKey: r.object_key,
    contentType: r.content_type,
    size: r.size_bytes,
    unitId: r.unit_id,
    actor: r.actor,
    addedAt: r.added_at,
  };
};

/** Records a unit's material; the object is already stored under `objectKey` with this SHA-256. */
export async function insertUnitEvidence(db: Queryable, record: UnitEvidenceRecord & { clueId: string }): Promise<void> {
  await db.query(`insert into clue_evidence (${COLUMNS}) values ($1, $2, 'unit', $3, $4, $5, $6, $7, $8, $9)`, [
    record.evidenceId,
    record.clueId,
    record.objectKey,
    record.contentType,
    record.size,
    record.sha256,
    record.unitId,
    record.actor,
    record.addedAt.toISOString(),
  ]);
}

/**
 * Every piece of a clue's evidence, the reporter's first (in the complaint's order) and then the units', oldest
 * first; empty for no such clue. Ids repeated by the complaint are listed once.
 */
export async function listClueEvidence(db: Queryable, clueId: string): Promise<EvidenceRecord[]> {
  const [clue, units] = await Promise.all([
    db.query("select evidence, channel, received_at from clues where clue_id = $1", [clueId]),
    db.query(`select ${COLUMNS} from clue_evidence where clue_id = $1 order by added_at, evidence_id`, [clueId]),
  ]);
  if (!clue.rows[0]) return [];
  const { evidence, channel, received_at } = ClueRow.parse(clue.rows[0]);
  const seen = new Set<string>();
  const reporter = evidence.flatMap((ref): EvidenceRecord[] => {
    if (seen.has(ref.evidenceId)) return [];
    seen.add(ref.evidenceId);
    return [{ source: "reporter", evidenceId: ref.evidenceId, sha256: ref.sha256, channel, addedAt: received_at }];
  });
  return [...reporter, ...units.rows.map(unitRecordOf)];
}

/** One piece of a clue's evidence, or undefined when the clue has none by that id. */
export async function findClueEvidence(db: Queryable, input: { clueId: string; evidenceId: string }) {
  const all = await listClueEvidence(db, input.clueId);
  return all.find((record) => record.evidenceId === input.evidenceId);
}
