/** One occurrence of a pattern in a text: `text.slice(start, end) === word` (both in normalized form). */
export interface PatternMatch<T> {
  word: string;
  value: T;
  start: number;
  end: number;
}

export interface PatternMatcher<T> {
  /** Calls `visit` for every occurrence, overlaps included, in order of end position; allocates nothing. */
  forEach(text: string, visit: (value: T, word: string, end: number) => void): void;
  /** Every occurrence of every pattern, overlaps included, ordered by end position. */
  findAll(text: string): PatternMatch<T>[];
  /**
   * Longest match first; a match overlapping a longer one already taken (or an equally long one starting
   * earlier) is not counted. Returned in text order.
   */
  findLongest(text: string): PatternMatch<T>[];
}

/**
 * An Aho–Corasick automaton over UTF-16 code units: one pass over the text whatever the number of
 * patterns, and no notion of word boundaries, which Chinese does not have. Build it once per directory.
 * Patterns are matched as given; normalize patterns and text the same way before.
 *
 * @example
 * const matcher = createPatternMatcher([{ word: "城关", value: "chengguan" }, { word: "城关镇", value: "chengguan" }]);
 * matcher.findLongest("城关镇政府").map((m) => m.word); // ["城关镇"]
 */
export function createPatternMatcher<T>(patterns: ReadonlyArray<{ word: string; value: T }>): PatternMatcher<T> {
  const children: Array<Map<number, number>> = [new Map()];
  const outputs: Array<Array<{ word: string; value: T }>> = [[]];
  for (const { word, value } of patterns) {
    if (word.length === 0) continue;
    let state = 0;
    for (let i = 0; i < word.length; i += 1) {
      const code = word.charCodeAt(i);
      let next = children[state]?.get(code);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        outputs.push([]);
        children[state]?.set(code, next);
      }
      state = next;
    }
    const own = outputs[state] ?? [];
    if (!own.some((o) => o.value === value)) own.push({ word, value });
  }

  // Breadth-first failure links; `dictionary` jumps straight to the next state on the failure chain that
  // ends a pattern, so reporting overlaps costs only the matches themselves.
  const fail = new Int32Array(children.length);
  const dictionary = new Int32Array(children.length).fill(-1);
  const queue: number[] = [...(children[0]?.values() ?? [])];
  for (let head = 0; head < queue.length; head += 1) {
    const state = queue[head] as number;
    for (const [code, child] of children[state] ?? []) {
      let back = fail[state] as number;
      while (back !== 0 && !children[back]?.has(code)) back = fail[back] as number;
      const target = children[back]?.get(code);
      fail[child] = target !== undefined && target !== child ? target : 0;
      const f = fail[child] as number;
      dictionary[child] = (outputs[f]?.length ?? 0) > 0 ? f : (dictionary[f] as number);
      queue.push(child);
    }
  }

  function forEach(text: string, visit: (value: T, word: string, end: number) => void): void {
    let state = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      let next = children[state]?.get(code);
      while (next === undefined && state !== 0) {
        state = fail[state] as number;
        next = children[state]?.get(code);
      }
      state = next ?? 0;
      for (let hit = state; hit > 0; hit = dictionary[hit] as number) {
        for (const { word, value } of outputs[hit] ?? []) visit(value, word, i + 1);
      }
    }
  }

  function findAll(text: string): PatternMatch<T>[] {
    const found: PatternMatch<T>[] = [];
    forEach(text, (value, word, end) => found.push({ word, value, start: end - word.length, end }));
    return found;
  }

  function findLongest(text: string): PatternMatch<T>[] {
    const all = findAll(text);
    if (all.length < 2) return all;
    all.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
    const taken = new Uint8Array(text.length);
    const kept: PatternMatch<T>[] = [];
    for (const match of all) {
      let free = true;
      for (let i = match.start; i < match.end && free; i += 1) free = taken[i] === 0;
      if (!free) continue;
      taken.fill(1, match.start, match.end);
      kept.push(match);
    }
    return kept.sort((a, b) => a.start - b.start);
  }

  return { forEach, findAll, findLongest };
}
