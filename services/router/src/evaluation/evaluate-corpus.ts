import type { ClueNature } from "@clueline/contracts";
import { z } from "zod";
import type { CompiledDirectory } from "../directory/index.js";
import { analyzeComplaint } from "../routing/index.js";

/** One line of a labelled corpus (`test/data/complaints-labelled.jsonl`). */
export const LabelledText = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  category: z.string().min(1),
  nature: z.enum(["discipline", "service"]),
  /**
   * Which part of the corpus: `train` (examples may be drawn from it), `heldout` (they may not), or another
   * name for a set kept apart, such as `fresh` (written later by someone who saw neither the examples nor the
   * keywords).
   */
  split: z.string().regex(/^[a-z0-9-]+$/),
});
export type LabelledText = z.infer<typeof LabelledText>;

export interface CategoryScore {
  code: string;
  /** Texts labelled with it. */
  labelled: number;
  /** Texts it matched (any way: rule 1 routes on every matched category, not only the top one). */
  matched: number;
  /** Texts labelled with it that it matched. */
  right: number;
  /** right / matched; null when it matched nothing. */
  precision: number | null;
  /** right / labelled; null when nothing is labelled with it. */
  recall: number | null;
}

export interface CorpusEvaluation {
  texts: number;
  /** Texts whose top category (`analysis.ranked[0]`) is their label. */
  topRight: number;
  natureRight: number;
  /** Label nature → routed nature → count. */
  natureConfusion: Record<"discipline" | "service", Record<ClueNature, number>>;
  unclassified: number;
  /** Discipline-labelled texts routed to the service track only: the failure that must never happen. */
  disciplineAsServiceOnly: number;
  /** In directory order, then labels the directory does not know. */
  categories: CategoryScore[];
  /** Texts whose top category is wrong: id, label, top category (null: unclassified). */
  misses: Array<{ id: string; label: string; top: string | null }>;
}

/**
 * Routes each labelled text through the analysis the service uses (rules 1 and 2 on the compiled directory)
 * and counts what matters for routing: top category, nature, what was left unclassified.
 *
 * @example
 * const evaluation = evaluateCorpus({ texts: heldout, directory });
 * evaluation.topRight / evaluation.texts; // top-category accuracy
 */
export function evaluateCorpus(params: { texts: readonly LabelledText[]; directory: CompiledDirectory }): CorpusEvaluation {
  const { texts, directory } = params;
  const natures: ClueNature[] = ["discipline", "service", "both", "unclassified"];
  const row = () => Object.fromEntries(natures.map((n) => [n, 0])) as Record<ClueNature, number>;
  const evaluation: CorpusEvaluation = {
    texts: texts.length,
    topRight: 0,
    natureRight: 0,
    natureConfusion: { discipline: row(), service: row() },
    unclassified: 0,
    disciplineAsServiceOnly: 0,
    categories: [],
    misses: [],
  };
  const scores = new Map<string, { labelled: number; matched: number; right: number }>();
  const scoreOf = (code: string) => {
    let score = scores.get(code);
    if (!score) {
      score = { labelled: 0, matched: 0, right: 0 };
      scores.set(code, score);
    }
    return score;
  };
  for (const category of directory.source.categories) scoreOf(category.code);

  for (const text of texts) {
    const complaint = {
      id: "evaluation",
      channel: "hotline" as const,
      receivedAt: "2024-01-01T09:00:00+08:00",
      text: text.text,
      reporter: { kind: "anonymous" as const },
    };
    const analysis = analyzeComplaint({ complaint, directory });
    const top = analysis.ranked[0]?.category.code ?? null;
    if (top === text.category) evaluation.topRight += 1;
    else evaluation.misses.push({ id: text.id, label: text.category, top });
    if (analysis.nature === text.nature) evaluation.natureRight += 1;
    evaluation.natureConfusion[text.nature][analysis.nature] += 1;
    if (analysis.nature === "unclassified") evaluation.unclassified += 1;
    if (text.nature === "discipline" && analysis.nature === "service") evaluation.disciplineAsServiceOnly += 1;
    scoreOf(text.category).labelled += 1;
    for (const hit of analysis.categories) {
      const score = scoreOf(hit.category.code);
      score.matched += 1;
      if (hit.category.code === text.category) score.right += 1;
    }
  }

  evaluation.categories = [...scores].map(([code, { labelled, matched, right }]) => ({
    code,
    labelled,
    matched,
    right,
    precision: matched === 0 ? null : right / matched,
    recall: labelled === 0 ? null : right / labelled,
  }));
  return evaluation;
}
