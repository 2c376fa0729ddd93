export {
  type Database,
  fromPgPool,
  type NamedStatement,
  type PgQueryable,
  type PoolLike,
  type Queryable,
} from "./database.js";
export { createMemoryRouterState } from "./memory-router-state.js";
export { migrateRouterSchema, quoteSchema } from "./migrate-router-schema.js";
export { createPostgresRouterState } from "./postgres-router-state.js";
export type { DecisionRecord, RecordOutcome, RouterState, RouterStateTransaction } from "./router-state.js";
