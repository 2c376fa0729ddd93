// Readiness probe for S3Proxy, used by infra/up.sh: a SigV4-signed ListBuckets
// with the same client and settings the services use (@aws-sdk/client-s3,
// forcePathStyle). Success proves the HTTP server is up AND the credentials and
// the filesystem backend work. Retries until the deadline.
//
// Usage: node infra/s3-ready.mjs <endpoint> <accessKey> <secretKey> [timeoutSeconds]
import { createRequire } from "node:module";

const require = createRequire(new URL("../package.json", import.meta.url));
const { S3Client, ListBucketsCommand } = require("@aws-sdk/client-s3");

const [endpoint, accessKeyId, secretAccessKey, timeout = "60"] = process.argv.slice(2);
const deadline = Date.now() + Number(timeout) * 1000;

const s3 = new S3Client({
  endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId, secretAccessKey },
  maxAttempts: 1,
});

let lastError;
while (Date.now() < deadline) {
  try {
    await s3.send(new ListBucketsCommand({}));
    process.exit(0);
  } catch (err) {
    lastError = err;
    await new Promise((r) => setTimeout(r, 300));
  }
}
console.error(`S3 at ${endpoint} not ready: ${lastError?.name}: ${lastError?.message}`);
process.exit(1);
