import { readFile } from "node:fs/promises";
import type { Writable } from "node:stream";
import { type CompiledDirectory, compileDirectory } from "../directory/index.js";
import { type CorpusEvaluation, evaluateCorpus, LabelledText } from "./evaluate-corpus.js";
import { parseJsonLines } from "./parse-json-lines.js";

/**
 * `route --evaluate <file.jsonl> [--split heldout|train] [--threshold n]...`: reads a labelled corpus, evaluates
 * it against the directory (once per threshold given, else with the directory's own) and prints the figures.
 * A bad line is reported on stderr and skipped.
 *
 * @returns the exit status: 0 evaluated, 1 some lines were bad, 2 the file cannot be read.
 * @example
 * const code = await runEvaluation({ path: "test/data/complaints-labelled.jsonl", split: "heldout", directory, stdout, stderr });
 */
export async function runEvaluation(params: {
  path: string;
  split: string | undefined;
  /** Evaluate with each of these `policy.similarityThreshold` values; none: the directory's. */
  thresholds?: readonly number[];
  directory: CompiledDirectory;
  stdout: Writable;
  stderr: Writable;
}): Promise<number> {
  const { path, split, directory, stdout, stderr } = params;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    stderr.write(`cannot read ${path}: ${(error as Error).message}\n`);
    return 2;
  }
  const { texts, bad } = parseLabelled(text);
  for (const problem of bad) stderr.write(`${path}:${problem}\n`);
  const chosen = split === undefined ? texts : texts.filter((t) => t.split === split);
  const title = `${path}${split ? ` (${split})` : ""}`;
  const thresholds = params.thresholds?.length ? params.thresholds : [directory.policy.similarityThreshold];
  for (const [index, similarityThreshold] of thresholds.entries()) {
    const tried =
      similarityThreshold === directory.policy.similarityThreshold
        ? directory
        : compileDirectory({ ...directory.source, policy: { ...directory.source.policy, similarityThreshold } });
    const evaluation = evaluateCorpus({ texts: chosen, directory: tried });
    stdout.write(
      `${index > 0 ? "\n" : ""}${formatEvaluation({ evaluation, title: `${title}, similarity threshold ${similarityThreshold}` })}`,
    );
  }
  return bad.length > 0 ? 1 : 0;
}

/** Parses a JSONL corpus; blank lines are skipped, a bad line is returned as "N: reason". */
export function parseLabelled(text: string): { texts: LabelledText[]; bad: string[] } {
  const { rows, bad } = parseJsonLines(text, LabelledText);
  return { texts: rows.map((row) => row.value), bad };
}

const percent = (part: number, whole: number): string => (whole === 0 ? "—" : `${((100 * part) / whole).toFixed(1)} %`);
const ratio = (value: number | null): string => (value === null ? "—" : value.toFixed(2));

/** The evaluation for people: the headline figures, the nature confusion, then each category. */
export function formatEvaluation(params: { evaluation: CorpusEvaluation; title: string }): string {
  const e = params.evaluation;
  const lines = [
    `evaluation of ${params.title}: ${e.texts} texts`,
    `top category right     ${e.topRight}/${e.texts}  ${percent(e.topRight, e.texts)}`,
    `nature right           ${e.natureRight}/${e.texts}  ${percent(e.natureRight, e.texts)}`,
    `unclassified           ${e.unclassified}/${e.texts}  ${percent(e.unclassified, e.texts)}`,
    `discipline routed as service only: ${e.disciplineAsServiceOnly}`,
    "",
    "nature confusion (label → routed)  discipline  service  both  unclassified",
  ];
  for (const label of ["discipline", "service"] as const) {
    const row = e.natureConfusion[label];
    lines.push(
      `  ${label.padEnd(33)}${String(row.discipline).padStart(10)}${String(row.service).padStart(9)}${String(row.both).padStart(6)}${String(row.unclassified).padStart(14)}`,
    );
  }
  lines.push("", "category (matched by any rule-1 way)   labelled  matched  right  precision  recall");
  for (const c of e.categories) {
    if (c.labelled === 0 && c.matched === 0) continue;
    lines.push(
      `  ${c.code.padEnd(36)}${String(c.labelled).padStart(9)}${String(c.matched).padStart(9)}${String(c.right).padStart(7)}${ratio(c.precision).padStart(11)}${ratio(c.recall).padStart(8)}`,
    );
  }
  if (e.misses.length > 0) {
    lines.push("", "top category wrong (id: label → top):");
    for (const miss of e.misses) lines.push(`  ${miss.id}: ${miss.label} → ${miss.top ?? "unclassified"}`);
  }
  return `${lines.join("\n")}\n`;
}
