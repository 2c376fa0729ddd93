import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { type Document, isNode, LineCounter, parseDocument } from "yaml";
import { crossCheckBodies } from "./cross-check-bodies.js";
import { crossCheckLeaders } from "./cross-check-leaders.js";
import { crossCheckTaxonomy } from "./cross-check-taxonomy.js";
import { Directory } from "./directory.js";
import { DirectoryInvalid, type DirectoryProblem, formatPath, type RawProblem } from "./directory-invalid.js";

export type DirectoryFormat = "yaml" | "json";

/**
 * Parses and completely validates a directory: the shape (zod) and every cross-reference, all problems
 * collected before anything is refused. YAML problems carry their line number.
 *
 * @throws DirectoryInvalid with every problem found.
 * @example
 * const directory = parseDirectory(await readFile("district.yaml", "utf8"), "yaml");
 */
export function parseDirectory(text: string, format: DirectoryFormat): Directory {
  const lineCounter = new LineCounter();
  let raw: unknown;
  let document: Document | undefined;
  if (format === "json") {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new DirectoryInvalid({
        source: "(text)",
        problems: [{ path: "(root)", reason: `not JSON: ${(error as Error).message}` }],
      });
    }
  } else {
    document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
    if (document.errors.length > 0) {
      const problems = document.errors.map((error) => ({
        path: "(root)",
        reason: `not YAML: ${error.message.split("\n")[0] ?? error.code}`,
        line: lineCounter.linePos(error.pos[0]).line,
      }));
      throw new DirectoryInvalid({ source: "(text)", problems });
    }
    raw = document.toJS({ maxAliasCount: 1000 });
  }

  const shape = Directory.safeParse(raw);
  const found: RawProblem[] = shape.success
    ? []
    : shape.error.issues.map((issue) => ({ path: issue.path, reason: issue.message }));
  found.push(...crossCheckBodies(raw), ...crossCheckTaxonomy(raw), ...crossCheckLeaders(raw));
  if (shape.success && found.length === 0) return shape.data;
  throw new DirectoryInvalid({ source: "(text)", problems: present({ found, document, lineCounter }) });
}

/**
 * Reads and validates a directory file; `.json` is read as JSON, anything else as YAML.
 *
 * @throws DirectoryInvalid naming the file, with every problem found.
 * @example
 * const directory = await loadDirectory(config.DIRECTORY_FILE ?? defaultDirectoryPath);
 */
export async function loadDirectory(path: string): Promise<Directory> {
  return parseDirectoryFile({ path, text: await readFile(path, "utf8") });
}

/**
 * Validates the text of a directory file already read, choosing the format by the path's extension, and
 * names the file in the error.
 *
 * @example
 * const directory = parseDirectoryFile({ path: "district.json", text });
 */
export function parseDirectoryFile(params: { path: string; text: string }): Directory {
  try {
    return parseDirectory(params.text, extname(params.path).toLowerCase() === ".json" ? "json" : "yaml");
  } catch (error) {
    if (error instanceof DirectoryInvalid) throw new DirectoryInvalid({ source: params.path, problems: error.problems });
    throw error;
  }
}

/** Formats paths, adds YAML lines, drops repeats and orders problems as they appear in the file. */
function present(params: { found: RawProblem[]; document: Document | undefined; lineCounter: LineCounter }): DirectoryProblem[] {
  const seen = new Set<string>();
  const problems: DirectoryProblem[] = [];
  for (const { path, reason } of params.found) {
    const problem: DirectoryProblem = { path: formatPath(path), reason };
    const key = `${problem.path}\u0000${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = params.document ? lineOf({ document: params.document, path, lineCounter: params.lineCounter }) : undefined;
    problems.push(line === undefined ? problem : { ...problem, line });
  }
  return problems.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}

/** The line of the node at `path`, or of its nearest existing ancestor (a missing key points at its parent). */
function lineOf(params: { document: Document; path: readonly PropertyKey[]; lineCounter: LineCounter }): number | undefined {
  for (let depth = params.path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? params.document.contents : params.document.getIn(params.path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return params.lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
