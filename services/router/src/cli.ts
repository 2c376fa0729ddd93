import { once } from "node:events";
import { realpathSync } from "node:fs";
import { register } from "node:module";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Complaint } from "@clueline/contracts";
import type { CompiledDirectory } from "./directory/index.js";
import { createBatchRouter } from "./routing/index.js";
import { createMemoryRouterState } from "./state/memory-router-state.js";

const usage = `usage: route [--directory <file>] < complaints.jsonl > decisions.jsonl
       route [--directory <file>] --evaluate <labelled.jsonl> [--split heldout|train] [--threshold <n>]...
       route [--directory <file>] --suggest-examples <triaged.jsonl> [--per-category <n>] [--threshold <n>]
       route [--directory <file>] --what-if-conduct <lifecycle.jsonl> [--window-days <n>] [--overdue <n>]
             [--dissatisfied <n>] [--returns-upheld <n>]

Reads one Complaint JSON per line on stdin, in order (earlier lines are the history that repeats and
merges count, by their receivedAt), and writes one routing decision JSON per line on stdout.
A bad line is reported on stderr as "line N: path: reason" and skipped.

  --directory <file>  directory file, YAML or .json (default: the shipped packages/directory/default.yaml)
  --evaluate <file>   route labelled texts ({id,text,category,nature,split} per line) and print per-category
                      precision and recall, top-category and nature accuracy, the nature confusion and
                      the unclassified share (exit 1 if some lines were bad)
  --split <name>      evaluate only the lines of this split
  --threshold <n>     evaluate with this policy.similarityThreshold instead of the directory's (repeat it
                      to compare several); with --suggest-examples, once: judge how texts route now with it
  --suggest-examples <file>
                      read triaged texts ({id?,text,category} per line: the closure's classification export or
                      a labelled corpus) and print per category the texts that would add most to its examples
                      (routed elsewhere or unclassified now, unlike its examples, no near-duplicates), as YAML
                      items with a reason each, to paste under the category's examples: (exit 1 if some lines
                      were bad; unknown categories are reported on stderr and skipped)
  --per-category <n>  suggest at most n texts per category (default 5)
  --what-if-conduct <file>
                      replay lifecycle events (one clueline.clue.lifecycle.v1 event's data per line, in topic
                      order) through rule 10 and print the conduct clues policy.conductFromService would have
                      opened or supplemented, each with its service clues (exit 1 if some lines were bad)
  --window-days, --overdue, --dissatisfied, --returns-upheld <n>
                      with --what-if-conduct: this threshold instead of the directory's (the rule is on)
  --help              this text

exit status: 0 all lines routed, 1 some lines rejected, 2 bad arguments, invalid directory or unreadable file`;

/** Complaints decided together, as the service decides the records of one fetch (see `createBatchRouter`). */
const batchSize = 256;

/**
 * The `route` command, with its streams passed in so tests run it without a process. It takes the same
 * path as the service: load and compile the directory, then the batch router over memory state, in order
 * (cli-service-parity.test.ts checks that both decide the same, history included).
 *
 * @example
 * const code = await runCli({ argv: ["--directory", "district.yaml"], stdin, stdout, stderr });
 */
export async function runCli(io: { argv: string[]; stdin: Readable; stdout: Writable; stderr: Writable }): Promise<number> {
  // Imported here, not at the top: it reaches `@clueline/directory` (see `useSourceExports` below).
  const { compileDirectory, DirectoryInvalid, defaultDirectoryPath, describeProblem, formatPath, loadDirectory } = await import(
    "./directory/index.js"
  );
  let directoryPath = defaultDirectoryPath;
  let evaluate: { path: string; split: string | undefined; thresholds: number[] } | undefined;
  let suggest: { path: string; perCategory: number; threshold: number | undefined } | undefined;
  let whatIf: { path: string; overrides: Record<string, number> } | undefined;
  try {
    const { values } = parseArgs({
      args: io.argv,
      options: {
        directory: { type: "string" },
        evaluate: { type: "string" },
        split: { type: "string" },
        threshold: { type: "string", multiple: true },
        "suggest-examples": { type: "string" },
        "per-category": { type: "string" },
        "what-if-conduct": { type: "string" },
        "window-days": { type: "string" },
        overdue: { type: "string" },
        dissatisfied: { type: "string" },
        "returns-upheld": { type: "string" },
        help: { type: "boolean" },
      },
    });
    if (values.help) {
      io.stdout.write(`${usage}\n`);
      return 0;
    }
    directoryPath = values.directory ?? directoryPath;
    const thresholds = (values.threshold ?? []).map(Number);
    if (thresholds.some((t) => !(t >= 0 && t <= 1))) throw new Error("--threshold takes a number from 0 to 1");
    const suggestPath = values["suggest-examples"];
    const overrides: Record<string, number> = {};
    for (const [flag, key] of [
      ["window-days", "windowDays"],
      ["overdue", "overdue"],
      ["dissatisfied", "dissatisfied"],
      ["returns-upheld", "returnsUpheld"],
    ] as const) {
      const value = values[flag];
      if (value === undefined) continue;
      if (values["what-if-conduct"] === undefined) throw new Error(`--${flag} goes with --what-if-conduct`);
      const n = Number(value);
      if (!(Number.isInteger(n) && n >= 1)) throw new Error(`--${flag} takes a whole number from 1`);
      overrides[key] = n;
    }
    if (values["what-if-conduct"] !== undefined) {
      if (values.evaluate !== undefined || suggestPath !== undefined) throw new Error("--what-if-conduct is a separate run");
      whatIf = { path: values["what-if-conduct"], overrides };
    }
    if (values.evaluate !== undefined && suggestPath !== undefined)
      throw new Error("--evaluate and --suggest-examples are separate runs");
    if (values["per-category"] !== undefined && suggestPath === undefined)
      throw new Error("--per-category goes with --suggest-examples");
    if (values.evaluate !== undefined) evaluate = { path: values.evaluate, split: values.split, thresholds };
    else if (suggestPath !== undefined) {
      const perCategory = Number(values["per-category"] ?? 5);
      if (!(Number.isInteger(perCategory) && perCategory >= 1)) throw new Error("--per-category takes a whole number from 1");
      if (values.split !== undefined || thresholds.length > 1)
        throw new Error("--suggest-examples takes no --split and at most one --threshold");
      suggest = { path: suggestPath, perCategory, threshold: thresholds[0] };
    } else if (values.split !== undefined || thresholds.length > 0)
      throw new Error("--split goes with --evaluate, --threshold with --evaluate or --suggest-examples");
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }

  let directory: CompiledDirectory;
  try {
    directory = compileDirectory(await loadDirectory(directoryPath));
  } catch (error) {
    if (error instanceof DirectoryInvalid) {
      io.stderr.write(`directory ${directoryPath} is invalid (${error.problems.length} problems):\n`);
      for (const problem of error.problems) io.stderr.write(`  ${describeProblem(problem)}\n`);
    } else io.stderr.write(`cannot read directory ${directoryPath}: ${(error as Error).message}\n`);
    return 2;
  }

  if (whatIf) {
    const { runWhatIfConduct } = await import("./evaluation/what-if-conduct.js");
    const policy = directory.policy.conductFromService;
    const thresholds = Object.keys(whatIf.overrides).length > 0 ? { ...policy, ...whatIf.overrides, enabled: true } : policy;
    return runWhatIfConduct({ path: whatIf.path, directory, thresholds, stdout: io.stdout, stderr: io.stderr });
  }
  if (evaluate) {
    const { runEvaluation } = await import("./evaluation/evaluate-cli.js");
    return runEvaluation({ ...evaluate, directory, stdout: io.stdout, stderr: io.stderr });
  }
  if (suggest) {
    const { runSuggestion } = await import("./evaluation/suggest-cli.js");
    const { threshold: similarityThreshold, ...rest } = suggest;
    const judged =
      similarityThreshold === undefined
        ? directory
        : compileDirectory({ ...directory.source, policy: { ...directory.source.policy, similarityThreshold } });
    return runSuggestion({ ...rest, directory: judged, stdout: io.stdout, stderr: io.stderr });
  }

  // Imported here, not at the top: see `useSourceExports` below.
  const { Complaint: ComplaintSchema } = await import("@clueline/contracts");
  const routeBatch = createBatchRouter({ state: createMemoryRouterState(), directory: () => directory });
  let pending: Complaint[] = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    for (const { decision } of await routeBatch(batch))
      if (!io.stdout.write(`${JSON.stringify(decision)}\n`)) await once(io.stdout, "drain");
  };
  let lineNumber = 0;
  let rejected = 0;
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber += 1;
    if (line.trim() === "") continue;
    const parsed = parseLine(line);
    if (Array.isArray(parsed)) {
      rejected += 1;
      for (const error of parsed) io.stderr.write(`line ${lineNumber}: ${error}\n`);
      continue;
    }
    pending.push(parsed);
    if (pending.length >= batchSize) await flush();
  }
  await flush();
  return rejected > 0 ? 1 : 0;

  /** The complaint of a line, or what is wrong with it. */
  function parseLine(line: string): Complaint | string[] {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      return [`(json): ${(error as Error).message}`];
    }
    const parsed = ComplaintSchema.safeParse(json);
    if (!parsed.success) return parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    return parsed.data;
  }
}

/** True when this module is the program being run (tsx src/cli.ts, node dist/cli.js), not an import. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * Workspace packages export their TypeScript under the "source" condition, which vitest and tsc apply but
 * tsx does not take from tsconfig. Run from source (`tsx src/cli.ts`), this asks Node to resolve
 * `@clueline/*` by that condition, so no build is needed; run from dist, packages resolve to their dist.
 * It must happen before `@clueline/contracts` or `@clueline/directory` is first imported, hence those imports are
 * dynamic.
 */
function useSourceExports(): void {
  if (!import.meta.url.endsWith(".ts")) return;
  const hook = `export async function resolve(specifier, context, next) {
    if (!specifier.startsWith("@clueline/")) return next(specifier, context);
    return next(specifier, { ...context, conditions: [...new Set([...context.conditions, "source"])] });
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

if (isEntryPoint()) {
  useSourceExports();
  process.exitCode = await runCli({
    argv: process.argv.slice(2),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
