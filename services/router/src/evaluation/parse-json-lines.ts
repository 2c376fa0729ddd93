import type { z } from "zod";

/** A JSONL file read line by line: the lines that parsed, with their numbers, and the others as "N: reason". */
export interface JsonLines<T> {
  rows: Array<{ line: number; value: T }>;
  bad: string[];
}

/**
 * Parses one JSON value per line with `schema`; blank lines are skipped. Both corpus commands report bad lines
 * through this, so `--evaluate` and `--suggest-examples` number them the same way.
 *
 * @example
 * const { rows, bad } = parseJsonLines(text, LabelledText);
 * for (const problem of bad) stderr.write(`${path}:${problem}\n`); // "corpus.jsonl:7: text: Required"
 */
export function parseJsonLines<S extends z.ZodType>(text: string, schema: S): JsonLines<z.infer<S>> {
  const rows: Array<{ line: number; value: z.infer<S> }> = [];
  const bad: string[] = [];
  text.split("\n").forEach((content, index) => {
    if (content.trim() === "") return;
    try {
      const parsed = schema.safeParse(JSON.parse(content));
      if (parsed.success) rows.push({ line: index + 1, value: parsed.data });
      else bad.push(`${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    } catch (error) {
      bad.push(`${index + 1}: ${(error as Error).message}`);
    }
  });
  return { rows, bad };
}
