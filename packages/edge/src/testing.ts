import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import type { OutgoingRecord } from "@clueline/bus";
import { channelTopics } from "@clueline/contracts";
import { RetryableOutage } from "@clueline/contracts/errors";
import { defaultDirectoryPath, parseDirectoryFile } from "@clueline/directory";
import { ChecksumMismatch, type StoredEvidence, sha256Hex } from "@clueline/evidence";
import { createIdentitySealer } from "@clueline/identity";
import { createTokenVerifier, type Scope } from "@clueline/kit";
import { createTestTokens } from "@clueline/kit/test-tokens";
import pino, { type Logger } from "pino";
import { ulid } from "ulid";
import { type CategoryCodes, categoryCodesOf } from "./category-hints.js";
import type { EdgeDeps } from "./edge-deps.js";
import { createIdempotencyStore } from "./idempotency-store.js";
import { createReceiptCodes } from "./receipt-code.js";

export { mediaSamples } from "./media-samples.js";

/**
 * Fails unless `record` is a valid event of its channel topic, exactly as consumers will read it: the edges do not
 * parse the events they build at run time (it cost a sixth of the hotline's CPU), so every unit test of an edge —
 * the property tests' random bodies included — checks here that no accepted request makes an event the router
 * would dead-letter, and that the schema would neither drop nor change any of what was sent.
 */
export function assertValidReceivedEvent(record: OutgoingRecord): void {
  const topic = channelTopics.find((candidate) => record.topic.endsWith(candidate.name));
  if (!topic) throw new Error(`not a channel topic: ${record.topic}`);
  const { data } = topic.parse(record);
  if (!isDeepStrictEqual(data, JSON.parse(String(record.value)))) {
    throw new Error(`the ${topic.name} schema changes the published event`);
  }
}

/**
 * A publisher that keeps records in memory, for unit tests of an app; `down = true` makes it fail the way the
 * real one does when no broker acknowledges. Each record must be a valid channel event
 * ({@link assertValidReceivedEvent}). Integration tests use the real publisher against the real broker.
 */
export function createMemoryPublisher() {
  const records: OutgoingRecord[] = [];
  return {
    records,
    down: false,
    async publishAll(batch: OutgoingRecord[]): Promise<void> {
      if (this.down) throw new RetryableOutage("kafka", { message: "no broker acknowledgement (test)" });
      for (const record of batch) assertValidReceivedEvent(record);
      records.push(...batch);
    },
  };
}

/** An evidence store in memory with the real store's checksum rule; integration tests use real S3. */
export function createMemoryEvidenceStore() {
  const objects = new Map<string, StoredEvidence & { body: Uint8Array }>();
  return {
    objects,
    async put(options: { body: Uint8Array; contentType: string; expectedSha256?: string }): Promise<StoredEvidence> {
      const sha256 = sha256Hex(options.body);
      const evidenceId = ulid();
      if (options.expectedSha256 !== undefined && options.expectedSha256.toLowerCase() !== sha256) {
        throw new ChecksumMismatch({ expected: options.expectedSha256, actual: sha256, evidenceId });
      }
      const stored = {
        evidenceId,
        key: `evidence/${evidenceId}`,
        sha256,
        size: options.body.byteLength,
        contentType: options.contentType,
      };
      objects.set(evidenceId, { ...stored, body: options.body });
      return stored;
    },
  };
}

/** The issuer every edge unit test trusts: one throwaway key pair per test process. */
export const testTokens = createTestTokens();

/** Bearer header value for a test caller. */
export function bearerFor(scopes: Scope[], subject = "operator-1"): Promise<string> {
  return testTokens.bearer(scopes, subject);
}

let shippedCodes: CategoryCodes | undefined;

/** The taxonomy of the shipped directory, which the edges and the router read when `DIRECTORY_FILE` is unset. */
export function shippedCategoryCodes(): CategoryCodes {
  shippedCodes ??= categoryCodesOf(
    parseDirectoryFile({ path: defaultDirectoryPath, text: readFileSync(defaultDirectoryPath, "utf8") }),
  );
  return shippedCodes;
}

/**
 * Edge dependencies with fresh keys and throwaway stores; override what a test needs.
 *
 * @example
 * const deps = createTestEdgeDeps({ publisher: createMemoryPublisher() });
 */
export function createTestEdgeDeps(overrides: Partial<EdgeDeps> & { logger?: Logger } = {}): EdgeDeps {
  const hashKey = randomBytes(32);
  return {
    publisher: createMemoryPublisher(),
    evidence: createMemoryEvidenceStore(),
    sealer: createIdentitySealer({ keys: { k1: randomBytes(32) }, activeKeyId: "k1", hashKey }),
    receiptCodes: createReceiptCodes({ secret: hashKey }),
    idempotency: createIdempotencyStore({ ttlMs: 60_000, maxEntries: 1_000 }),
    logger: pino({ level: "silent" }),
    clock: () => new Date(),
    verifier: createTokenVerifier(testTokens.verification),
    categoryCodes: shippedCategoryCodes,
    ...overrides,
  };
}

/**
 * Text the ledger could not store, each with a word around it that must not come back in the 400 (DESIGN §8: the
 * problem names the field, never the value): NUL, a lone surrogate, a C0 control (BEL), a C1 control.
 */
export const UNSTORABLE_TEXT: Readonly<Record<string, string>> = {
  NUL: "秘密\u0000内容",
  "lone surrogate": "秘密\ud800内容",
  BEL: "秘密\u0007内容",
  C1: "秘密\u009f内容",
};

/** Text every edge accepts as it is: tab and newline, an emoji (a surrogate pair), CJK and full-width letters. */
export const STORABLE_TEXT: readonly string[] = ["第一行\n\t第二行", "办事太难了😡👎", "反映城关镇ＡＢＣ窗口"];
