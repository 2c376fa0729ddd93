import type { S3Settings } from "@clueline/evidence";
import { authEnv, commonEnv, loadConfig, SERVICE_AUDIENCES } from "@clueline/kit";
import { z } from "zod";
import { isAddressOrBlock } from "./feedback/client-address.js";

const days = (fallback: number) => z.coerce.number().int().min(0).max(365).default(fallback);
const base64Key = z.string().refine((value) => Buffer.from(value, "base64").length === 32, "expected 32 bytes in base64");

/** The closure service's environment: one schema, parsed once in main.ts. */
export const ClosureEnv = z
  .object({
    ...commonEnv,
    ...authEnv(SERVICE_AUDIENCES.closure),
    /** HTTP port of the inspector API. */
    PORT: z.coerce.number().int().min(0).max(65_535).default(8084),
    /** Interface to listen on; 0.0.0.0 inside a container. */
    HOST: z.string().default("127.0.0.1"),
    /** PostgreSQL for the ledger; unset means embedded PGlite (DESIGN §9). */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL")
      .optional(),
    /** Connections in the pg pool; the 5,000 updates/s target was measured with 20. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    /** Where PGlite keeps the ledger when DATABASE_URL is unset; "memory://" keeps nothing across restarts. */
    PGLITE_DATA_DIR: z
      .string()
      // The spelling before packages/db: refused rather than taken for a directory named "memory".
      .refine((dir) => dir !== "memory", 'the in-memory ledger is spelled "memory://"')
      .default(".data/closure-ledger"),
    /** PGlite has no autovacuum: how often the closure vacuums and analyzes it (0: never). */
    PGLITE_VACUUM_MS: z.coerce.number().int().min(0).default(600_000),
    /** Key ring for reporter identity, "k1:<base64 32 bytes>,k2:…"; keep retired keys while their records must open. */
    IDENTITY_KEYS: z.string().regex(/^[\w-]+:[A-Za-z0-9+/=]+(,[\w-]+:[A-Za-z0-9+/=]+)*$/, "expected id:base64[,id:base64…]"),
    /** The ring's newest key id; closure only opens identities, but the ring must name it. */
    IDENTITY_ACTIVE_KEY: z.string().min(1),
    /** The merge-hash key; closure never hashes, so it may be left unset here. */
    IDENTITY_HASH_KEY: base64Key.optional(),
    /** The district commission's unit id (区纪委监委): escalations and supervision orders go to it. */
    COMMISSION_UNIT: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default("dc"),
    /** S3 endpoint of the evidence bucket (S3Proxy, MinIO); unset means AWS S3. The edges' bucket: same settings. */
    S3_ENDPOINT: z.url().optional(),
    /** S3 region; S3Proxy ignores it. */
    S3_REGION: z.string().default("us-east-1"),
    /** S3 credentials; unset means the SDK's default chain. */
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    /** The bucket the edges store reporters' evidence in; units' material goes under its own prefix there. */
    S3_BUCKET: z.string().min(3).default("clueline-evidence"),
    /** Path-style URLs: S3Proxy and MinIO need them. */
    S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("true"),
    /**
     * Largest piece of evidence a unit may add, and the largest the closure reads to serve a download (it holds the
     * bytes in memory to check their SHA-256 before sending any): the edges' own cap, 50 MB (an hour of MP3).
     */
    EVIDENCE_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(50 * 1024 * 1024),
    /**
     * The district's directory file (DESIGN §5), the router's own, so set both alike; unset: the shipped
     * packages/directory/default.yaml. The closure reads the leaders, the supervision answer period and rule 10's
     * thresholds (`policy.conductFromService`) from it.
     */
    DIRECTORY_FILE: z.string().min(1).optional(),
    /** How often the directory file is checked for changes. */
    DIRECTORY_POLL_MS: z.coerce.number().int().min(100).default(2_000),
    /** Operator file of local calendar changes; defaults to services/closure/calendar/local.yaml. */
    CALENDAR_FILE: z.string().optional(),
    /** DESIGN §7 clocks, overridable by policy. */
    POLICY_ACCEPT_WORKING_DAYS: days(5),
    POLICY_MEDIA_ACCEPT_WORKING_DAYS: days(1),
    POLICY_ACCEPTANCE_NOTICE_WORKING_DAYS: days(15),
    POLICY_RESULT_NOTICE_WORKING_DAYS: days(15),
    POLICY_SERVICE_CONCLUDE_DAYS: days(7),
    POLICY_SERVICE_COMPLEX_CONCLUDE_DAYS: days(15),
    POLICY_REMIND_WORKING_DAYS_BEFORE: days(1),
    /**
     * Development and tests only: the deadline scan's clock runs this far ahead of the machine's, so that deadlines
     * days away pass now (the end-to-end test of rule 10). Leave at 0 anywhere real.
     */
    DEADLINE_SCAN_AHEAD_MS: z.coerce.number().int().min(0).default(0),
    /** How often the deadline scan looks for due clocks; reminders and overdue fire at most this late. */
    SCAN_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
    /** How often the outbox relay looks for unsent events when nothing woke it. */
    RELAY_INTERVAL_MS: z.coerce.number().int().min(10).default(200),
    /** How often an idle SSE stream polls the ledger. */
    SSE_POLL_MS: z.coerce.number().int().min(50).default(1_000),
    /** Receipt look-ups allowed per caller and client address per minute. */
    RECEIPT_LOOKUPS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    /**
     * Proxies whose forwarding header names the client, "10.0.0.5,10.1.0.0/16,fd00::/8" (addresses or CIDR blocks;
     * empty: none). From any other peer the header is the caller's own choice and is ignored: the peer is the client.
     */
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((list) =>
        list
          .split(",")
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .refine((entries) => entries.every(isAddressOrBlock), "expected comma-separated IP addresses or CIDR blocks"),
    /** The header TRUSTED_PROXIES write; the other one is passed on as the client sent it, so it is never read. */
    TRUSTED_PROXY_HEADER: z.enum(["x-forwarded-for", "forwarded"]).default("x-forwarded-for"),
    /**
     * Partitions whose fetched batches are taken at once. Small batches handed over together are applied as one
     * (one transaction, see the bus's `coalesceUpTo`); large ones each in a transaction of their own, which on
     * PostgreSQL overlap their round trips. `bench/system.mjs` at 1,500/s, alternating: with 2, e2e p99 1,920 and
     * 2,150 ms; with 6 (every partition of a fetch in one transaction at moderate rates), 1,556 and 1,161 ms.
     */
    CONSUMER_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(6),
    /** Kafka consumer group of the ledger's consumers. */
    CONSUMER_GROUP: z.string().min(1).default("closure"),
    /** This process's name in leases (relay, scan); defaults to host and pid. */
    INSTANCE_ID: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    const ids = env.IDENTITY_KEYS.split(",").map((entry) => entry.split(":")[0]);
    if (!ids.includes(env.IDENTITY_ACTIVE_KEY)) {
      ctx.addIssue({ code: "custom", path: ["IDENTITY_ACTIVE_KEY"], message: "must name a key in IDENTITY_KEYS" });
    }
    if (env.POLICY_SERVICE_COMPLEX_CONCLUDE_DAYS < env.POLICY_SERVICE_CONCLUDE_DAYS) {
      ctx.addIssue({
        code: "custom",
        path: ["POLICY_SERVICE_COMPLEX_CONCLUDE_DAYS"],
        message: "a complex complaint cannot have less time than a simple one",
      });
    }
  });
export type ClosureEnv = z.infer<typeof ClosureEnv>;

/**
 * @example
 * const config = loadClosureConfig(process.env); // throws ConfigInvalid listing every bad variable
 */
export function loadClosureConfig(env: Record<string, string | undefined>): ClosureEnv {
  return loadConfig(ClosureEnv, env);
}

/** The evidence bucket's settings. */
export function s3SettingsOf(config: ClosureEnv): S3Settings {
  return {
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    bucket: config.S3_BUCKET,
    forcePathStyle: config.S3_FORCE_PATH_STYLE === "true",
  };
}

/** The deadline policy the environment describes. */
export function policyOf(config: ClosureEnv) {
  return {
    acceptWorkingDays: config.POLICY_ACCEPT_WORKING_DAYS,
    mediaAcceptWorkingDays: config.POLICY_MEDIA_ACCEPT_WORKING_DAYS,
    acceptanceNoticeWorkingDays: config.POLICY_ACCEPTANCE_NOTICE_WORKING_DAYS,
    resultNoticeWorkingDays: config.POLICY_RESULT_NOTICE_WORKING_DAYS,
    serviceConcludeDays: config.POLICY_SERVICE_CONCLUDE_DAYS,
    serviceComplexConcludeDays: config.POLICY_SERVICE_COMPLEX_CONCLUDE_DAYS,
    remindWorkingDaysBefore: config.POLICY_REMIND_WORKING_DAYS_BEFORE,
  };
}
