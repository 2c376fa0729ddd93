import type { S3Settings } from "@clueline/evidence";
import { type KeyRing, parseKeys } from "@clueline/identity";
import { z } from "zod";

const base64Key = z.string().refine((value) => Buffer.from(value, "base64").length === 32, "must be 32 bytes in base64");

/**
 * Environment variables every edge shares; each service composes its schema from `commonEnv`, `authEnv` (with its
 * own audience), these and its own, then applies {@link refineEdgeEnv}. Values are never echoed in errors (they
 * are secrets).
 */
export const edgeEnv = {
  /** Interface to listen on; 0.0.0.0 inside a container. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Identity key ring "k1:<base64 32 bytes>,k2:<…>"; keep retired keys here while records sealed with them live. */
  IDENTITY_KEYS: z.string().refine((value) => {
    try {
      return Object.keys(parseKeys(value)).length > 0;
    } catch {
      return false;
    }
  }, "must be id:<base64 of 32 bytes>[,id:<…>]"),
  /** The key id new reporter identities are sealed with; rotate by adding a key and pointing this at it. */
  IDENTITY_ACTIVE_KEY: z.string().min(1),
  /** Base64 32-byte key of the merge hash (and of keyed receipt codes); rotating it breaks merging across the change. */
  IDENTITY_HASH_KEY: base64Key,
  /** S3 endpoint for S3Proxy or MinIO; unset means AWS S3. */
  S3_ENDPOINT: z.url().optional(),
  /** S3 region; S3Proxy ignores it. */
  S3_REGION: z.string().default("us-east-1"),
  /** S3 credentials; unset means the SDK's default chain. */
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Bucket for evidence; created at start when missing. */
  S3_BUCKET: z.string().min(3).default("clueline-evidence"),
  /** Path-style URLs: S3Proxy and MinIO need them. */
  S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("true"),
  /**
   * Directory file (YAML or JSON, DESIGN §5) whose taxonomy `categoryHints` are checked against: the router's file,
   * so set both services' alike; the shipped default (packages/directory/default.yaml) when unset. An invalid file
   * stops the edge from starting; a bad edit later is refused and the last good version stays in force.
   */
  DIRECTORY_FILE: z.string().min(1).optional(),
  /** How often the directory file is checked for changes. */
  DIRECTORY_POLL_MS: z.coerce.number().int().min(100).default(2_000),
  /** A publish without broker acknowledgement after this long answers 503; well under callers' HTTP timeouts. */
  PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** How long an Idempotency-Key is remembered in this process (24 h is what callers are told to retry within). */
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(1).default(86_400),
  /**
   * At most this many keys are remembered: ~1.2 KB each (measured with UUID keys), so 20,000 keep the store near
   * 25 MB of the 200 MB budget. A retry of a forgotten key is still safe: it gets the same complaint id.
   */
  IDEMPOTENCY_MAX_ENTRIES: z.coerce.number().int().min(1).default(20_000),
};

interface EdgeEnv {
  IDENTITY_KEYS: string;
  IDENTITY_ACTIVE_KEY: string;
}

/** Cross-field rule: the active identity key must be in the key ring. Use in the service schema's superRefine. */
export function refineEdgeEnv(env: EdgeEnv, ctx: z.RefinementCtx): void {
  let keys: Record<string, Buffer> = {};
  try {
    keys = parseKeys(env.IDENTITY_KEYS);
  } catch {
    return; // IDENTITY_KEYS itself already failed
  }
  if (!(env.IDENTITY_ACTIVE_KEY in keys)) {
    ctx.addIssue({ code: "custom", path: ["IDENTITY_ACTIVE_KEY"], message: "must name a key id present in IDENTITY_KEYS" });
  }
}

/** The identity key ring from a parsed configuration. */
export function keyRingOf(env: EdgeEnv & { IDENTITY_HASH_KEY: string }): KeyRing {
  return {
    keys: parseKeys(env.IDENTITY_KEYS),
    activeKeyId: env.IDENTITY_ACTIVE_KEY,
    hashKey: Buffer.from(env.IDENTITY_HASH_KEY, "base64"),
  };
}

/** The evidence store settings from a parsed configuration. */
export function s3SettingsOf(env: {
  S3_ENDPOINT?: string | undefined;
  S3_REGION: string;
  S3_ACCESS_KEY_ID?: string | undefined;
  S3_SECRET_ACCESS_KEY?: string | undefined;
  S3_BUCKET: string;
  S3_FORCE_PATH_STYLE: "true" | "false";
}): S3Settings {
  return {
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    bucket: env.S3_BUCKET,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === "true",
  };
}
