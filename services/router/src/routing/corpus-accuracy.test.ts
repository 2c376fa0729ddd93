import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../directory/index.js";
import { parseLabelled } from "../evaluation/evaluate-cli.js";
import { evaluateCorpus } from "../evaluation/evaluate-corpus.js";

/**
 * The labelled corpus of issue 19. The shipped directory's examples come from its `train` part and from
 * sentences written for the directory; none from `heldout`, nor from `fresh` (written later by someone who saw
 * neither the examples nor the keywords).
 */
const corpusPath = fileURLToPath(new URL("../../../../test/data/complaints-labelled.jsonl", import.meta.url));

async function evaluationOf(split: "heldout" | "fresh", size: number) {
  const directory = compileDirectory(await loadDirectory(defaultDirectoryPath));
  const { texts, bad } = parseLabelled(readFileSync(corpusPath, "utf8"));
  expect(bad).toEqual([]);
  const part = texts.filter((t) => t.split === split);
  expect(part.length).toBeGreaterThanOrEqual(size);
  const evaluation = evaluateCorpus({ texts: part, directory });
  const share = (count: number) => Math.round((count / evaluation.texts) * 1000) / 1000;
  return {
    topCategory: share(evaluation.topRight),
    nature: share(evaluation.natureRight),
    unclassified: share(evaluation.unclassified),
    disciplineAsServiceOnly: evaluation.disciplineAsServiceOnly,
  };
}

describe("routing accuracy of the shipped directory on the labelled corpus (issue 19)", () => {
  // Compiles the shipped directory and routes the part: Seconds alone, but a CI machine under load has stretched it past vitest's 5 s default.
  it("meets the targets on the held-out part: top ≥ 85 %, nature ≥ 95 %, unclassified ≤ 10 %, no discipline as service only", async () => {
    // Measured when the targets were first met: 88.6 %, 96.2 %, 0.5 %, 0 (185 texts).
    const figures = await evaluationOf("heldout", 185);
    expect(figures.topCategory, JSON.stringify(figures)).toBeGreaterThanOrEqual(0.85);
    expect(figures.nature, JSON.stringify(figures)).toBeGreaterThanOrEqual(0.95);
    expect(figures.unclassified, JSON.stringify(figures)).toBeLessThanOrEqual(0.1);
    expect(figures.disciplineAsServiceOnly, JSON.stringify(figures)).toBe(0);
  }, 60_000);

  // Compiles the shipped directory and routes the part: Seconds alone, but a CI machine under load has stretched it past vitest's 5 s default.
  it("keeps the fresh part at least as good as measured (85.1 % top, 93.2 % nature, 0.7 % unclassified, 2)", async () => {
    // A ratchet below the targets. The fresh texts were written without sight of the examples or keywords, and no
    // example comes from them; the threshold (0.12) was picked with their figures in view, which barely move
    // between 0.10 and 0.12. They show how far the examples fit the held-out part. Raise the floors as examples
    // improve; do not draw examples from these texts.
    const figures = await evaluationOf("fresh", 148);
    expect(figures.topCategory, JSON.stringify(figures)).toBeGreaterThanOrEqual(0.85);
    expect(figures.nature, JSON.stringify(figures)).toBeGreaterThanOrEqual(0.93);
    expect(figures.unclassified, JSON.stringify(figures)).toBeLessThanOrEqual(0.1);
    expect(figures.disciplineAsServiceOnly, JSON.stringify(figures)).toBeLessThanOrEqual(2);
  }, 60_000);
});
