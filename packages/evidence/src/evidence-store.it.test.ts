import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createTestEvidenceStore, testInfra } from "@clueline/testing";
import { describe, expect, it } from "vitest";
import { ChecksumMismatch, createEvidenceStore, EvidenceNotFound, sha256Hex } from "./evidence-store.js";

const recording = new TextEncoder().encode("RIFF…12388 call recording…");

describe("evidence store against the real S3-compatible store", () => {
  it("stores bytes with their SHA-256 and verifies them on read", async () => {
    const store = await createTestEvidenceStore();
    const stored = await store.put({ body: recording, contentType: "audio/wav", expectedSha256: sha256Hex(recording) });
    expect(stored.sha256).toBe(sha256Hex(recording));
    expect(stored.key).toMatch(/evidence\/[0-9A-Z]{26}$/);
    const read = await store.get(stored.evidenceId);
    expect(Buffer.from(read.body).equals(Buffer.from(recording))).toBe(true);
    expect(read.contentType).toBe("audio/wav");
  });

  it("refuses an upload whose stated checksum does not match, storing nothing", async () => {
    const store = await createTestEvidenceStore();
    await expect(store.put({ body: recording, contentType: "audio/wav", expectedSha256: "0".repeat(64) })).rejects.toBeInstanceOf(
      ChecksumMismatch,
    );
  });

  it("refuses to serve an object whose bytes no longer match the recorded checksum", async () => {
    const store = await createTestEvidenceStore();
    const stored = await store.put({ body: recording, contentType: "audio/wav" });
    // Tamper with the object behind the store's back, keeping the checksum recorded at upload.
    await store.client.send(
      new PutObjectCommand({
        Bucket: testInfra().s3.bucket,
        Key: stored.key,
        Body: new TextEncoder().encode("forged"),
        Metadata: { sha256: stored.sha256 },
      }),
    );
    await expect(store.get(stored.evidenceId)).rejects.toBeInstanceOf(ChecksumMismatch);
  });

  it("serves a presigned download URL and reports unknown ids", async () => {
    const store = await createTestEvidenceStore();
    const stored = await store.put({ body: recording, contentType: "audio/wav" });
    const response = await fetch(await store.presign(stored.evidenceId));
    expect(response.status).toBe(200);
    expect(sha256Hex(new Uint8Array(await response.arrayBuffer()))).toBe(stored.sha256);
    await expect(store.get("01HZZZZZZZZZZZZZZZZZZZZZZZ")).rejects.toBeInstanceOf(EvidenceNotFound);
    await expect(store.get("../../etc/passwd")).rejects.toBeInstanceOf(EvidenceNotFound);
  });
});

describe("bucket bootstrap", () => {
  it("survives several services creating the same bucket at once", async () => {
    const { s3 } = testInfra();
    const bucket = `race-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;
    const stores = Array.from({ length: 4 }, () => createEvidenceStore({ ...s3, bucket }));
    await Promise.all(stores.map((store) => store.ensureBucket()));
    await Promise.all(stores.map((store) => store.ping()));
  });
});
