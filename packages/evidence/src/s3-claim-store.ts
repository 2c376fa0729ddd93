import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { RetryableOutage } from "@clueline/contracts/errors";
import { createS3Client, type S3Settings } from "./s3-client.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]*(?:\/[A-Za-z0-9._:-]+)*$/;

/** A name that would make an unsafe or ambiguous key; names are made by code, so this is a bug, not bad input. */
export class InvalidClaimName extends Error {
  override readonly name = "InvalidClaimName";
}

/** Remembers names once each until they expire: `claim` is true for the first caller only, in any process. */
export interface ClaimStore {
  claim(options: { name: string; expiresAt: Date }): Promise<boolean>;
  /** Gives a claim back (its work failed), so the same name can be claimed again. */
  release(options: { name: string; expiresAt: Date }): Promise<void>;
}

/**
 * Claims kept as empty S3 objects, created with `If-None-Match: *`, so exactly one creator wins even across
 * processes and restarts (AWS S3 since 2024; S3Proxy 4.1 answers 412 as well: of 20 racing creates in each of 10
 * rounds, exactly one succeeded). The key holds the expiry rounded up to `granularitySeconds`, so a claim's key
 * is a function of its name and expiry alone, and {@link sweep} deletes whole expired prefixes without reading
 * any object: S3Proxy has no lifecycle rules to do it.
 *
 * @example
 * const claims = createS3ClaimStore({ settings, prefix: "webhook-replay/" });
 * if (!(await claims.claim({ name: `${sender}/${signature}`, expiresAt }))) refuseReplay();
 */
export function createS3ClaimStore(options: { settings: S3Settings; prefix: string; granularitySeconds?: number }) {
  const client: S3Client = createS3Client(options.settings);
  const bucket = options.settings.bucket;
  const base = `${options.settings.prefix ?? ""}${options.prefix}`;
  const granularity = options.granularitySeconds ?? 60;

  /** Seconds since the epoch, 12 digits: prefixes sort by time until the year 33658. */
  const slotOf = (expiresAt: Date) => String(Math.ceil(expiresAt.getTime() / 1000 / granularity) * granularity).padStart(12, "0");

  function keyOf(name: string, expiresAt: Date): string {
    if (!NAME.test(name) || name.length > 512) throw new InvalidClaimName(`not a claim name: ${JSON.stringify(name)}`);
    return `${base}${slotOf(expiresAt)}/${name}`;
  }

  async function call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof S3ServiceException && error.$fault === "client") throw error;
      throw new RetryableOutage("s3", { cause: error });
    }
  }

  return {
    client,
    async claim(claim: { name: string; expiresAt: Date }): Promise<boolean> {
      const key = keyOf(claim.name, claim.expiresAt);
      return call(async () => {
        try {
          await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "", IfNoneMatch: "*" }));
          return true;
        } catch (error) {
          // 412: the object exists. 409: AWS S3's answer while a racing conditional write is still in flight.
          const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
          if (status === 412 || status === 409) return false;
          throw error;
        }
      });
    },
    async release(claim: { name: string; expiresAt: Date }): Promise<void> {
      const key = keyOf(claim.name, claim.expiresAt);
      await call(() => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
    },
    /**
     * Deletes every claim whose slot ended by `now`; returns how many. Keys list in slot order, so the listing
     * stops at the first live slot. Safe to run from several processes at once.
     */
    async sweep(now: Date): Promise<number> {
      let deleted = 0;
      let token: string | undefined;
      do {
        const page = await call(() =>
          client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: base, ContinuationToken: token })),
        );
        for (const { Key: key } of page.Contents ?? []) {
          if (key === undefined) continue;
          if (Number(key.slice(base.length, base.length + 12)) * 1000 > now.getTime()) return deleted;
          await call(() => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
          deleted++;
        }
        token = page.NextContinuationToken;
      } while (token !== undefined);
      return deleted;
    },
    close(): void {
      client.destroy();
    },
  };
}

export type S3ClaimStore = ReturnType<typeof createS3ClaimStore>;
