import { createHash } from "node:crypto";

/**
 * Names for `pg`'s prepared statements: one per statement text (a hash, so the same text always gets the same
 * name), so each connection parses and plans a statement once. `prefix` keeps two services' names apart in
 * `pg_prepared_statements` and in logs.
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
