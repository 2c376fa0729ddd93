/** One thing wrong with a directory file: where (`units[3].covers[1]`), why, and the YAML line when known. */
export interface DirectoryProblem {
  path: string;
  reason: string;
  line?: number;
}

/** A problem before its path is formatted, so the YAML loader can still look its line up. */
export interface RawProblem {
  path: readonly PropertyKey[];
  reason: string;
}

/**
 * A directory file was refused. It carries every problem found, not just the first, so an operator fixes
 * the file in one pass; the running router keeps its previous directory (DESIGN §5: never half-applied).
 *
 * @example
 * try { await loadDirectory("district.yaml"); }
 * catch (error) { if (error instanceof DirectoryInvalid) for (const p of error.problems) console.error(p.path, p.reason); }
 */
export class DirectoryInvalid extends Error {
  override readonly name = "DirectoryInvalid";
  readonly problems: readonly DirectoryProblem[];
  /** The file path or a label such as `(text)`. */
  readonly source: string;

  constructor({ source, problems, cause }: { source: string; problems: readonly DirectoryProblem[]; cause?: unknown }) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`directory ${source} is invalid (${count}):\n${problems.map((p) => `  ${describeProblem(p)}`).join("\n")}`, {
      cause,
    });
    this.problems = problems;
    this.source = source;
  }
}

/**
 * `units[3].covers[1] (line 12): unknown department "dept-x"`.
 *
 * @example
 * describeProblem({ path: "policy.transferTo", reason: 'unknown external body "x"' });
 */
export function describeProblem(problem: DirectoryProblem): string {
  const line = problem.line === undefined ? "" : ` (line ${problem.line})`;
  return `${problem.path}${line}: ${problem.reason}`;
}

/**
 * Formats a path as people write it: `units[3].covers[1]`; the whole file is `(root)`.
 *
 * @example
 * formatPath(["units", 3, "covers", 1]); // "units[3].covers[1]"
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text === "" ? "(root)" : text;
}
