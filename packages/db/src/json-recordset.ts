/** A column's SQL type as `jsonb_to_recordset` declares it. */
export type SqlType = "text" | "text[]" | "jsonb" | "timestamptz" | "date" | "boolean" | "integer" | "bigint";

/** A table's columns and their SQL types: written once, the insert and the recordset declaration are made from it. */
export type ColumnTypes = Readonly<Record<string, SqlType>>;

/**
 * The rows of a jsonb array parameter as a relation with typed columns, for set-based writes (one statement for
 * many rows, with no per-row placeholders).
 *
 * @example
 * jsonRecordset("$1", { clue_id: "text", roles: "text[]" });
 * // "jsonb_to_recordset($1::jsonb) as r(clue_id text, roles text[])"
 */
export function jsonRecordset(parameter: string, columns: ColumnTypes): string {
  const declared = Object.entries(columns).map(([column, type]) => `${column} ${type}`);
  return `jsonb_to_recordset(${parameter}::jsonb) as r(${declared.join(", ")})`;
}

/**
 * `insert into <table> (<columns>) select <columns> from <jsonRecordset>`: the columns named once. `computed` adds
 * columns whose values are SQL expressions over the recordset's columns (a constant state, a copied timestamp).
 *
 * @example
 * insertFromJson("clue_units", "$1", { clue_id: "text", unit_id: "text" }, { roles: "array['lead']" });
 */
export function insertFromJson(
  table: string,
  parameter: string,
  columns: ColumnTypes,
  computed: Readonly<Record<string, string>> = {},
): string {
  const names = [...Object.keys(columns), ...Object.keys(computed)];
  const values = [...Object.keys(columns), ...Object.values(computed)];
  return `insert into ${table} (${names.join(", ")}) select ${values.join(", ")} from ${jsonRecordset(parameter, columns)}`;
}
