import type { EvidenceHead } from "@clueline/evidence";
import { z } from "@hono/zod-openapi";
import type { EvidenceRecord } from "./clue-evidence.js";

/**
 * What a unit may add as investigation material: the types the edges take (hotline recordings, intake and media
 * attachments), judged from the bytes. Anything else is a 415 before it is stored.
 */
export const UNIT_EVIDENCE_TYPES = [
  "audio/mpeg",
  "audio/wav",
  "audio/x-wav",
  "audio/amr",
  "audio/ogg",
  "audio/mp4",
  "audio/aac",
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/heic",
  "application/pdf",
] as const;

const EXTENSIONS: Readonly<Record<string, string>> = {
  "audio/mpeg": "mp3",
  "audio/wav": "wav",
  "audio/amr": "amr",
  "audio/ogg": "ogg",
  "audio/mp4": "m4a",
  "audio/aac": "aac",
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/heic": "heic",
  "application/pdf": "pdf",
};

export const EvidenceItem = z
  .object({
    evidenceId: z.string(),
    /** `reporter`: sent with the complaint through an edge; `unit`: a unit's investigation material. */
    source: z.enum(["reporter", "unit"]),
    kind: z.enum(["audio", "image", "document", "other"]).openapi({ description: "From the content type." }),
    contentType: z
      .string()
      .nullable()
      .openapi({ description: "Judged from the bytes at upload; null when the object is missing from the store." }),
    size: z.int().nullable().openapi({ description: "Bytes; null when the object is missing from the store." }),
    sha256: z.string().openapi({ description: "Recorded at upload (chain of custody); every download is checked against it." }),
    addedBy: z.discriminatedUnion("source", [
      z.object({ source: z.literal("reporter"), channel: z.string() }),
      z.object({ source: z.literal("unit"), unitId: z.string(), actor: z.string() }),
    ]),
    addedAt: z.string().openapi({ description: "When the complaint was received, or the unit uploaded it." }),
    downloadable: z.boolean().openapi({
      description:
        "Whether this caller may download it: a unit's material by all who see the clue; the reporter's only by those who may open the reporter's identity.",
    }),
  })
  .openapi("EvidenceItem");
export type EvidenceItem = z.infer<typeof EvidenceItem>;

export const EvidenceList = z.object({ items: z.array(EvidenceItem) }).openapi("EvidenceList");

export function kindOf(contentType: string | null): EvidenceItem["kind"] {
  if (contentType === null) return "other";
  if (contentType.startsWith("audio/")) return "audio";
  if (contentType.startsWith("image/")) return "image";
  return contentType === "application/pdf" ? "document" : "other";
}

/** A download's file name: the evidence id and the extension of its type (never a name a caller chose). */
export const fileNameOf = (evidenceId: string, contentType: string) => `${evidenceId}.${EXTENSIONS[contentType] ?? "bin"}`;

/** A type the API serves as itself; anything else goes as opaque bytes. */
export const servedTypeOf = (contentType: string) => (contentType in EXTENSIONS ? contentType : "application/octet-stream");

/** The listing's view of one record; a reporter's item takes size and type from its object (`head`). */
export function toEvidenceItem(
  record: EvidenceRecord,
  options: { head: EvidenceHead | undefined; downloadable: boolean },
): EvidenceItem {
  const contentType = record.source === "unit" ? record.contentType : (options.head?.contentType ?? null);
  return {
    evidenceId: record.evidenceId,
    source: record.source,
    kind: kindOf(contentType),
    contentType,
    size: record.source === "unit" ? record.size : (options.head?.size ?? null),
    sha256: record.sha256,
    addedBy:
      record.source === "unit"
        ? { source: "unit", unitId: record.unitId, actor: record.actor }
        : { source: "reporter", channel: record.channel },
    addedAt: record.addedAt.toISOString(),
    downloadable: options.downloadable,
  };
}
