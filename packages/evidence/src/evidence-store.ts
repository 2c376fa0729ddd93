import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { newId } from "@clueline/contracts";
import { RetryableOutage } from "@clueline/contracts/errors";
import { createS3Client, type S3Settings } from "./s3-client.js";

/** The SHA-256 recorded at upload does not match the bytes (chain of custody broken or upload corrupted). */
export class ChecksumMismatch extends Error {
  override readonly name = "ChecksumMismatch";
  readonly expected: string;
  readonly actual: string;
  constructor(options: { expected: string; actual: string; evidenceId: string }) {
    super(`evidence ${options.evidenceId}: SHA-256 ${options.actual} does not match the recorded ${options.expected}`);
    this.expected = options.expected;
    this.actual = options.actual;
  }
}

export class EvidenceNotFound extends Error {
  override readonly name = "EvidenceNotFound";
}

/** An object larger than the reader agreed to hold in memory; nothing of it was read. */
export class EvidenceTooLarge extends Error {
  override readonly name = "EvidenceTooLarge";
  readonly size: number;
  readonly maxBytes: number;
  constructor(options: { evidenceId: string; size: number; maxBytes: number }) {
    super(`evidence ${options.evidenceId} has ${options.size} bytes, more than ${options.maxBytes}`);
    this.size = options.size;
    this.maxBytes = options.maxBytes;
  }
}

/** What the store says about an object without reading it. */
export interface EvidenceHead {
  size: number;
  contentType: string;
  storedAt: Date | undefined;
}

export interface StoredEvidence {
  evidenceId: string;
  key: string;
  sha256: string;
  size: number;
  contentType: string;
}

const EVIDENCE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const SHA256_META = "sha256";

export function sha256Hex(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

/**
 * Evidence in S3 with a chain of custody: keys are made here from a ULID (never from user input), the SHA-256
 * is computed at upload, stored with the object and checked again on every read.
 *
 * @example
 * const store = createEvidenceStore(settings);
 * await store.ensureBucket();
 * const { evidenceId, sha256 } = await store.put({ body, contentType: "audio/mpeg" });
 */
export function createEvidenceStore(settings: S3Settings) {
  const client = createS3Client(settings);
  const prefix = settings.prefix ?? "";

  function keyOf(evidenceId: string): string {
    if (!EVIDENCE_ID.test(evidenceId)) throw new EvidenceNotFound(`no evidence ${JSON.stringify(evidenceId)}`);
    return `${prefix}evidence/${evidenceId}`;
  }

  async function call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof EvidenceNotFound || error instanceof EvidenceTooLarge) throw error;
      if (error instanceof S3ServiceException && error.$fault === "client") throw error;
      throw new RetryableOutage("s3", { cause: error });
    }
  }

  return {
    client,
    /** Creates the bucket unless it exists; safe on every start. */
    async ensureBucket(): Promise<void> {
      await call(async () => {
        try {
          await client.send(new HeadBucketCommand({ Bucket: settings.bucket }));
        } catch (error) {
          if (!(error instanceof S3ServiceException) || error.$metadata.httpStatusCode !== 404) throw error;
          try {
            await client.send(new CreateBucketCommand({ Bucket: settings.bucket }));
          } catch (createError) {
            // Services starting together race to create it; the loser finds it made, which is all it wanted.
            if (!(createError instanceof S3ServiceException) || createError.name !== "BucketAlreadyOwnedByYou") throw createError;
          }
        }
      });
    },
    /** Lists nothing, proves the store answers: for `/readyz`. */
    async ping(): Promise<void> {
      await call(() => client.send(new HeadBucketCommand({ Bucket: settings.bucket })));
    },
    /** Stores bytes; when the caller states `expectedSha256` and it differs, nothing is stored. */
    async put(options: { body: Uint8Array; contentType: string; expectedSha256?: string }): Promise<StoredEvidence> {
      const sha256 = sha256Hex(options.body);
      const evidenceId = newId();
      if (options.expectedSha256 !== undefined && options.expectedSha256.toLowerCase() !== sha256) {
        throw new ChecksumMismatch({ expected: options.expectedSha256, actual: sha256, evidenceId });
      }
      const key = keyOf(evidenceId);
      await call(() =>
        client.send(
          new PutObjectCommand({
            Bucket: settings.bucket,
            Key: key,
            Body: options.body,
            ContentType: options.contentType,
            Metadata: { [SHA256_META]: sha256 },
          }),
        ),
      );
      return { evidenceId, key, sha256, size: options.body.byteLength, contentType: options.contentType };
    },
    /**
     * Reads an object and verifies it against the SHA-256 recorded with it at upload and, when given, against
     * `expectedSha256` (the ledger's record, which a rewrite of the object and its metadata cannot change).
     * `maxBytes` refuses an object larger than that before its body is read.
     */
    async get(
      evidenceId: string,
      options: { expectedSha256?: string; maxBytes?: number } = {},
    ): Promise<StoredEvidence & { body: Uint8Array }> {
      const key = keyOf(evidenceId);
      const object = await call(async () => {
        try {
          return await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: key }));
        } catch (error) {
          if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) {
            throw new EvidenceNotFound(`no evidence ${evidenceId}`);
          }
          throw error;
        }
      });
      const size = object.ContentLength ?? 0;
      if (options.maxBytes !== undefined && size > options.maxBytes) {
        await object.Body?.transformToWebStream().cancel();
        throw new EvidenceTooLarge({ evidenceId, size, maxBytes: options.maxBytes });
      }
      const body = await call(async () => object.Body?.transformToByteArray());
      if (!body) throw new EvidenceNotFound(`evidence ${evidenceId} has no body`);
      const recorded = object.Metadata?.[SHA256_META] ?? "";
      const actual = sha256Hex(body);
      if (recorded !== actual) throw new ChecksumMismatch({ expected: recorded, actual, evidenceId });
      const expected = options.expectedSha256?.toLowerCase();
      if (expected !== undefined && expected !== actual) throw new ChecksumMismatch({ expected, actual, evidenceId });
      return { evidenceId, key, sha256: actual, size: body.byteLength, contentType: object.ContentType ?? "", body };
    },
    /** Size, type and time of an object, without its body; `undefined` when there is no such object. */
    async head(evidenceId: string): Promise<EvidenceHead | undefined> {
      let key: string;
      try {
        key = keyOf(evidenceId);
      } catch {
        return undefined; // not an id this store could have made
      }
      return call(async () => {
        try {
          const head = await client.send(new HeadObjectCommand({ Bucket: settings.bucket, Key: key }));
          return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? "", storedAt: head.LastModified };
        } catch (error) {
          if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
          if (error instanceof S3ServiceException && error.name === "NotFound") return undefined;
          throw error;
        }
      });
    },
    /** A time-limited download URL, for an inspector's browser. */
    presign(evidenceId: string, expiresInSeconds = 300): Promise<string> {
      const command = new GetObjectCommand({ Bucket: settings.bucket, Key: keyOf(evidenceId) });
      return getSignedUrl(client, command, { expiresIn: expiresInSeconds });
    },
    close(): void {
      client.destroy();
    },
  };
}

export type EvidenceStore = ReturnType<typeof createEvidenceStore>;
