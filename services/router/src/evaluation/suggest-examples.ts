import { z } from "zod";
import { type CategoryHit, type CompiledDirectory, maxExampleLength, maxExamples } from "../directory/index.js";
import { matchCategories } from "../routing/index.js";
import { centroid, cosine, createTextSpace } from "./text-space.js";

/**
 * One triaged text: a line of the closure's classification export (`{id, text, category, classifiedAt}`) or of
 * the labelled corpus (`{id, text, category, nature, split}`). Only these three fields are read.
 */
export const TriagedText = z.object({
  id: z
    .union([z.string().min(1), z.number()])
    .transform(String)
    .optional(),
  text: z.string().trim().min(1),
  category: z.string().min(1),
});
export type TriagedText = z.infer<typeof TriagedText>;

/**
 * At or above this similarity (to an example or to a text already suggested) a text is a near-duplicate and is
 * never suggested. Measured on the labelled corpus's train part: two different texts score at most 0.27 (of one
 * category, 0.24); a text with its figures and a name changed, or cut to 70 % with a new ending, 0.71 and more.
 */
export const nearDuplicate = 0.5;

/** How the directory routes a text now: its top category and what made it match, or null when unclassified. */
export interface RoutedNow {
  code: string;
  /** The keywords found, else the similarity score. */
  keywords: string[];
  score?: number;
}

export interface Suggestion {
  line: number;
  id?: string;
  /** The text with runs of white space made one space, as it would go into `examples`. */
  text: string;
  /** `miss + (1 − closeness)`, 0–2: what ranked it. */
  gain: number;
  routed: RoutedNow | null;
  /** The category also matched, though not on top. */
  matchedHere: boolean;
  /** Similarity to the category's examples taken together (0 when it has none). */
  together: number;
  nearest: { example: string; score: number } | null;
  /** Similarity to the nearest text suggested before it for the same category, when above `nearest`. */
  likeEarlier?: number;
}

export interface CategorySuggestions {
  code: string;
  name: string;
  examples: number;
  texts: number;
  /** Texts the directory does not route here first (unclassified, or another category on top). */
  missed: number;
  suggestions: Suggestion[];
  /** Near-duplicates of an example or of a suggestion, and texts longer than an example may be. */
  leftOut: { nearDuplicates: number; tooLong: number };
  /** Fewer than asked could be suggested because the category would hold more than `maxExamples`. */
  full: boolean;
}

/**
 * For each category the texts name, the texts that would add most to its `examples`, greedily: a text scores
 * `miss + novelty`. `miss` is 1 when the directory routes it elsewhere or leaves it unclassified, else half its
 * distance from the category's examples taken together (a text routed here but far from the examples still
 * teaches something). `novelty` is 1 minus its similarity to the nearest example or earlier suggestion, so that
 * after each pick, texts like it fall back; near-duplicates (`nearDuplicate`) are left out. Ties go to the earlier
 * line, so a run is repeatable. Categories come in directory order; unknown codes are returned with their lines.
 *
 * @example
 * const { categories, unknown } = suggestExamples({ texts: rows, directory, perCategory: 5 });
 * categories[0]?.suggestions[0]?.text; // the text the first category most lacks
 */
export function suggestExamples(params: {
  texts: ReadonlyArray<{ line: number; value: TriagedText }>;
  directory: CompiledDirectory;
  perCategory: number;
}): { categories: CategorySuggestions[]; unknown: Array<{ code: string; lines: number[] }> } {
  const { directory, perCategory } = params;
  const byCategory = new Map<string, Array<{ line: number; id?: string; text: string }>>();
  const unknown = new Map<string, number[]>();
  for (const { line, value } of params.texts) {
    if (!directory.categories.has(value.category)) {
      unknown.set(value.category, [...(unknown.get(value.category) ?? []), line]);
      continue;
    }
    const list = byCategory.get(value.category) ?? [];
    list.push({ line, id: value.id, text: value.text.replace(/\s+/g, " ") });
    byCategory.set(value.category, list);
  }
  const known = directory.source.categories.filter((category) => byCategory.has(category.code));
  const space = createTextSpace([
    ...directory.source.categories.flatMap((category) => category.examples ?? []),
    ...[...byCategory.values()].flat().map((t) => t.text),
  ]);

  const categories = known.map((category): CategorySuggestions => {
    const texts = byCategory.get(category.code) ?? [];
    const examples = (category.examples ?? []).map((example) => ({ example, vector: space.vector(example) }));
    const together = centroid(examples.map((e) => e.vector));
    const room = Math.max(0, maxExamples - examples.length);
    const routed = texts.map((text) => {
      const { categories: matched, ranked } = matchCategories({ complaint: complaintOf(text.text), directory });
      const top = ranked[0];
      return {
        ...text,
        routed: top ? routedNow(top) : null,
        routedHere: top?.category.code === category.code,
        matchedHere: matched.some((hit) => hit.category.code === category.code),
      };
    });
    const candidates = routed
      .filter((text) => text.text.length <= maxExampleLength)
      .map(({ routedHere, ...text }) => {
        const vector = space.vector(text.text);
        let nearest: Suggestion["nearest"] = null;
        for (const { example, vector: other } of examples) {
          const score = cosine(vector, other);
          if (!nearest || score > nearest.score) nearest = { example, score };
        }
        const here = cosine(vector, together);
        return {
          ...text,
          vector,
          together: here,
          nearest,
          miss: routedHere ? (1 - here) / 2 : 1,
          closeness: nearest?.score ?? 0,
          likeEarlier: 0,
        };
      });

    const suggestions: Suggestion[] = [];
    let nearDuplicates = 0;
    let open = candidates;
    while (open.length > 0) {
      const kept = open.filter((c) => c.closeness < nearDuplicate);
      nearDuplicates += open.length - kept.length;
      open = kept;
      if (suggestions.length >= Math.min(perCategory, room)) break;
      let best: (typeof open)[number] | undefined;
      for (const candidate of open)
        if (!best || gainOf(candidate) > gainOf(best) || (gainOf(candidate) === gainOf(best) && candidate.line < best.line))
          best = candidate;
      if (!best) break;
      const { line, id, text, routed, matchedHere, together, nearest, likeEarlier } = best;
      suggestions.push({
        line,
        ...(id === undefined ? {} : { id }),
        text,
        gain: gainOf(best),
        routed,
        matchedHere,
        together,
        nearest,
        ...(likeEarlier > (nearest?.score ?? 0) ? { likeEarlier } : {}),
      });
      open = open.filter((c) => c !== best);
      for (const candidate of open) {
        const like = cosine(candidate.vector, best.vector);
        candidate.likeEarlier = Math.max(candidate.likeEarlier, like);
        candidate.closeness = Math.max(candidate.closeness, like);
      }
    }

    return {
      code: category.code,
      name: category.name,
      examples: examples.length,
      texts: texts.length,
      missed: routed.filter((text) => !text.routedHere).length,
      suggestions,
      leftOut: { nearDuplicates, tooLong: routed.length - candidates.length },
      full: room < perCategory && suggestions.length === room,
    };
  });
  return { categories, unknown: [...unknown].map(([code, lines]) => ({ code, lines })) };
}

/** Rounded like the similarities, so that equal gains tie and fall to line order. */
const gainOf = (c: { miss: number; closeness: number }): number => Math.round((c.miss + 1 - c.closeness) * 1000) / 1000;

const routedNow = (hit: CategoryHit): RoutedNow => ({
  code: hit.category.code,
  keywords: hit.keywords,
  ...(hit.keywords.length === 0 && hit.similar ? { score: hit.similar.score } : {}),
});

/** Rule 1 reads only the text; the rest satisfies the Complaint type, as `evaluateCorpus` does. */
const complaintOf = (text: string) => ({
  id: "suggestion",
  channel: "hotline" as const,
  receivedAt: "2024-01-01T09:00:00+08:00",
  text,
  reporter: { kind: "anonymous" as const },
});
