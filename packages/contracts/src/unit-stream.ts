import { z } from "zod";
import { type UnitClue, unitClueTopic } from "./clue-routed.js";
import { parseEnvelope, type WireRecord } from "./envelope.js";
import { AssignmentRef, LifecycleEvent, type LifecycleEventName } from "./lifecycle.js";
import { defineTopic, type Event } from "./topic.js";
import { unitTopicName } from "./topic-names.js";

/**
 * The ledger's own record of a unit's work on `clueline.unit.<unitId>.v1`, beside the router's early
 * `clueline.unit.clue`: one record per ledger event that gives the unit work, takes it away or shows it the clue,
 * published by the closure's outbox in ledger order (keyed by clue id), so a subscriber folding these records holds
 * the unit's clue list exactly as `GET /v1/clues` and the SSE stream answer it. No reporter identity, no text.
 */

const DirectoryId = z.string().regex(/^[a-z0-9-]+$/, { error: "must match [a-z0-9-]+" });

/**
 * The lifecycle event that made the change, as the ledger names it. Read off the lifecycle contract, so a kind
 * added there needs no edit here: only an entry in the closure's mapping (`unit-stream-kinds.ts`).
 */
export const UnitChangeKind = z.enum(
  LifecycleEvent.options.map((variant) => variant.shape.event.value) as [LifecycleEventName, ...LifecycleEventName[]],
);
export type UnitChangeKind = z.infer<typeof UnitChangeKind>;

/** A unit's roles on a clue as the API lists them: 主办, 协办, 知会, and 督办 for the commission supervising it. */
export const UnitStreamRole = z.enum(["lead", "assist", "informed", "supervisor"]);
export type UnitStreamRole = z.infer<typeof UnitStreamRole>;

/** What the change does to the unit's work: gives it (new, reopened or supervised work), takes it, or informs. */
export const UnitWorkEffect = z.enum(["given", "taken", "informed"]);
export type UnitWorkEffect = z.infer<typeof UnitWorkEffect>;

export const UnitClueChanged = z.object({
  unitId: DirectoryId,
  clueId: z.string().min(1),
  change: UnitChangeKind,
  effect: UnitWorkEffect,
  /** The role the change gives the unit on the clue; null when none. Roles only ever grow, as the API's do. */
  role: UnitStreamRole.nullable(),
  /** The unit's assignment the change gives, reopens or takes away; null when it concerns none. */
  assignment: AssignmentRef.nullable(),
  /** Why an assignment was given, as the ledger says (`routing`, `transfer`, `escalation`, `classification`, …). */
  cause: z
    .string()
    .regex(/^[a-z-]+$/)
    .optional(),
  /** Where taken work went: the unit or outside body a transfer named. */
  to: z.string().min(1).optional(),
  /** The supervision order (督办) the change is about. */
  orderId: z.string().min(1).optional(),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type UnitClueChanged = z.infer<typeof UnitClueChanged>;

/** The ledger's records on one unit's stream (optionally under a test prefix). */
export function unitChangeTopic(unitId: string, prefix = "") {
  return defineTopic({
    name: prefix + unitTopicName(unitId),
    type: "clueline.unit.clue-changed",
    schema: UnitClueChanged,
    keyOf: (event) => event.clueId,
  });
}

/** One record of a unit stream, told apart by its `ce_type`; null for a type this version does not know. */
export type UnitStreamRecord =
  | { type: "clueline.unit.clue"; event: Event<UnitClue> }
  | { type: "clueline.unit.clue-changed"; event: Event<UnitClueChanged> }
  | null;

/**
 * Parses a record of `clueline.unit.<unitId>.v1`. A bad record of a known type is a `PoisonRecord`; an unknown type
 * is skipped (null), so a subscriber keeps working when a later version adds one.
 *
 * @example
 * const parsed = parseUnitStreamRecord(record);
 * if (parsed?.type === "clueline.unit.clue-changed") view.apply(parsed.event);
 */
export function parseUnitStreamRecord(record: WireRecord): UnitStreamRecord {
  const { attributes } = parseEnvelope(record);
  // The topic name does not matter to parsing: any unit's codec reads any unit's record.
  if (attributes.type === "clueline.unit.clue") return { type: attributes.type, event: unitClueTopic("x").parse(record) };
  if (attributes.type === "clueline.unit.clue-changed") {
    return { type: attributes.type, event: unitChangeTopic("x").parse(record) };
  }
  return null;
}
