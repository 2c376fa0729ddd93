import { defaultDirectoryPath, loadDirectory } from "@clueline/directory";
import { describe, expect, it } from "vitest";
import { CategoryHints, categoryCodesOf, unknownCategoryHints } from "./category-hints.js";

const codes = categoryCodesOf(await loadDirectory(defaultDirectoryPath));

describe("categoryCodesOf", () => {
  it("keeps every category code of the directory, and nothing else", async () => {
    const directory = await loadDirectory(defaultDirectoryPath);
    expect([...codes]).toEqual(directory.categories.map((c) => c.code));
    expect(codes.has("bribe-demand")).toBe(true);
    expect(codes.has("dept-market")).toBe(false); // a department id is not a category
  });
});

describe("unknownCategoryHints", () => {
  it("passes codes of the taxonomy", () => {
    expect(unknownCategoryHints(["bribe-demand", "approval-delay", "official-car-misuse"], codes)).toEqual([]);
  });

  it("passes no hints and an empty list", () => {
    expect(unknownCategoryHints(undefined, codes)).toEqual([]);
    expect(unknownCategoryHints([], codes)).toEqual([]);
  });

  it("names each unknown code by its index, the way schema problems are named", () => {
    expect(unknownCategoryHints(["bribe-demand", "kickbacks", "gifts", "no-such-code"], codes)).toEqual([
      { path: "categoryHints.1", reason: `unknown category "kickbacks": not a code of the directory's taxonomy` },
      { path: "categoryHints.3", reason: `unknown category "no-such-code": not a code of the directory's taxonomy` },
    ]);
  });

  it("judges against the codes it is given: a code another directory lacks is refused there", () => {
    expect(unknownCategoryHints(["bribe-demand"], new Set(["gifts"]))).toHaveLength(1);
  });
});

describe("CategoryHints", () => {
  it("checks the form of each code; membership is the acceptor's", () => {
    expect(CategoryHints.safeParse(["no-such-code"]).success).toBe(true);
    const bad = CategoryHints.safeParse(["bribe-demand", "Bribe Demand"]);
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path)).toEqual([[1]]);
    expect(CategoryHints.safeParse(Array(21).fill("gifts")).success).toBe(false);
  });
});
