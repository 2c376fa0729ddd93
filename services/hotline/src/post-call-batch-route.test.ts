import { bearerFor } from "@clueline/edge/testing";
import { describe, expect, it } from "vitest";
import { BATCH_MAX_RECORDS } from "./post-call-batch-route.js";
import { buildHotline, sampleCall } from "./test-support.js";

const writer = await bearerFor(["complaint:write"]);
interface BatchAnswer {
  accepted: number;
  refused: number;
  results: { index: number; status: number; complaintId?: string; receiptCode?: string; errors?: { path: string }[] }[];
}

describe("POST /v1/calls/batch", () => {
  it("answers each record on its own and publishes the valid ones together", async () => {
    const { post, publisher } = buildHotline();
    let calls = 0;
    const publishAll = publisher.publishAll.bind(publisher);
    publisher.publishAll = async (records) => {
      calls++;
      await publishAll(records);
    };
    const records = [
      sampleCall(),
      sampleCall({ line: "911", reporter: { kind: "real-name", name: "张三" } }),
      sampleCall({ reporter: { kind: "anonymous" } }),
    ];
    const response = await post("/v1/calls/batch", { records }, { authorization: writer });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as BatchAnswer;
    expect(answer).toMatchObject({ accepted: 2, refused: 1 });
    expect(answer.results.map((r) => r.status)).toEqual([202, 400, 202]);
    expect(answer.results[1]?.errors?.map((e) => e.path).sort()).toEqual(["line", "reporter.phone"]);
    expect(JSON.stringify(answer)).not.toContain("张三");
    expect(answer.results[2]?.receiptCode).toBeTruthy();
    expect(publisher.records.map((r) => r.key)).toEqual([answer.results[0]?.complaintId, answer.results[2]?.complaintId]);
    expect(calls).toBe(1);
  });

  it("is bounded, and idempotent as a whole with a stable id per record", async () => {
    const { post, publisher } = buildHotline();
    const tooMany = Array.from({ length: BATCH_MAX_RECORDS + 1 }, () => sampleCall());
    expect((await post("/v1/calls/batch", { records: tooMany }, { authorization: writer })).status).toBe(400);
    expect((await post("/v1/calls/batch", { records: [] }, { authorization: writer })).status).toBe(400);
    const headers = { authorization: writer, "idempotency-key": "batch-1" };
    const records = [sampleCall(), sampleCall({ callId: "C-2" })];
    const first = (await (await post("/v1/calls/batch", { records }, headers)).json()) as BatchAnswer;
    const again = (await (await post("/v1/calls/batch", { records }, headers)).json()) as BatchAnswer;
    expect(again).toEqual(first);
    expect(new Set(first.results.map((r) => r.complaintId)).size).toBe(2);
    expect(publisher.records).toHaveLength(2);
  });

  it("accepts nothing when Kafka is down", async () => {
    const { post, publisher } = buildHotline();
    publisher.down = true;
    const response = await post("/v1/calls/batch", { records: [sampleCall()] }, { authorization: writer });
    expect(response.status).toBe(503);
  });
});
