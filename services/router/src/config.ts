import { authEnv, commonEnv, SERVICE_AUDIENCES } from "@clueline/kit";
import { z } from "zod";

/** The router's environment; every variable is documented here and nowhere else. */
export const RouterConfig = z.object({
  ...commonEnv,
  ...authEnv(SERVICE_AUDIENCES.router),
  /** Port for health, readiness, metrics and the decision look-up API. */
  PORT: z.coerce.number().int().min(0).max(65_535).default(8085),
  /** Directory file (YAML or JSON, DESIGN §5); the shipped 40-town default when unset. */
  DIRECTORY_FILE: z.string().optional(),
  /** How often the directory file is checked for changes; a bad file never replaces the good one. */
  DIRECTORY_POLL_MS: z.coerce.number().int().min(100).default(2_000),
  /** PostgreSQL for repeat and merge state; without it, embedded PGlite under ROUTER_DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  /** PGlite data directory, used only without DATABASE_URL; "memory://" keeps nothing across restarts. */
  ROUTER_DATA_DIR: z.string().default(".data/router-pglite"),
  /** PGlite has no autovacuum: how often the router analyzes its tables there (0: never). */
  PGLITE_VACUUM_MS: z.coerce.number().int().min(0).default(600_000),
  /** Schema for the router's own tables. */
  ROUTER_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .default("router"),
  /** Consumer group; instances sharing it split the channel topics' partitions. */
  ROUTER_GROUP_ID: z.string().default("clueline-router"),
  /** Consumer group reading `clueline.clue.lifecycle.v1` for the commission's classifications, to route them again. */
  ROUTER_CLASSIFICATION_GROUP_ID: z.string().default("clueline-router-classifications"),
  /** Channel partitions handled at once by one instance. */
  ROUTER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(6),
});
export type RouterConfig = z.infer<typeof RouterConfig>;
