import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPatternMatcher } from "./pattern-matcher.js";

const words = (matches: Array<{ word: string }>) => matches.map((m) => m.word);

describe("createPatternMatcher", () => {
  it("finds every occurrence, overlaps included", () => {
    const matcher = createPatternMatcher([
      { word: "城关", value: "chengguan" },
      { word: "城关镇", value: "chengguan" },
      { word: "关镇", value: "other" },
    ]);
    expect(matcher.findAll("城关镇城关").map((m) => [m.word, m.start, m.end])).toEqual([
      ["城关", 0, 2],
      ["城关镇", 0, 3],
      ["关镇", 1, 3],
      ["城关", 3, 5],
    ]);
  });

  it("counts a shorter match inside a longer one only once, as the longer", () => {
    const matcher = createPatternMatcher([
      { word: "西关", value: "xiguan" },
      { word: "西关街道", value: "xiguan" },
      { word: "住建", value: "housing" },
      { word: "住建局", value: "housing" },
    ]);
    expect(words(matcher.findLongest("西关街道和住建局都不管"))).toEqual(["西关街道", "住建局"]);
  });

  it("drops a match that partly overlaps a longer one, and keeps the earlier of two equally long", () => {
    const matcher = createPatternMatcher([
      { word: "甲乙丙", value: 1 },
      { word: "丙丁", value: 2 },
      { word: "戊己", value: 3 },
      { word: "己庚", value: 4 },
    ]);
    expect(words(matcher.findLongest("甲乙丙丁戊己庚"))).toEqual(["甲乙丙", "戊己"]);
  });

  it("follows failure links across partial matches", () => {
    const matcher = createPatternMatcher([
      { word: "市场监督管理局", value: "market" },
      { word: "监督", value: "oversight" },
    ]);
    expect(words(matcher.findAll("市场监督检查"))).toEqual(["监督"]);
  });

  it("handles characters outside the BMP as ordinary text", () => {
    const matcher = createPatternMatcher([{ word: "𠀀镇", value: "rare" }]);
    expect(words(matcher.findLongest("来自𠀀镇的投诉"))).toEqual(["𠀀镇"]);
  });

  it("agrees with a naive search on arbitrary patterns and texts", () => {
    const alphabet = fc.constantFrom("城", "关", "镇", "街", "道", "局", "市");
    const word = fc.string({ unit: alphabet, minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { minLength: 1, maxLength: 12 }),
        fc.string({ unit: alphabet, maxLength: 30 }),
        (patterns, text) => {
          const matcher = createPatternMatcher(patterns.map((w) => ({ word: w, value: w })));
          const naive: string[] = [];
          for (let start = 0; start < text.length; start += 1) {
            for (const w of patterns) if (text.startsWith(w, start)) naive.push(`${start}:${w}`);
          }
          const found = matcher.findAll(text).map((m) => `${m.start}:${m.word}`);
          expect(found.sort()).toEqual(naive.sort());

          const longest = matcher.findLongest(text);
          for (let i = 1; i < longest.length; i += 1) expect(longest[i]?.start).toBeGreaterThanOrEqual(longest[i - 1]?.end ?? 0);
          // Nothing is dropped without cause: every occurrence is kept or overlaps one that was.
          for (const m of matcher.findAll(text)) {
            const covered = longest.some((k) => k.start < m.end && m.start < k.end);
            expect(covered).toBe(true);
          }
        },
      ),
    );
  });
});
