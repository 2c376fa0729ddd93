import { readFile } from "node:fs/promises";
import type { Writable } from "node:stream";
import YAML from "yaml";
import type { CompiledDirectory } from "../directory/index.js";
import { parseJsonLines } from "./parse-json-lines.js";
import { type CategorySuggestions, type Suggestion, suggestExamples, TriagedText } from "./suggest-examples.js";

/**
 * `route --suggest-examples <file.jsonl> [--per-category n]`: reads triaged texts (the closure's classification
 * export, or a labelled corpus) and prints, per category, the texts that would add most to its `examples`, as YAML
 * list items with a comment saying why. Bad lines and unknown categories are reported on stderr and skipped.
 *
 * @returns the exit status: 0 done, 1 some lines were bad, 2 the file cannot be read.
 * @example
 * const code = await runSuggestion({ path: "classified.jsonl", perCategory: 5, directory, stdout, stderr });
 */
export async function runSuggestion(params: {
  path: string;
  perCategory: number;
  directory: CompiledDirectory;
  stdout: Writable;
  stderr: Writable;
}): Promise<number> {
  const { path, perCategory, directory, stdout, stderr } = params;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    stderr.write(`cannot read ${path}: ${(error as Error).message}\n`);
    return 2;
  }
  const { rows, bad } = parseJsonLines(text, TriagedText);
  for (const problem of bad) stderr.write(`${path}:${problem}\n`);
  const { categories, unknown } = suggestExamples({ texts: rows, directory, perCategory });
  for (const { code, lines } of unknown) {
    const shown = `${lines.slice(0, 5).join(", ")}${lines.length > 5 ? ", …" : ""}`;
    stderr.write(`${path}: category "${code}" is not in the directory; skipped ${count(lines.length, "line")} (${shown})\n`);
  }
  stdout.write(formatSuggestions(categories));
  return bad.length > 0 ? 1 : 0;
}

/** Indented as `examples:` items are in the shipped directory, so the lines paste under a category as they are. */
const itemIndent = " ".repeat(6);

/** The suggestions for people: per category a header comment, then each text as a YAML item under its reason. */
export function formatSuggestions(categories: readonly CategorySuggestions[]): string {
  return categories
    .map((c) => {
      const leftOut = [
        c.leftOut.nearDuplicates > 0 ? `${count(c.leftOut.nearDuplicates, "near-duplicate")} left out` : "",
        c.leftOut.tooLong > 0 ? `${count(c.leftOut.tooLong, "text")} too long for an example` : "",
        c.full ? "the category is near its example limit" : "",
      ].filter(Boolean);
      const header = `# ${c.code} (${c.name}): ${count(c.texts, "text")}, ${c.missed} not routed here first; ${count(c.examples, "example")} now; ${c.suggestions.length} suggested${leftOut.map((l) => `, ${l}`).join("")}`;
      const items = c.suggestions.map(
        (s) => `${itemIndent}# ${reasonOf(c.code, s)}\n${itemIndent}- ${YAML.stringify(s.text, { lineWidth: 0 }).trimEnd()}`,
      );
      return [header, ...items].join("\n");
    })
    .map((block) => `${block}\n`)
    .join("\n");
}

/** One line: which text, its gain, how it is routed now, and how near the category's examples it lies. */
export function reasonOf(code: string, s: Suggestion): string {
  const how = (r: NonNullable<Suggestion["routed"]>) =>
    r.keywords.length > 0 ? `keyword ${r.keywords.map((k) => `「${k}」`).join("")}` : (r.score ?? 0).toFixed(2);
  const routed = !s.routed
    ? "now unclassified"
    : s.routed.code === code
      ? `routed here (${how(s.routed)})`
      : `now routed as ${s.routed.code} (${how(s.routed)})${s.matchedHere ? ", here second" : ""}`;
  const examples = s.nearest
    ? `its examples ${s.together.toFixed(2)}, nearest existing example ${s.nearest.score.toFixed(2)}: ${clip(s.nearest.example)}`
    : "no examples yet";
  const earlier = s.likeEarlier === undefined ? "" : `; ${s.likeEarlier.toFixed(2)} like a suggestion above`;
  return `${s.id ?? `line ${s.line}`}, gain ${s.gain.toFixed(2)}: ${routed}${earlier}; ${examples}`;
}

const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const clip = (text: string): string => (text.length > 30 ? `${text.slice(0, 30)}…` : text);
