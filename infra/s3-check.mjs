// Does @aws-sdk/client-s3 (as the services configure it: SigV4, path-style) work
// against the local S3Proxy? Exercises bucket create/head/list, put/get/head of
// small and streamed objects with user metadata, a multipart upload, ranged
// get, list with prefix, copy, delete — the operations an evidence store needs.
// Creates and removes its own bucket. Exit code 0 = all passed.
//
// Usage: node infra/s3-check.mjs   (S3_* env vars, else .data/infra.env, else the local defaults)

import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Readable } from "node:stream";

const require = createRequire(new URL("../package.json", import.meta.url));
const s3sdk = require("@aws-sdk/client-s3");
const {
  S3Client,
  CreateBucketCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteBucketCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  CompleteMultipartUploadCommand,
} = s3sdk;

let fileEnv = {};
try {
  const text = readFileSync(new URL("../.data/infra.env", import.meta.url), "utf8");
  fileEnv = Object.fromEntries(
    text
      .split("\n")
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
} catch {}
const env = (k, d) => process.env[k] ?? fileEnv[k] ?? d;

const endpoint = env("S3_ENDPOINT", "http://127.0.0.1:19000");
const s3 = new S3Client({
  endpoint,
  region: env("S3_REGION", "us-east-1"),
  forcePathStyle: env("S3_FORCE_PATH_STYLE", "true") === "true",
  credentials: {
    accessKeyId: env("S3_ACCESS_KEY_ID", "clueline"),
    secretAccessKey: env("S3_SECRET_ACCESS_KEY", "clueline-secret"),
  },
});

const results = [];
async function step(name, fn) {
  const t0 = Date.now();
  try {
    const note = await fn();
    results.push(true);
    console.log(`  ok   ${name}${note ? ` — ${note}` : ""} (${Date.now() - t0} ms)`);
  } catch (err) {
    results.push(false);
    console.log(`  FAIL ${name}: ${err?.name}: ${err?.message} ${err?.$metadata ? JSON.stringify(err.$metadata) : ""}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}
const sha = (b) => createHash("sha256").update(b).digest("hex");

console.log(`@aws-sdk/client-s3 ${require("@aws-sdk/client-s3/package.json").version} against ${endpoint}`);
const Bucket = `s3-check-${randomUUID().slice(0, 8)}`;
const small = Buffer.from('{"hello":"线索"}');
const big = Buffer.alloc(6 * 1024 * 1024 + 123, 7); // > 5 MiB: a real multipart part

await step("CreateBucket / HeadBucket / ListBuckets", async () => {
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new HeadBucketCommand({ Bucket }));
  const { Buckets } = await s3.send(new ListBucketsCommand({}));
  assert(
    Buckets.some((b) => b.Name === Bucket),
    "bucket not listed",
  );
});

await step("PutObject (buffer, content-type, user metadata) + GetObject + HeadObject", async () => {
  await s3.send(
    new PutObjectCommand({
      Bucket,
      Key: "evidence/a.json",
      Body: small,
      ContentType: "application/json",
      Metadata: { "case-id": "c-1", sha256: sha(small) },
    }),
  );
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "evidence/a.json" }));
  const body = Buffer.from(await got.Body.transformToByteArray());
  assert(body.equals(small), "body differs");
  assert(got.ContentType === "application/json", `content-type ${got.ContentType}`);
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "evidence/a.json" }));
  assert(head.Metadata["case-id"] === "c-1" && head.Metadata.sha256 === sha(small), `metadata ${JSON.stringify(head.Metadata)}`);
  assert(head.ContentLength === small.length, "length");
  return `etag ${head.ETag}`;
});

await step("PutObject with a stream body (ContentLength given) + ranged GetObject", async () => {
  await s3.send(
    new PutObjectCommand({
      Bucket,
      Key: "evidence/big.bin",
      Body: Readable.from([big.subarray(0, 1 << 20), big.subarray(1 << 20)]),
      ContentLength: big.length,
    }),
  );
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "evidence/big.bin", Range: "bytes=10-19" }));
  const part = Buffer.from(await got.Body.transformToByteArray());
  assert(part.length === 10 && part.equals(big.subarray(10, 20)), "range content");
});

await step("multipart upload (2 parts) + GetObject", async () => {
  const Key = "evidence/multi.bin";
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const p1 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: big }));
  const p2 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: small }));
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket,
      Key,
      UploadId,
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: p1.ETag },
          { PartNumber: 2, ETag: p2.ETag },
        ],
      },
    }),
  );
  const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
  const body = Buffer.from(await got.Body.transformToByteArray());
  assert(sha(body) === sha(Buffer.concat([big, small])), "multipart content differs");
});

await step("CopyObject + ListObjectsV2 (prefix) + DeleteObject(s)", async () => {
  await s3.send(new CopyObjectCommand({ Bucket, Key: "copy/a.json", CopySource: `${Bucket}/evidence/a.json` }));
  const list = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: "evidence/" }));
  const keys = (list.Contents ?? []).map((o) => o.Key).sort();
  assert(JSON.stringify(keys) === JSON.stringify(["evidence/a.json", "evidence/big.bin", "evidence/multi.bin"]), `keys ${keys}`);
  await s3.send(new DeleteObjectCommand({ Bucket, Key: "copy/a.json" }));
  await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
  const after = await s3.send(new ListObjectsV2Command({ Bucket }));
  assert((after.KeyCount ?? 0) === 0, "objects left");
});

await step("GetObject of a missing key is NoSuchKey; DeleteBucket", async () => {
  try {
    await s3.send(new GetObjectCommand({ Bucket, Key: "nope" }));
    throw new Error("expected NoSuchKey");
  } catch (err) {
    assert(err.name === "NoSuchKey", `got ${err.name}`);
  }
  await s3.send(new DeleteBucketCommand({ Bucket }));
});

const failed = results.filter((r) => !r).length;
console.log(failed ? `FAILED ${failed}/${results.length}` : `all ${results.length} checks passed`);
process.exit(failed ? 1 : 0);
