export {
  type Database,
  IN_MEMORY,
  type Queryable,
  type QueryResult,
  quoteSchema,
  type Row,
  type Transaction,
} from "./database.js";
export { classifyDatabaseError, isDatabaseOutage, isStalePreparedStatement, sqlStateOf } from "./database-errors.js";
export { type ColumnTypes, insertFromJson, jsonRecordset, type SqlType } from "./json-recordset.js";
export { MigrationAhead, migrate } from "./migrations/migrate.js";
export { type Migration, MigrationFolderInvalid, readMigrations } from "./migrations/read-migrations.js";
export { openDatabase } from "./open-database.js";
export { createPgDatabase } from "./pg-database.js";
export { createPgliteDatabase } from "./pglite-database.js";
export { type RelationWal, schemaWalSince, walPosition } from "./schema-wal.js";
export { createStatementNames } from "./statement-names.js";
