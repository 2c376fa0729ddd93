import { createHash } from "node:crypto";
import { unwatchFile, watchFile } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Directory } from "./directory.js";
import { DirectoryInvalid, type DirectoryProblem } from "./directory-invalid.js";
import { parseDirectoryFile } from "./parse-directory.js";

/** The slice of a pino logger the holder needs. */
export interface DirectoryLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export type DirectoryReload<T> =
  | { status: "unchanged" }
  | { status: "reloaded"; directory: T }
  | { status: "rejected"; problems: readonly DirectoryProblem[] };

export interface DirectoryHolder<T> {
  /** The directory in force; take it once per complaint so one decision never sees two directories. */
  current(): T;
  /** Re-reads the file; a file that fails validation or cannot be read never replaces the one in force. */
  reload(): Promise<DirectoryReload<T>>;
  /** Polls the file (robust to editors that save by rename) and reloads on change; returns a stop function. */
  watch(options?: { intervalMs?: number }): () => void;
}

/**
 * Loads a directory file and keeps the last good version of it, in the form its user needs: `compile` builds that
 * form (the router's matchers, an edge's set of category codes) once per version of the file. Reloads are
 * serialized and the swap is one reference assignment, so readers see the old or the new directory, never a mix.
 *
 * @throws DirectoryInvalid when the initial file cannot be read or is invalid (there is nothing good to keep yet).
 * @example
 * const holder = await createDirectoryHolder({ path: config.DIRECTORY_FILE ?? defaultDirectoryPath, logger, compile: compileDirectory });
 * const stop = holder.watch({ intervalMs: 2_000 });
 * route({ complaint, directory: holder.current(), history, clueId, decisionId, decidedAt });
 */
export async function createDirectoryHolder<T>(params: {
  path: string;
  logger: DirectoryLogger;
  compile: (directory: Directory) => T;
}): Promise<DirectoryHolder<T>> {
  const { path, logger, compile } = params;
  let initial: string;
  try {
    initial = await readFile(path, "utf8");
  } catch (error) {
    throw new DirectoryInvalid({ source: path, problems: [unreadable(path, error)], cause: error });
  }
  let directory = compile(parseDirectoryFile({ path, text: initial }));
  let digest = sha256(initial);
  let queue: Promise<unknown> = Promise.resolve();

  async function reloadNow(): Promise<DirectoryReload<T>> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      const problems = [unreadable(path, error)];
      logger.warn({ path, problems }, "directory reload failed; keeping the directory in force");
      return { status: "rejected", problems };
    }
    if (sha256(text) === digest) return { status: "unchanged" };
    try {
      // Validate exactly the text digested, not a second read that could already differ.
      const next = compile(parseDirectoryFile({ path, text }));
      directory = next;
      digest = sha256(text);
      logger.info({ path }, "directory reloaded");
      return { status: "reloaded", directory: next };
    } catch (error) {
      if (!(error instanceof DirectoryInvalid)) throw error;
      logger.warn({ path, problems: error.problems }, "directory file invalid; keeping the directory in force");
      return { status: "rejected", problems: error.problems };
    }
  }

  function reload(): Promise<DirectoryReload<T>> {
    const result = queue.then(reloadNow);
    queue = result.catch(() => undefined);
    return result;
  }

  function watch(options: { intervalMs?: number } = {}): () => void {
    const listener = () =>
      void reload().catch((error: unknown) => logger.warn({ path, error: String(error) }, "directory reload crashed"));
    watchFile(path, { interval: options.intervalMs ?? 2_000, persistent: false }, listener);
    return () => unwatchFile(path, listener);
  }

  return { current: () => directory, reload, watch };
}

function unreadable(path: string, error: unknown): DirectoryProblem {
  return { path: "(root)", reason: `cannot read ${path}: ${(error as Error).message}` };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
