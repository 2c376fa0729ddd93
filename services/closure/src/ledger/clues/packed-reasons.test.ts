import { describe, expect, it } from "vitest";
import { packReasons, unpackReasons } from "./packed-reasons.js";

// Reasons as the router gives them for its bench's complaints (default directory), and some it could give.
const routed = [
  { rule: 1, detail: "category 违规收送礼品礼金 (gifts, conduct)", matched: ["送礼", "违规收送礼品礼金", "礼品礼金", "礼金"] },
  { rule: 1, detail: "nature discipline" },
  { rule: 2, detail: "subjects found in the text: dongguan (东关街道)", matched: ["东关街道"] },
  { rule: 4, detail: "one unit proposed: town-dongguan leads", matched: ["town-dongguan"] },
  { rule: 6, detail: "dc is informed (central registration 归口管理)" },
  { rule: "classification", detail: "the district commission classified the clue (分办): routed again" },
];

describe("packReasons", () => {
  it("gives the reasons back as the router sent them, keys in the same order", () => {
    const back = unpackReasons(packReasons(routed));
    expect(back).toEqual(routed);
    expect(back.map((reason) => Object.keys(reason))).toEqual(routed.map((reason) => Object.keys(reason)));
  });

  it("writes tuples and marks the matched terms the prose repeats", () => {
    expect(packReasons([routed[3], routed[1]])).toBe(
      '[[4,"one unit proposed: %0 leads",["town-dongguan"]],[1,"nature discipline"]]',
    );
    // The longest term at each place: 违规收送礼品礼金 rather than 礼品礼金 inside it.
    expect(JSON.parse(packReasons([routed[0]]))[0][1]).toBe("category %1 (gifts, conduct)");
  });

  it("keeps the prose's own percent signs and marks, and terms no longer than a mark", () => {
    const reasons = [
      { rule: 3, detail: "50% of %0 and %% are text; a: a", matched: ["a", "%0"] },
      { rule: 9, detail: "", matched: [] },
      { rule: 5, detail: "x".repeat(3), matched: Array.from({ length: 12 }, (_, n) => `term-${n}`) },
      { rule: 5, detail: "term-11 and term-1", matched: Array.from({ length: 12 }, (_, n) => `term-${n}`) },
    ];
    expect(unpackReasons(packReasons(reasons))).toEqual(reasons);
  });

  it("keeps a reason of another shape as its object", () => {
    const odd = [{ rule: 4, detail: "x", note: "extra key" }, { detail: "no rule" }, { rule: 4, detail: "x", matched: [1] }];
    expect(JSON.parse(packReasons(odd))).toEqual(odd);
    expect(unpackReasons(packReasons(odd))).toEqual(odd);
  });

  it("is smaller than the objects' JSON", () => {
    expect(packReasons(routed).length).toBeLessThan(JSON.stringify(routed).length * 0.75);
  });
});
