/** A category close enough to a text: its position in the directory, its nearest example and that score. */
export interface SimilarityHit {
  position: number;
  /** The example as the directory spells it. */
  example: string;
  /** Cosine similarity of the text and `example`, 0–1. */
  score: number;
}

export interface SimilarityMatcher {
  /** Categories whose nearest example scores at least `threshold` against `normalized`, in directory order. */
  match(normalized: string, threshold: number): SimilarityHit[];
}

/**
 * Rule 1's "close enough to one of the category's examples": character n-gram TF-IDF with cosine similarity,
 * built once per directory.
 *
 * Why character 1–3-grams: Chinese has no spaces, and a word segmenter would be a dictionary or a model to ship
 * and keep in step; overlapping character grams need neither, and they catch the same word in different
 * surroundings (「开着单位的车」 and 「单位的车开回家」 share 单位, 位的, 的车…). Why TF-IDF and cosine: the score
 * is deterministic, needs no training run, and explains itself, because the nearest example is a sentence an
 * operator wrote and can read, change or add to. IDF is counted over all examples, so grams every category uses
 * (的, 反映) weigh little. Grams no example contains are left out of the text's vector: they say nothing about
 * any category, and counting them would make a complaint that names its town score lower than the same
 * complaint without it.
 *
 * Speed: examples are sparse unit vectors in an inverted index (gram → examples carrying it), and their grams
 * a trie, so scoring a text costs one pass over it plus the postings of the grams it shares with the examples.
 *
 * @example
 * const matcher = createSimilarityMatcher([{ position: 0, examples: ["院长开公车回老家办私事"] }]);
 * matcher.match(normalizeText("院长开公车回老家办私事"), 0.3); // [{ position: 0, example: "…", score: 1 }]
 */
export function createSimilarityMatcher(
  categories: ReadonlyArray<{ position: number; examples: readonly string[]; normalized?: readonly string[] }>,
): SimilarityMatcher {
  const grams = createGramIndex();
  const examples = categories.flatMap(({ position, examples, normalized }) =>
    examples.map((example, i) => ({ position, example, counts: grams.count(normalized?.[i] ?? example) })),
  );
  const documentFrequency = new Float64Array(grams.size());
  for (const { counts } of examples)
    for (const term of counts.keys()) documentFrequency[term] = (documentFrequency[term] ?? 0) + 1;
  // Smoothed IDF, as scikit-learn's TfidfVectorizer: a gram in every example still weighs 1, never 0.
  const idf = documentFrequency.map((df) => Math.log((1 + examples.length) / (1 + df)) + 1);

  // Like scikit-learn's max_df: a gram in more than a tenth of the examples (的, 了, 人 once there are many)
  // tells categories apart hardly at all, and its long list of examples would be most of the scoring time.
  const common = Math.max(maxCommonExamples, maxCommonShare * examples.length);
  const kept = (term: number) => (documentFrequency[term] as number) <= common;
  const postingLists: Array<Array<{ example: number; weight: number }>> = Array.from(idf, () => []);
  examples.forEach(({ counts }, example) => {
    const weighted = [...counts]
      .filter(([term]) => kept(term))
      .map(([term, count]) => ({ term, weight: (1 + Math.log(count)) * (idf[term] as number) }));
    const norm = Math.sqrt(weighted.reduce((sum, { weight }) => sum + weight * weight, 0)) || 1;
    for (const { term, weight } of weighted) postingLists[term]?.push({ example, weight: weight / norm });
  });
  const postingExample = postingLists.map((list) => Int32Array.from(list, (p) => p.example));
  const postingWeight = postingLists.map((list) => Float64Array.from(list, (p) => p.weight));
  const exampleCategory = Int32Array.from(examples, (e) => e.position);
  const dot = new Float64Array(examples.length);
  const categoryCount = Math.max(0, ...categories.map((c) => c.position + 1));
  const best = new Int32Array(categoryCount);
  const queryCounts = new Int32Array(idf.length);
  const touched: number[] = [];

  function match(normalized: string, threshold: number): SimilarityHit[] {
    if (examples.length === 0) return [];
    touched.length = 0;
    grams.forEachKnown(normalized, (term) => {
      if (!kept(term)) return;
      if (queryCounts[term] === 0) touched.push(term);
      queryCounts[term] = (queryCounts[term] as number) + 1;
    });
    if (touched.length === 0) return [];
    dot.fill(0);
    let squares = 0;
    for (const term of touched) {
      const weight = (1 + Math.log(queryCounts[term] as number)) * (idf[term] as number);
      queryCounts[term] = 0;
      squares += weight * weight;
      const ids = postingExample[term] as Int32Array;
      const weights = postingWeight[term] as Float64Array;
      for (let i = 0; i < ids.length; i += 1) {
        const example = ids[i] as number;
        dot[example] = (dot[example] as number) + weight * (weights[i] as number);
      }
    }
    const norm = Math.sqrt(squares);
    best.fill(-1);
    for (let example = 0; example < examples.length; example += 1) {
      const position = exampleCategory[example] as number;
      const current = best[position] as number;
      if (current < 0 || (dot[example] as number) > (dot[current] as number)) best[position] = example;
    }
    const hits: SimilarityHit[] = [];
    for (let position = 0; position < categoryCount; position += 1) {
      const example = best[position] as number;
      if (example < 0) continue;
      // Rounded so that the reason, the ranking and a repeated run all see the same figure.
      const score = Math.min(1, Math.round(((dot[example] as number) / norm) * 1000) / 1000);
      if (score >= threshold && score > 0)
        hits.push({ position, example: (examples[example] as { example: string }).example, score });
    }
    return hits;
  }

  return { match };
}

/** Grams in more examples than this share of them (and than `maxCommonExamples`) are left out: see above. */
const maxCommonShare = 0.1;
const maxCommonExamples = 10;

/**
 * The 1-, 2- and 3-grams of the examples as a trie over UTF-16 code units, each gram a term number. Grams lie
 * within runs of letters and digits (punctuation and spaces break runs). Reading a text walks the trie, so
 * finding its known grams costs a few small-integer look-ups per character and builds no substrings.
 */
function createGramIndex() {
  const first = new Int32Array(65_536).fill(-1);
  const children: Array<Map<number, number> | undefined> = [];
  let size = 0;
  const child = (term: number, code: number, create: boolean): number => {
    let next = children[term]?.get(code);
    if (next === undefined && create) {
      next = size++;
      const map = children[term] ?? new Map<number, number>();
      children[term] = map;
      map.set(code, next);
    }
    return next ?? -1;
  };

  /** Calls `visit` with the term of every gram of `text` the index holds; with `create`, adds the others. */
  function walk(text: string, create: boolean, visit: (term: number) => void): void {
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (!isWordCode(code)) continue;
      let term = first[code] as number;
      if (term < 0 && create) {
        term = size++;
        first[code] = term;
      }
      for (let n = 1; term >= 0; n += 1) {
        visit(term);
        const next = text.charCodeAt(i + n);
        if (n === 3 || !isWordCode(next)) break;
        term = child(term, next, create);
      }
    }
  }

  return {
    size: () => size,
    /** Adds the grams of an example and counts them by term. */
    count(text: string): Map<number, number> {
      const counts = new Map<number, number>();
      walk(text, true, (term) => counts.set(term, (counts.get(term) ?? 0) + 1));
      return counts;
    },
    forEachKnown: (text: string, visit: (term: number) => void) => walk(text, false, visit),
  };
}

/** Letters, digits and CJK characters; not spaces, ASCII or CJK punctuation, nor symbols and full-width forms. */
function isWordCode(code: number): boolean {
  if (Number.isNaN(code)) return false;
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
  if (code <= 0xbf) return false;
  if (code >= 0x2000 && code <= 0x2bff) return false;
  if (code >= 0x3000 && code <= 0x303f) return false;
  return !(code >= 0xfe30 && code <= 0xfe4f) && !(code >= 0xff00 && code <= 0xff65);
}
