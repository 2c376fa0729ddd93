import { z } from "zod";

/**
 * The directory file (DESIGN §5): the district's discipline units, departments, towns, outside bodies, the
 * complaint taxonomy and the routing policy. Objects are strict so that an operator's typo (`escalte:`) is
 * reported instead of silently ignored; cross-references are checked in `crossCheckDirectory`.
 */

export const DirectoryId = z.string().regex(/^[a-z0-9-]+$/, { error: "id must match [a-z0-9-]+" });
const Name = z.string().trim().min(1, { error: "must not be empty" });
const Words = z.array(Name);

export const DistrictCommissionUnit = z.strictObject({
  id: DirectoryId,
  kind: z.literal("district-commission"),
  name: Name,
});
/** 派驻纪检监察组; 综合派驻 means one team covers several departments. */
export const StationedTeamUnit = z.strictObject({
  id: DirectoryId,
  kind: z.literal("stationed-team"),
  name: Name,
  covers: z.array(DirectoryId).min(1, { error: "a stationed team covers at least one department" }),
});
/** 镇纪委 / 街道纪工委, bound to exactly one town or subdistrict. */
export const TownCommitteeUnit = z.strictObject({
  id: DirectoryId,
  kind: z.literal("town-committee"),
  name: Name,
  town: DirectoryId,
});
export const Unit = z.discriminatedUnion("kind", [DistrictCommissionUnit, StationedTeamUnit, TownCommitteeUnit]);
export type Unit = z.infer<typeof Unit>;

export const Department = z.strictObject({
  id: DirectoryId,
  name: Name,
  aliases: Words.default([]),
  /** Set for vertically managed offices (垂直管理): their discipline clues are transferred to this body. */
  external: DirectoryId.optional(),
});
export type Department = z.infer<typeof Department>;

export const Town = z.strictObject({ id: DirectoryId, name: Name, aliases: Words.default([]) });
export type Town = z.infer<typeof Town>;

export const ExternalBody = z.strictObject({ id: DirectoryId, name: Name });
export type ExternalBody = z.infer<typeof ExternalBody>;

/** The limits of a category's `examples`, exported so that `route --suggest-examples` never suggests past them. */
export const maxExamples = 200;
export const maxExampleLength = 500;

export const Category = z.strictObject({
  code: DirectoryId,
  name: Name,
  /** conduct → discipline track; service → service track (rule 1). */
  kind: z.enum(["conduct", "service"]),
  keywords: Words.min(1, { error: "a category needs at least one keyword" }),
  escalate: z.boolean().default(false),
  /** Service categories only: the department that leads when the complaint names none (rule 7). */
  owner: DirectoryId.optional(),
  /**
   * Whole sentences as people write them (rule 1): a complaint close enough to one of them matches the
   * category even when no keyword occurs. Optional; a directory without them matches by keyword only.
   */
  examples: z
    .array(z.string().trim().min(1, { error: "must not be empty" }).max(maxExampleLength))
    .max(maxExamples)
    .optional(),
});
export type Category = z.infer<typeof Category>;

/** See `Policy.similarityThreshold`. */
export const defaultSimilarityThreshold = 0.1;

const Days = z.int().min(1).max(3650);

/**
 * Rule 10 (DESIGN §6): a department whose service work crosses one of these counts within a rolling window of
 * `windowDays` gets a discipline clue about it. A count is met at exactly its value; `enabled: false` turns the
 * rule off. `category` is the conduct category the clue gets when the taxonomy has it (else the router takes
 * `shirking`, 推诿扯皮, or the closest conduct category it has).
 */
export const ConductFromService = z.strictObject({
  enabled: z.boolean().default(true),
  windowDays: Days.default(30),
  overdue: z.int().min(1).max(1000).default(3),
  dissatisfied: z.int().min(1).max(1000).default(3),
  returnsUpheld: z.int().min(1).max(1000).default(2),
  category: DirectoryId.optional(),
});
export type ConductFromService = z.infer<typeof ConductFromService>;

/** DESIGN §5: 3 overdue service assignments, 3 dissatisfied call-backs or 2 upheld returns within 30 days. */
export const defaultConductFromService: ConductFromService = ConductFromService.parse({});

/**
 * DESIGN §7: calendar days a discipline lead has to conclude a clue after disposing of it, per way of handling.
 * `hold` (暂存待查) and `close` (予以了结) have none: a held clue waits for its review date, a closed one is done.
 */
export const DisciplineConclusionDays = z.strictObject({
  "talk-or-letter": Days.default(30),
  "preliminary-check": Days.default(90),
});
export type DisciplineConclusionDays = z.infer<typeof DisciplineConclusionDays>;

/** DESIGN §5: 谈话函询 within 30 days, 初步核实 within 90. */
export const defaultDisciplineConclusionDays: DisciplineConclusionDays = DisciplineConclusionDays.parse({});

export const Policy = z.strictObject({
  seniorRanks: z.array(DirectoryId),
  transferRanks: z.array(DirectoryId),
  transferTo: DirectoryId,
  serviceFallback: DirectoryId,
  serviceOverseer: DirectoryId,
  repeatWindowDays: Days,
  repeatEscalateAt: z.int().min(1).max(1000),
  /** 0 turns merging off. */
  mergeWindowDays: z.int().min(0).max(3650),
  mediaReachEscalateAt: z.int().min(1),
  /**
   * Rule 1: the cosine similarity (0–1) a complaint needs with a category's `examples` (taken together) to match
   * it, when neither the operator nor a keyword named a category; only the nearest category can match this way
   * (and a conduct one close behind a nearest service one). The default (0.1) was measured with few examples;
   * the shipped directory, with 1,154, sets 0.12, where real complaints of the labelled corpus still match
   * (0.5 % unclassified on its held-out part) but most texts about nothing in the taxonomy do not. 1 turns
   * matching by similarity off.
   */
  similarityThreshold: z.number().min(0).max(1).default(defaultSimilarityThreshold),
  /** DESIGN §7: working days a unit has to answer a supervision order (督办) before it escalates to its leader. */
  supervisionAnswerWorkingDays: z.int().min(1).max(60).default(5),
  /** Rule 10; an older file without it gets the DESIGN §5 defaults. */
  conductFromService: ConductFromService.default(defaultConductFromService),
  /**
   * DESIGN §7: calendar days after a discipline lead accepts a clue within which it records a way of handling it
   * (a disposal). An older file without it gets the DESIGN §5 default, 30.
   */
  disciplineDisposalDays: Days.default(30),
  /** DESIGN §7: see {@link DisciplineConclusionDays}; an older file without it gets the DESIGN §5 defaults. */
  disciplineConclusionDays: DisciplineConclusionDays.default(defaultDisciplineConclusionDays),
});
export type Policy = z.infer<typeof Policy>;

/**
 * 包抓领导: a district leader who answers for some units. A supervision order a unit leaves unanswered past its
 * deadline escalates (提级督办) to the leader overseeing that unit, who reads it with scope `leader:<id>`.
 */
export const Leader = z.strictObject({
  id: DirectoryId,
  name: Name,
  oversees: z.array(DirectoryId).min(1, { error: "a leader oversees at least one unit" }),
});
export type Leader = z.infer<typeof Leader>;

/**
 * The whole directory file, shape only. Use `parseDirectory` / `loadDirectory`, which also run the
 * cross-reference checks, rather than parsing with this schema directly.
 *
 * @example
 * const shapeOnly = Directory.safeParse(YAML.parse(text));
 */
export const Directory = z.strictObject({
  version: z.literal(1, { error: "version must be 1" }),
  units: z.array(Unit).min(1),
  departments: z.array(Department),
  towns: z.array(Town),
  external: z.array(ExternalBody).default([]),
  categories: z.array(Category),
  policy: Policy,
  /** Optional: a directory without leaders escalates nothing past the commission. */
  leaders: z.array(Leader).default([]),
});
export type Directory = z.infer<typeof Directory>;
