import type { OutgoingRecord } from "@clueline/bus";
import { intakeReceivedTopic } from "@clueline/contracts";
import { bearerFor, STORABLE_TEXT, UNSTORABLE_TEXT } from "@clueline/edge/testing";
import { describe, expect, it } from "vitest";
import { buildIntake, sampleReport } from "./test-support.js";

const writer = await bearerFor(["complaint:write"]);
const eventOf = (record: OutgoingRecord | undefined) =>
  intakeReceivedTopic.parse({ key: record?.key ?? null, value: record?.value ?? null, headers: record?.headers ?? {} }).data;
const hall = { hall: "区政务服务中心", window: "12", date: "2026-11-20" };
const reporter = { kind: "real-name", name: "李四", phone: "+86 139-0000-1111" };

/** Each string field of a report, and how to put a value into it. */
const FIELDS: Record<string, (value: string) => Record<string, unknown>> = {
  text: (value) => ({ text: value }),
  "serviceHall.hall": (value) => ({ form: "service-hall", serviceHall: { ...hall, hall: value } }),
  "serviceHall.window": (value) => ({ form: "service-hall", serviceHall: { ...hall, window: value } }),
  supervisorId: (value) => ({ form: "special-supervisor", supervisorId: value }),
  "reporter.name": (value) => ({ reporter: { ...reporter, name: value } }),
  "subjects.persons.0.name": (value) => ({ subjects: { persons: [{ name: value }] } }),
};

describe("intake text rules (DESIGN §8)", () => {
  for (const [field, put] of Object.entries(FIELDS)) {
    it.each(Object.entries(UNSTORABLE_TEXT))(`refuses %s in ${field} with a 400 naming the field`, async (_, value) => {
      const { post, publisher } = buildIntake();
      const response = await post("/v1/reports", sampleReport(put(value)), { authorization: writer });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect((JSON.parse(text) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(field);
      expect(text).not.toContain("秘密");
      expect(publisher.records).toHaveLength(0);
    });
  }

  it.each(STORABLE_TEXT)("accepts %j in the text and the hall's name as written", async (value) => {
    const { post, publisher } = buildIntake();
    const report = sampleReport({ text: value, form: "service-hall", serviceHall: { ...hall, hall: value } });
    expect((await post("/v1/reports", report, { authorization: writer })).status).toBe(202);
    expect(eventOf(publisher.records[0])).toMatchObject({ text: value, serviceHall: { hall: value } });
  });
});

describe("intake scrubbing (DESIGN §8)", () => {
  it("takes the reporter's name and phone out of the text and the service-hall note, and seals the originals", async () => {
    const { post, publisher, deps } = buildIntake();
    const text = "李四反映：窗口让我留了电话１３９．００００．１１１１，邮箱 lisi@example.com";
    const serviceHall = { ...hall, window: "12号窗口（李 四办理）" };
    const response = await post("/v1/reports", sampleReport({ text, form: "service-hall", serviceHall }), {
      authorization: writer,
    });
    const { complaintId } = (await response.json()) as { complaintId: string };
    const event = eventOf(publisher.records[0]);
    expect(event.text).toBe("[举报人]反映：窗口让我留了电话[联系方式]，邮箱 [联系方式]");
    expect(event.serviceHall?.window).toBe("12号窗口（[举报人]办理）");
    expect(String(publisher.records[0]?.value)).not.toMatch(/李|lisi|１３９/);
    const sealed = event.sealedOriginal;
    if (!sealed) throw new Error("expected the original text sealed");
    expect(deps.sealer.openOriginal(sealed, { complaintId })).toEqual({ text, "serviceHall.window": serviceHall.window });
  });
});
