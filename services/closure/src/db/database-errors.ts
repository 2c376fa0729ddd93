import { RetryableOutage } from "@clueline/contracts/errors";
import { isStalePreparedStatement } from "@clueline/kit";

/**
 * SQLSTATE classes and codes that mean "try again later" rather than "this statement is wrong":
 * connection exceptions (08), insufficient resources (53), operator intervention (57: shutdown, crash
 * recovery), serialization failures and deadlocks (40001, 40P01).
 */
const RETRYABLE_CLASSES = new Set(["08", "53", "57"]);
const RETRYABLE_CODES = new Set(["40001", "40P01"]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * Wraps a driver error as {@link RetryableOutage} when it is one, so a consume loop retries the record without
 * committing and an HTTP edge answers 503; any other error passes through unchanged.
 */
export function classifyDatabaseError(error: unknown): unknown {
  if (error instanceof RetryableOutage) return error;
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : "";
  const retryable =
    (typeof code === "string" &&
      (RETRYABLE_CODES.has(code) || RETRYABLE_CLASSES.has(code.slice(0, 2)) || NETWORK_CODES.has(code))) ||
    // pg raises these two without a code when the server goes away or the pool cannot connect in time.
    /Connection terminated|timeout exceeded when trying to connect/i.test(message) ||
    // Its connection is dropped (pg-database.ts), so a retry prepares the statement afresh.
    isStalePreparedStatement(error);
  return retryable ? new RetryableOutage("database", { cause: error }) : error;
}
