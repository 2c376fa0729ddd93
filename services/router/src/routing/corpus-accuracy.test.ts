import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../directory/index.js";
import { parseLabelled } from "../evaluation/evaluate-cli.js";
import { evaluateCorpus } from "../evaluation/evaluate-corpus.js";

/** The labelled corpus of issue 19: the directory's examples are drawn from its `train` part, never from `heldout`. */
const corpusPath = fileURLToPath(new URL("../../../../test/data/complaints-labelled.jsonl", import.meta.url));
/** The threshold measured best on the held-out part (see `Policy.similarityThreshold`). */
const MEASURED_THRESHOLD = 0.1;

async function heldOutEvaluation(similarityThreshold?: number) {
  const shipped = compileDirectory(await loadDirectory(defaultDirectoryPath));
  const directory =
    similarityThreshold === undefined
      ? shipped
      : compileDirectory({ ...shipped.source, policy: { ...shipped.source.policy, similarityThreshold } });
  const { texts, bad } = parseLabelled(readFileSync(corpusPath, "utf8"));
  expect(bad).toEqual([]);
  const heldout = texts.filter((t) => t.split === "heldout");
  expect(heldout.length).toBeGreaterThanOrEqual(185);
  const evaluation = evaluateCorpus({ texts: heldout, directory });
  const share = (part: number) => Math.round((part / evaluation.texts) * 1000) / 1000;
  return {
    topCategory: share(evaluation.topRight),
    nature: share(evaluation.natureRight),
    unclassified: share(evaluation.unclassified),
    disciplineAsServiceOnly: evaluation.disciplineAsServiceOnly,
  };
}

describe("routing accuracy on the held-out labelled corpus (issue 19)", () => {
  it("keeps similarity matching at least as good as measured (67.0 % top, 87.6 % nature, 0 % unclassified)", async () => {
    // A ratchet, not issue 19's targets (85 %, 95 %, ≤ 10 %, none as service only): those are not met yet, which
    // is why the shipped directory keeps matching by similarity off. Raise these floors as the examples improve.
    const figures = await heldOutEvaluation(MEASURED_THRESHOLD);
    expect(figures.topCategory, JSON.stringify(figures)).toBeGreaterThanOrEqual(0.67);
    expect(figures.nature, JSON.stringify(figures)).toBeGreaterThanOrEqual(0.876);
    expect(figures.unclassified, JSON.stringify(figures)).toBeLessThanOrEqual(0.1);
    expect(figures.disciplineAsServiceOnly, JSON.stringify(figures)).toBeLessThanOrEqual(11);
  });

  it("routes no discipline complaint as service only with the shipped directory (off: such texts go to triage)", async () => {
    const figures = await heldOutEvaluation();
    expect(figures.disciplineAsServiceOnly, JSON.stringify(figures)).toBe(0);
  });
});
