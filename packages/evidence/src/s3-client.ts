import { S3Client } from "@aws-sdk/client-s3";

export interface S3Settings {
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  bucket: string;
  /** S3Proxy and MinIO need path-style URLs; AWS S3 works with either. */
  forcePathStyle: boolean;
  /** Prefix for every key; tests use it to stay apart in one bucket. */
  prefix?: string;
}

/** The one way clueline makes an S3 client, for evidence and for anything else it keeps in the bucket. */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials:
      settings.accessKeyId && settings.secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined,
    // SDK releases since early 2025 add CRC32 checksums (and aws-chunked trailers) to every upload by default;
    // S3-compatible servers such as S3Proxy reject or mishandle them. Sending checksums only when an operation
    // requires one works on AWS S3, MinIO and S3Proxy alike; evidence integrity is kept by our own SHA-256.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 2,
  });
}
