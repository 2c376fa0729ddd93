import { describe, expect, it } from "vitest";
import { centroid, cosine, createTextSpace } from "./text-space.js";

const car = "卫生院院长周末开着单位的车回老家办私事";
const wages = "在工地干了半年活，包工头到现在一分钱没给";

describe("createTextSpace", () => {
  const space = createTextSpace([car, wages]);

  it("scores a text 1 with itself (full-width forms folded), near 0 with an unrelated one", () => {
    expect(cosine(space.vector(car), space.vector(`${car}！`))).toBe(1);
    expect(cosine(space.vector("ＡＢＣ包工头"), space.vector("abc包工头"))).toBe(1);
    expect(cosine(space.vector(car), space.vector(wages))).toBeLessThan(0.05);
  });

  it("scores a rewording between, and a centroid near each of its members", () => {
    const rewording = cosine(space.vector(car), space.vector("院长周末开单位的车回老家"));
    expect(rewording).toBeGreaterThan(0.5);
    expect(rewording).toBeLessThan(1);
    const both = centroid([space.vector(car), space.vector(wages)]);
    expect(cosine(both, space.vector(car))).toBeCloseTo(Math.SQRT1_2, 2);
    expect(centroid([]).size).toBe(0);
  });

  it("leaves out grams no document holds", () => {
    expect(space.vector("路灯坏了").size).toBe(space.vector("了").size);
  });
});
