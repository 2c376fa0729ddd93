import type { OutgoingRecord } from "@clueline/bus";
import { hotlineReceivedTopic } from "@clueline/contracts";
import { bearerFor, STORABLE_TEXT, UNSTORABLE_TEXT } from "@clueline/edge/testing";
import { describe, expect, it } from "vitest";
import { buildHotline, sampleCall } from "./test-support.js";

const writer = await bearerFor(["complaint:write"]);
const eventOf = (record: OutgoingRecord | undefined) =>
  hotlineReceivedTopic.parse({ key: record?.key ?? null, value: record?.value ?? null, headers: record?.headers ?? {} }).data;
const reporter = { kind: "real-name", name: "张三", phone: "13800138000", idNumber: "11010519491231002X" };

/** Each string field of a call record, and how to put a value into it. */
const FIELDS: Record<string, (value: string) => Record<string, unknown>> = {
  summary: (value) => ({ summary: value }),
  callId: (value) => ({ callId: value }),
  operatorId: (value) => ({ operatorId: value }),
  "reporter.name": (value) => ({ reporter: { ...reporter, name: value } }),
  "reporter.phone": (value) => ({ reporter: { ...reporter, phone: value } }),
  "reporter.idNumber": (value) => ({ reporter: { ...reporter, idNumber: value } }),
  "subjects.persons.0.name": (value) => ({ subjects: { persons: [{ name: value }] } }),
  "subjects.persons.0.rank": (value) => ({ subjects: { persons: [{ rank: value }] } }),
};

describe("hotline text rules (DESIGN §8: what an edge accepts, the ledger can store)", () => {
  for (const [field, put] of Object.entries(FIELDS)) {
    it.each(Object.entries(UNSTORABLE_TEXT))(`refuses %s in ${field} with a 400 naming the field`, async (_, value) => {
      const { post, publisher } = buildHotline();
      const response = await post("/v1/calls", sampleCall(put(value)), { authorization: writer });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect((JSON.parse(text) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(field);
      expect(text).not.toContain("秘密");
      expect(publisher.records).toHaveLength(0);
    });
  }

  it.each(STORABLE_TEXT)("accepts %j in the summary as written", async (value) => {
    const { post, publisher } = buildHotline();
    expect((await post("/v1/calls", sampleCall({ summary: value }), { authorization: writer })).status).toBe(202);
    expect(eventOf(publisher.records[0]).summary).toBe(value);
  });

  it("turns CRLF into LF, and refuses a carriage return on its own", async () => {
    const { post, publisher } = buildHotline();
    expect((await post("/v1/calls", sampleCall({ summary: "第一行\r\n第二行" }), { authorization: writer })).status).toBe(202);
    expect(eventOf(publisher.records[0]).summary).toBe("第一行\n第二行");
    expect((await post("/v1/calls", sampleCall({ summary: "第一行\r第二行" }), { authorization: writer })).status).toBe(400);
  });

  it("answers a bad item of a batch with its field, and accepts the others", async () => {
    const { post, publisher } = buildHotline();
    const records = [sampleCall({ summary: UNSTORABLE_TEXT.NUL }), sampleCall()];
    const response = await post("/v1/calls/batch", { records }, { authorization: writer });
    const body = (await response.json()) as { results: { status: number; errors?: { path: string }[] }[] };
    expect(body.results.map((r) => r.status)).toEqual([400, 202]);
    expect(body.results[0]?.errors?.map((e) => e.path)).toEqual(["summary"]);
    expect(publisher.records).toHaveLength(1);
  });
});

describe("hotline scrubbing (DESIGN §8: free text is scrubbed before it leaves the edge)", () => {
  it("takes the caller's name, phone and ID number out of the summary and the persons, and seals the originals", async () => {
    const { post, publisher, deps } = buildHotline();
    const summary = "我是张 三，电话幺三八 零零幺三 八零零零，身份证110105-19491231-002x，2026年11月20日被索要3000元";
    const call = sampleCall({ summary, subjects: { persons: [{ name: "张三" }, { name: "王某", rank: "section-chief" }] } });
    const response = await post("/v1/calls", call, { authorization: writer });
    const { complaintId } = (await response.json()) as { complaintId: string };
    const event = eventOf(publisher.records[0]);
    expect(event.summary).toBe("我是[举报人]，电话[联系方式]，身份证[联系方式]，2026年11月20日被索要3000元");
    expect(event.subjects?.persons).toEqual([{ name: "[举报人]" }, { name: "王某", rank: "section-chief" }]);
    expect(String(publisher.records[0]?.value)).not.toMatch(/张|幺三八|19491231/);
    const sealed = event.sealedOriginal;
    if (!sealed) throw new Error("expected the original text sealed");
    expect(deps.sealer.openOriginal(sealed, { complaintId })).toEqual({ summary, "subjects.persons.0.name": "张三" });
    expect(() => deps.sealer.openOriginal(sealed, { complaintId: "another-complaint" })).toThrow();
  });

  it("scrubs contacts for an anonymous caller too, and seals nothing when nothing was scrubbed", async () => {
    const { post, publisher } = buildHotline();
    const anonymous = { reporter: { kind: "anonymous" } };
    await post("/v1/calls", sampleCall({ ...anonymous, summary: "请打 ０５７１－８７６５４３２１ 找我" }), {
      authorization: writer,
    });
    await post("/v1/calls", sampleCall({ ...anonymous }), { authorization: writer });
    const [scrubbed, plain] = publisher.records.map(eventOf);
    expect(scrubbed?.summary).toBe("请打 [联系方式] 找我");
    expect(scrubbed?.sealedOriginal?.v).toBe(2);
    expect(plain?.summary).toBe(sampleCall().summary);
    expect(plain?.sealedOriginal).toBeUndefined();
  });
});
