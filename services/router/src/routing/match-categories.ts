import type { ClueNature, Complaint, DecisionReason } from "@clueline/contracts";
import type { CategoryHit, CompiledDirectory } from "../directory/index.js";

/** Rule 1 applied: the categories matched, the same ranked, the nature, and why. */
export interface CategoryMatches {
  /** Every matched category, in directory order (the decision's `categories`). */
  categories: CategoryHit[];
  /**
   * The same, most telling first: chosen by an operator, then found by keyword (nearer examples first), then by
   * similarity alone, by score. `ranked[0]` is the complaint's top category.
   */
  ranked: CategoryHit[];
  nature: ClueNature;
  reasons: DecisionReason[];
}

/**
 * Rule 1: a category matches when an operator chose it (`categoryHints`, checked against the taxonomy), when
 * one of its keywords occurs in the text, or when the text is close enough to one of its examples; closeness
 * counts only where the first two named no category. Each
 * matched category gets one reason per way it matched; an unknown hint is dropped with a reason (the taxonomy
 * may have changed since the edge checked it).
 *
 * @example
 * matchCategories({ complaint, directory }).ranked[0]?.category.code; // "official-car-misuse"
 */
export function matchCategories(params: { complaint: Complaint; directory: CompiledDirectory }): CategoryMatches {
  const { complaint, directory } = params;
  const reasons: DecisionReason[] = [];
  const byPosition = new Map<number, CategoryHit>();
  const hitAt = (code: string): CategoryHit | undefined => {
    const known = directory.categories.get(code);
    if (!known) return undefined;
    const hit = byPosition.get(known.position) ?? { category: known.category, keywords: [] };
    byPosition.set(known.position, hit);
    return hit;
  };

  for (const code of complaint.categoryHints ? new Set(complaint.categoryHints) : []) {
    const hit = hitAt(code);
    if (hit) hit.hinted = true;
    else reasons.push({ rule: 1, detail: `operator category "${code}" is not in the taxonomy; ignored`, matched: [code] });
  }
  for (const { category, keywords } of directory.findCategories(complaint.text)) {
    const hit = hitAt(category.code);
    if (hit) hit.keywords = keywords;
  }
  // Examples stand in for words nobody listed: when the operator or a keyword has named a category, similarity
  // adds nothing. Adding the nearest category to every keyword match gave short keyword texts a second, guessed
  // category (「市监局窗口审批拖着不批」 also became 指定中介, and so a discipline clue); measured on the labelled
  // corpus's held-out and fresh parts, keeping it changed no top category.
  const named = byPosition.size > 0;
  for (const { category, score, example, exampleScore } of named ? [] : directory.findSimilar(complaint.text)) {
    const hit = hitAt(category.code);
    if (hit) hit.similar = { score, example, exampleScore };
  }

  // Most complaints match one category or none: sort only when there is something to order.
  const categories =
    byPosition.size < 2 ? [...byPosition.values()] : [...byPosition].sort(([a], [b]) => a - b).map(([, hit]) => hit);
  for (const hit of categories) {
    const { category } = hit;
    const name = `category ${category.name} (${category.code}, ${category.kind})`;
    if (hit.hinted) reasons.push({ rule: 1, detail: `${name}: the operator chose it`, matched: [category.code] });
    if (hit.keywords.length > 0) reasons.push({ rule: 1, detail: name, matched: hit.keywords });
    if (hit.similar) {
      const { score, example, exampleScore } = hit.similar;
      reasons.push({
        rule: 1,
        detail: `${name}: close to its examples (similarity ${score.toFixed(3)}), nearest example 「${example}」 (${exampleScore.toFixed(3)})`,
        matched: [example],
      });
    }
  }
  const ranked = categories.length < 2 ? categories.slice() : [...categories].sort((a, b) => rankOf(b) - rankOf(a));

  const conduct = categories.some((hit) => hit.category.kind === "conduct");
  const service = categories.some((hit) => hit.category.kind === "service");
  const nature: ClueNature = conduct && service ? "both" : conduct ? "discipline" : service ? "service" : "unclassified";
  reasons.push({
    rule: 1,
    detail:
      categories.length === 0
        ? "no category chosen, no keyword matched, no example close enough: nature unclassified"
        : `nature ${nature}`,
  });
  return { categories, ranked, nature, reasons };
}

/** The words that made a category match, for the reasons of later rules: keywords, else the example, else the code. */
export function evidenceOf(hit: CategoryHit): string[] {
  if (hit.keywords.length > 0) return hit.keywords;
  return hit.similar ? [hit.similar.example] : [hit.category.code];
}

/** Operator first, then keywords, then the similarity score (ties: more keywords); a stable sort keeps directory order. */
function rankOf(hit: CategoryHit): number {
  return (hit.hinted ? 4 : 0) + (hit.keywords.length > 0 ? 2 : 0) + (hit.similar?.score ?? 0) + hit.keywords.length / 1e6;
}
