import { RetryableOutage } from "@clueline/contracts/errors";

/**
 * SQLSTATE classes and codes that mean "try again later" rather than "this statement is wrong": connection
 * exceptions (08), insufficient resources (53), operator intervention (57: shutdown, crash recovery), serialization
 * failures and deadlocks (40001, 40P01), which PostgreSQL itself answers with "retry the transaction".
 */
const RETRYABLE_CLASSES = new Set(["08", "53", "57"]);
const RETRYABLE_CODES = new Set(["40001", "40P01"]);
/** Node's socket errors on the way to the server: no SQLSTATE, but the same meaning as class 08. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

type Fields = { code?: unknown; routine?: unknown; cause?: unknown };
const fieldsOf = (error: unknown): Fields | undefined =>
  typeof error === "object" && error !== null ? (error as Fields) : undefined;

/**
 * The error's SQLSTATE when a server (PostgreSQL or PGlite) raised it, else undefined. No SQLSTATE class starts
 * with E, and every node errno code does (EPIPE is five letters too).
 *
 * @example
 * if (sqlStateOf(error) === "23505") return { duplicate: true };
 */
export function sqlStateOf(error: unknown): string | undefined {
  const code = fieldsOf(error)?.code;
  return typeof code === "string" && /^[0-9A-DF-Z][0-9A-Z]{4}$/.test(code) ? code : undefined;
}

/**
 * PostgreSQL's refusal of a prepared statement that went stale: the server no longer has it (26000), or its result
 * type changed under it after a migration by a newer instance (0A000 raised by the plan cache's revalidation, told
 * apart from other unsupported features by the server's routine field, not by its message). The connection that
 * prepared it must be dropped; on a new one the statement is prepared again, so a retry succeeds. Looks through a
 * wrapping error's `cause`.
 *
 * @example
 * client.release(isStalePreparedStatement(error)); // true destroys the connection
 */
export function isStalePreparedStatement(error: unknown): boolean {
  for (let current = fieldsOf(error), depth = 0; current && depth < 3; depth++, current = fieldsOf(current.cause)) {
    const code = sqlStateOf(current);
    if (code === "26000" || (code === "0A000" && current.routine === "RevalidateCachedQuery")) return true;
  }
  return false;
}

/**
 * True when `error` (or the outage wrapping it) means the database is unavailable for now: retry, never dead-letter.
 *
 * @example
 * throw isDatabaseOutage(cause) ? new RetryableOutage("router state", { cause }) : cause;
 */
export function isDatabaseOutage(error: unknown): boolean {
  if (error instanceof RetryableOutage) return true;
  const code = sqlStateOf(error);
  if (code !== undefined)
    return RETRYABLE_CODES.has(code) || RETRYABLE_CLASSES.has(code.slice(0, 2)) || isStalePreparedStatement(error);
  const errno = fieldsOf(error)?.code;
  return typeof errno === "string" && NETWORK_CODES.has(errno);
}

/**
 * Wraps a driver error as {@link RetryableOutage} when it is one, so a consume loop retries the record without
 * committing and an HTTP edge answers 503; any other error passes through unchanged.
 *
 * @example
 * try { await client.query(sql) } catch (error) { throw classifyDatabaseError(error) }
 */
export function classifyDatabaseError(error: unknown): unknown {
  if (error instanceof RetryableOutage) return error;
  return isDatabaseOutage(error) ? new RetryableOutage("database", { cause: error }) : error;
}
