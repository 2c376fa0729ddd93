import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { createTestEvidenceStore, testInfra, uniqueName } from "@clueline/testing";
import { describe, expect, it } from "vitest";
import { createS3ClaimStore, InvalidClaimName } from "./s3-claim-store.js";

async function claimStores() {
  await createTestEvidenceStore(); // makes sure the test bucket exists
  const settings = { ...testInfra().s3, prefix: `${uniqueName("claims")}/` };
  const open = () => createS3ClaimStore({ settings, prefix: "replay/", granularitySeconds: 60 });
  const first = open();
  const keys = async () => {
    const listed = await first.client.send(new ListObjectsV2Command({ Bucket: settings.bucket, Prefix: settings.prefix }));
    return (listed.Contents ?? []).map((object) => object.Key?.slice(settings.prefix.length));
  };
  return { first, open, keys };
}

describe("S3 claim store against the real S3-compatible store", () => {
  it("grants a name once, also to a new instance after a restart, and again once released", async () => {
    const { first, open } = await claimStores();
    const claim = { name: "monitor-a/5f3c", expiresAt: new Date("2030-01-01T00:05:00Z") };
    expect(await first.claim(claim)).toBe(true);
    expect(await first.claim(claim)).toBe(false);
    const restarted = open();
    expect(await restarted.claim(claim)).toBe(false);
    expect(await restarted.claim({ ...claim, name: "monitor-b/5f3c" })).toBe(true);
    await restarted.release(claim);
    expect(await first.claim(claim)).toBe(true);
  });

  it("lets exactly one of many racing claims win", async () => {
    const { first, open } = await claimStores();
    const claim = { name: "monitor-a/race", expiresAt: new Date("2030-01-01T00:05:00Z") };
    const stores = [first, open(), open()];
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => stores[n % 3]?.claim(claim)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("sweeps claims whose slot has ended and keeps live ones", async () => {
    const { first, keys } = await claimStores();
    const now = new Date("2030-01-01T00:10:00Z");
    await first.claim({ name: "a/old", expiresAt: new Date("2030-01-01T00:04:30Z") });
    await first.claim({ name: "b/ended", expiresAt: new Date("2030-01-01T00:10:00Z") });
    await first.claim({ name: "c/live", expiresAt: new Date("2030-01-01T00:10:01Z") });
    expect(await first.sweep(now)).toBe(2);
    expect(await keys()).toEqual(["replay/001893456660/c/live"]);
    expect(await first.sweep(now)).toBe(0);
  });

  it("refuses a name that would make an unsafe key", async () => {
    const { first } = await claimStores();
    await expect(first.claim({ name: "../evidence/x", expiresAt: new Date() })).rejects.toBeInstanceOf(InvalidClaimName);
  });
});
