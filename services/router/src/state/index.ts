export { createMemoryRouterState } from "./memory-router-state.js";
export { openRouterDatabase, routerMigrations } from "./open-router-database.js";
export { createPostgresRouterState } from "./postgres-router-state.js";
export type { DecisionRecord, RecordOutcome, RouterState, RouterStateTransaction } from "./router-state.js";
