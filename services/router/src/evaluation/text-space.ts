import { normalizeText } from "../directory/index.js";

/** A text as unit-length TF-IDF weights of its character grams. */
export type TextVector = ReadonlyMap<string, number>;

export interface TextSpace {
  /** The text's unit vector; grams no document of the space contains are left out. */
  vector(text: string): TextVector;
}

/**
 * A character 1–3-gram TF-IDF space for comparing complaint texts with each other and with a category's examples,
 * when suggesting examples. It is this command's own and deliberately simple — the router's matcher
 * (`similarity-matcher.ts`) may weigh grams differently — so its figures are close to, not equal to, the
 * router's scores. IDF is counted over every document given (examples and candidate texts together): a directory
 * may have few examples or none, and the candidates' own grams must weigh something for near-duplicates of each
 * other to be seen.
 *
 * @example
 * const space = createTextSpace(["院长开公车回老家", "包工头欠薪"]);
 * cosine(space.vector("院长开公车回老家"), space.vector("院长开公车回老家办私事")); // ≈ 0.8
 */
export function createTextSpace(documents: readonly string[]): TextSpace {
  const frequency = new Map<string, number>();
  for (const document of documents)
    for (const gram of gramCounts(document).keys()) frequency.set(gram, (frequency.get(gram) ?? 0) + 1);
  // Smoothed IDF, as scikit-learn's TfidfVectorizer: a gram in every document still weighs 1, never 0.
  const idf = new Map([...frequency].map(([gram, df]) => [gram, Math.log((1 + documents.length) / (1 + df)) + 1]));
  return {
    vector(text) {
      const weights = new Map<string, number>();
      for (const [gram, count] of gramCounts(text)) {
        const weight = idf.get(gram);
        if (weight !== undefined) weights.set(gram, (1 + Math.log(count)) * weight);
      }
      return unit(weights);
    },
  };
}

/** Cosine similarity of two unit vectors, rounded to 3 decimals so that ranking and printed reason agree. */
export function cosine(a: TextVector, b: TextVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [gram, weight] of small) sum += weight * (large.get(gram) ?? 0);
  return Math.min(1, Math.round(sum * 1000) / 1000);
}

/** The unit vector of the sum of `vectors` (a category's examples taken together); empty for none. */
export function centroid(vectors: readonly TextVector[]): TextVector {
  const sum = new Map<string, number>();
  for (const vector of vectors) for (const [gram, weight] of vector) sum.set(gram, (sum.get(gram) ?? 0) + weight);
  return unit(sum);
}

function unit(vector: Map<string, number>): Map<string, number> {
  const norm = Math.sqrt([...vector.values()].reduce((sum, w) => sum + w * w, 0)) || 1;
  return new Map([...vector].map(([gram, weight]) => [gram, weight / norm]));
}

/** 1-, 2- and 3-grams within runs of letters and digits of the normalized text (punctuation and spaces break runs). */
function gramCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [run] of normalizeText(text).matchAll(/[\p{L}\p{N}]+/gu)) {
    const chars = [...run];
    for (let i = 0; i < chars.length; i += 1)
      for (let n = 1; n <= 3 && i + n <= chars.length; n += 1) {
        const gram = chars.slice(i, i + n).join("");
        counts.set(gram, (counts.get(gram) ?? 0) + 1);
      }
  }
  return counts;
}
