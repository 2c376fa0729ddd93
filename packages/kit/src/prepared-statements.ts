import { createHash } from "node:crypto";

/**
 * Names for `pg`'s prepared statements: one per statement text (a hash, so the same text always gets the same
 * name), so each connection parses and plans a statement once. `prefix` keeps two services' names apart in logs.
 *
 * @example
 * const nameOf = createStatementNames("r");
 * await client.query({ name: nameOf(sql), text: sql, values });
 */
export function createStatementNames(prefix: string): (text: string) => string {
  const names = new Map<string, string>();
  return (text) => {
    let name = names.get(text);
    if (name === undefined) {
      name = `${prefix}${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
}

/**
 * PostgreSQL's refusal of a prepared statement that went stale: its result type changed under it (0A000, "cached
 * plan must not change result type", after a migration by a newer instance) or the server no longer has it
 * (26000). The connection that prepared it must be dropped; on a new one the statement is prepared again, so a
 * retry succeeds. Looks through a wrapping error's `cause`.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 3; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (code === "26000" || (code === "0A000" && typeof message === "string" && message.includes("cached plan"))) return true;
    current = cause;
  }
  return false;
}
