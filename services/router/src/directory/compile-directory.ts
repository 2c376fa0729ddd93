import type { Category, Department, Directory, Policy, Town } from "@clueline/directory";
import { normalizeText } from "@clueline/directory";
import { createPatternMatcher, type PatternMatch } from "./pattern-matcher.js";
import { createSimilarityMatcher } from "./similarity-matcher.js";

/** A department or town named in a complaint. */
export interface SubjectRef {
  kind: "department" | "town";
  id: string;
}

/** A category that matched a complaint (rule 1), with what made it match. */
export interface CategoryHit {
  category: Category;
  /** Its keywords found in the text, as the directory spells them; empty when it matched otherwise. */
  keywords: string[];
  /** An operator or a form chose it (`categoryHints`). */
  hinted?: boolean;
  /**
   * Matched by similarity: the score against all its examples together (at or above
   * `policy.similarityThreshold`), and its nearest example with that example's own score.
   */
  similar?: { score: number; example: string; exampleScore: number };
}

/**
 * A validated directory with its look-ups built once, so routing a complaint is a few map reads and two
 * passes over its text. Immutable: a reload builds a new one and swaps it whole.
 */
export interface CompiledDirectory {
  readonly source: Directory;
  readonly policy: Policy;
  /** The unit id of the district commission (区纪委监委). */
  readonly districtCommission: string;
  readonly departments: ReadonlyMap<string, Department>;
  readonly towns: ReadonlyMap<string, Town>;
  /** Department id → the stationed team covering it; absent when none does. */
  readonly coveringTeam: ReadonlyMap<string, string>;
  /** Town id → its town committee unit id. */
  readonly townCommittee: ReadonlyMap<string, string>;
  readonly seniorRanks: ReadonlySet<string>;
  readonly transferRanks: ReadonlySet<string>;
  /**
   * Departments and towns named in `text` (rule 2), longest match first, in text order. Match positions and
   * words refer to the normalized text (`normalizeText`).
   */
  findSubjects(text: string): Array<PatternMatch<SubjectRef>>;
  /** Category code → the category and its position in the directory. */
  readonly categories: ReadonlyMap<string, { category: Category; position: number }>;
  /** Categories whose keywords occur in `text` (rule 1), in directory order. */
  findCategories(text: string): CategoryHit[];
  /**
   * The category whose examples are nearest `text`, when at least `policy.similarityThreshold` close (rule 1),
   * with its nearest example: see `createSimilarityMatcher`.
   */
  findSimilar(text: string): Array<{ category: Category; score: number; example: string; exampleScore: number }>;
}

/**
 * Builds the look-ups of a directory that `parseDirectory` / `loadDirectory` already validated.
 *
 * @example
 * const directory = compileDirectory(await loadDirectory("packages/directory/default.yaml"));
 * directory.findSubjects("市监局窗口审批拖着不批").map((m) => m.value.id); // ["dept-market"]
 */
export function compileDirectory(source: Directory): CompiledDirectory {
  const coveringTeam = new Map<string, string>();
  const townCommittee = new Map<string, string>();
  let districtCommission = "";
  for (const unit of source.units) {
    if (unit.kind === "district-commission") districtCommission = unit.id;
    else if (unit.kind === "stationed-team") for (const department of unit.covers) coveringTeam.set(department, unit.id);
    else townCommittee.set(unit.town, unit.id);
  }

  const subjectWords: Array<{ word: string; value: SubjectRef }> = [];
  for (const [kind, entries] of [
    ["department", source.departments],
    ["town", source.towns],
  ] as const) {
    for (const entry of entries) {
      const value: SubjectRef = { kind, id: entry.id };
      for (const word of [entry.name, ...entry.aliases]) subjectWords.push({ word: normalizeText(word.trim()), value });
    }
  }
  const subjects = createPatternMatcher(subjectWords);

  // A keyword may belong to several categories; each pattern carries its category's position and spelling.
  const keywordWords = source.categories.flatMap((category, position) =>
    category.keywords.map((keyword) => ({ word: normalizeText(keyword.trim()), value: { position, keyword } })),
  );
  const keywords = createPatternMatcher(keywordWords);

  const similarity = createSimilarityMatcher(
    source.categories.map((category, position) => ({
      position,
      examples: category.examples ?? [],
      normalized: (category.examples ?? []).map((example) => normalizeText(example)),
      kind: category.kind,
    })),
  );

  // Routing asks for subjects and categories of the same text in a row; normalize it once.
  let lastText = "";
  let lastNormalized = "";
  const normalized = (text: string): string => {
    if (text !== lastText) {
      lastText = text;
      lastNormalized = normalizeText(text);
    }
    return lastNormalized;
  };

  return {
    source,
    policy: source.policy,
    districtCommission,
    departments: new Map(source.departments.map((d) => [d.id, d])),
    towns: new Map(source.towns.map((t) => [t.id, t])),
    coveringTeam,
    townCommittee,
    seniorRanks: new Set(source.policy.seniorRanks),
    transferRanks: new Set(source.policy.transferRanks),
    categories: new Map(source.categories.map((category, position) => [category.code, { category, position }])),
    findSubjects: (text) => subjects.findLongest(normalized(text)),
    findCategories(text) {
      // Indexed by category position: directory order comes for free, without a sort.
      const hits: Array<Set<string> | undefined> = new Array(source.categories.length);
      keywords.forEach(normalized(text), ({ position, keyword }) => {
        const words = hits[position];
        if (words) words.add(keyword);
        else hits[position] = new Set([keyword]);
      });
      const found: CategoryHit[] = [];
      hits.forEach((words, position) => {
        const category = source.categories[position];
        if (words && category) found.push({ category, keywords: [...words] });
      });
      return found;
    },
    findSimilar(text) {
      // 1 turns matching by similarity off, and its cost (about 45 µs a text with the shipped examples, 2 cores).
      if (source.policy.similarityThreshold >= 1) return [];
      return similarity.match(normalized(text), source.policy.similarityThreshold).flatMap(({ position, ...hit }) => {
        const category = source.categories[position];
        return category ? [{ category, ...hit }] : [];
      });
    },
  };
}
