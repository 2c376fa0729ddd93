import { normalizeText } from "@clueline/directory";
import { describe, expect, it } from "vitest";
import { createSimilarityMatcher } from "./similarity-matcher.js";

const car = ["卫生院院长周末开着单位的车回老家办私事", "村支书天天开着镇里的车接送孩子上下学"];
const wages = ["在工地干了半年活，包工头到现在一分钱没给", "老板跑路了，我们十几个工人年底的钱都拿不到"];
const matcher = createSimilarityMatcher([
  { position: 0, examples: car },
  { position: 1, examples: [] },
  { position: 2, examples: wages },
]);

describe("createSimilarityMatcher", () => {
  it("names an example equal to the text with score 1, and scores the category by all its examples", () => {
    const [hit, ...others] = matcher.match(normalizeText(car[1] as string), 0.3);
    expect(others).toEqual([]);
    expect(hit).toMatchObject({ position: 0, example: car[1], exampleScore: 1 });
    // The centroid of two examples: below 1 for either alone, far above the threshold.
    expect(hit?.score).toBeGreaterThan(0.6);
    expect(hit?.score).toBeLessThan(1);
    const single = createSimilarityMatcher([{ position: 0, examples: car.slice(0, 1) }]);
    expect(single.match(normalizeText(car[0] as string), 0.3)).toEqual([
      { position: 0, score: 1, example: car[0], exampleScore: 1 },
    ]);
  });

  it("finds the category of a rewording and names its nearest example", () => {
    const [hit, ...others] = matcher.match(normalizeText("院长周末开单位的车回老家"), 0.3);
    expect(others).toEqual([]);
    expect(hit).toMatchObject({ position: 0, example: car[0] });
    expect(hit?.score).toBeGreaterThan(0.5);
    expect(hit?.score).toBeLessThan(1);
  });

  it("leaves an unrelated text below the threshold", () => {
    // Only grams some example contains count, so common characters (的, 了) give an unrelated text a low score.
    const unrelated = normalizeText("小区门口的路灯坏了很久没人修");
    expect(matcher.match(unrelated, 0.3)).toEqual([]);
    expect(Math.max(...matcher.match(unrelated, 0).map((h) => h.score))).toBeLessThan(0.3);
    expect(matcher.match(normalizeText("！？。，"), 0)).toEqual([]);
  });

  it("gives only the nearest category, and none when it is below the threshold", () => {
    const text = normalizeText(`${car[0]}；${wages[0]}，老板跑路了`);
    const hits = matcher.match(text, 0.1);
    expect(hits.map((h) => [h.position, h.example])).toEqual([[2, wages[0]]]);
    expect(matcher.match(text, (hits[0]?.score ?? 0) + 0.001)).toEqual([]);
  });

  it("is deterministic: the same text gives the same scores, whatever was scored before", () => {
    const text = normalizeText("包工头欠了工人半年的钱");
    const first = matcher.match(text, 0);
    matcher.match(normalizeText(car[0] as string), 0);
    const rebuilt = createSimilarityMatcher([
      { position: 0, examples: car },
      { position: 1, examples: [] },
      { position: 2, examples: wages },
    ]);
    expect(matcher.match(text, 0)).toEqual(first);
    expect(rebuilt.match(text, 0)).toEqual(first);
    expect(first.map((h) => h.position)).toEqual([2]);
  });

  it("matches nothing when no category has examples", () => {
    expect(createSimilarityMatcher([{ position: 0, examples: [] }]).match("院长开车回老家", 0)).toEqual([]);
  });

  it("adds the nearest conduct category when it scores almost as high as a nearest service one", () => {
    const debt = ["新校长说前任欠我们的印刷费他不管", "新来的镇长说上一任签的合同他不认"];
    const bills = ["学校欠我们印刷厂的印刷费三年没给", "镇上欠我们的工程款拖了两年没付"];
    const both = createSimilarityMatcher([
      { position: 0, examples: debt, kind: "conduct" },
      { position: 1, examples: bills, kind: "service" },
    ]);
    // Nearer the service category, the conduct one close behind: both match, the service one first.
    const close = both.match(normalizeText("学校欠我们印刷厂的印刷费，新校长说不管"), 0.1);
    expect(close.map((h) => h.position)).toEqual([1, 0]);
    expect(close[1]?.score).toBeGreaterThanOrEqual(0.95 * (close[0]?.score ?? 1));
    // Far behind: only the service category.
    const far = both.match(normalizeText("学校欠我们印刷厂的印刷费三年没给"), 0.1);
    expect(far.map((h) => h.position)).toEqual([1]);
    // The other way round (nearest conduct) never adds a service category; unknown kind counts as service.
    expect(both.match(normalizeText("新来的镇长说上一任签的合同他不认"), 0.1).map((h) => h.position)).toEqual([0]);
    const kindless = createSimilarityMatcher([
      { position: 0, examples: debt },
      { position: 1, examples: bills, kind: "service" },
    ]);
    expect(kindless.match(normalizeText("学校欠我们印刷厂的印刷费，新校长说不管"), 0.1).map((h) => h.position)).toEqual([1]);
  });
});
