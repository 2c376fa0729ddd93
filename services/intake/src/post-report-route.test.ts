import { intakeReceivedTopic } from "@clueline/contracts";
import { bearerFor, createMemoryEvidenceStore, mediaSamples } from "@clueline/edge/testing";
import { hashReceiptCode } from "@clueline/identity";
import { createCapturingLogger } from "@clueline/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildIntake, sampleReport } from "./test-support.js";

const writer = await bearerFor(["complaint:write"], "intake-web");
const eventOf = (record: { key: string | null; value: Buffer | string | null; headers: Record<string, string> } | undefined) =>
  intakeReceivedTopic.parse({ key: record?.key ?? null, value: record?.value ?? null, headers: record?.headers ?? {} });

describe("POST /v1/reports", () => {
  it("accepts each form, with service-hall and special-supervisor details", async () => {
    const { post, publisher } = buildIntake();
    const hall = { hall: "区政务服务中心", window: "12", date: "2024-05-06" };
    for (const report of [
      sampleReport(),
      sampleReport({ form: "app" }),
      sampleReport({ form: "service-hall", serviceHall: hall }),
      sampleReport({ form: "special-supervisor", supervisorId: "sup-3" }),
      sampleReport({ form: "letter", evidence: [{ evidenceId: "01JB8Z6Q3V4W5X6Y7Z8A9B0C1D", sha256: "a".repeat(64) }] }),
    ]) {
      expect((await post("/v1/reports", report, { authorization: writer })).status).toBe(202);
    }
    const events = publisher.records.map(eventOf);
    expect(events.map((e) => e.data.form)).toEqual(["web", "app", "service-hall", "special-supervisor", "letter"]);
    expect(events[2]?.data.serviceHall).toEqual(hall);
    expect(events[3]?.data.supervisorId).toBe("sup-3");
    expect(events.every((e) => e.attributes.source === "/clueline/intake")).toBe(true);
  });

  it("asks for the details a form needs, naming the field", async () => {
    const { post } = buildIntake();
    const hall = await post("/v1/reports", sampleReport({ form: "service-hall", text: "" }), { authorization: writer });
    expect(((await hall.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual([
      "serviceHall",
      "text",
    ]);
    const supervisor = await post("/v1/reports", sampleReport({ form: "special-supervisor" }), { authorization: writer });
    expect(((await supervisor.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["supervisorId"]);
  });

  it("hands an anonymous reporter a receipt code once, publishing only its hash", async () => {
    const { post, publisher } = buildIntake();
    const response = await post("/v1/reports", sampleReport({ reporter: { kind: "anonymous" } }), { authorization: writer });
    const { receiptCode } = (await response.json()) as { receiptCode: string };
    const reporter = eventOf(publisher.records[0]).data.reporter;
    expect(reporter).toEqual({ kind: "anonymous", receiptHash: hashReceiptCode(receiptCode) });
  });

  it("needs complaint:write; logs and errors carry no identity", async () => {
    const { logger, lines } = createCapturingLogger("intake");
    const { post } = buildIntake({ logger });
    expect((await post("/v1/reports", sampleReport(), {})).status).toBe(401);
    expect((await post("/v1/reports", sampleReport(), { authorization: await bearerFor(["unit:dc"]) })).status).toBe(403);
    expect((await post("/v1/reports", sampleReport(), { authorization: writer })).status).toBe(202);
    const bad = await post(
      "/v1/reports",
      sampleReport({ reporter: { kind: "real-name", name: "李四", phone: "139-0000-1111#2" } }),
      {
        authorization: writer,
      },
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toMatch(/李四|0000-1111/);
    expect(lines.join("\n")).not.toMatch(/李四|13900001111|139-0000-1111/);
  });

  it("never answers a random body with a 5xx (property)", async () => {
    const { post } = buildIntake();
    const field = fc.constantFrom("form", "text", "reporter", "serviceHall", "supervisorId", "subjects", "evidence");
    const mutated = fc.record({ field, value: fc.jsonValue() }).map(({ field, value }) => sampleReport({ [field]: value }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), mutated), async (body) => {
        expect((await post("/v1/reports", body, { authorization: writer })).status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });
});

describe("POST /v1/attachments", () => {
  it("stores images and PDFs with their SHA-256 under the type their bytes show, and refuses other types", async () => {
    const evidence = createMemoryEvidenceStore();
    const { app } = buildIntake({ evidence });
    const upload = (body: Uint8Array, type: string) =>
      app.request("/v1/attachments", { method: "POST", body, headers: { authorization: writer, "content-type": type } });
    const cases = [
      [mediaSamples.pdf, "application/pdf", "application/pdf"],
      [mediaSamples.jpeg, "image/jpg", "image/jpeg"],
      [mediaSamples.png, "image/png", "image/png"],
      [mediaSamples.webp, "image/webp", "image/webp"],
      [mediaSamples.heic, "image/heic", "image/heic"],
    ] as const;
    for (const [body, declared, detected] of cases) {
      const stored = await upload(body, declared);
      expect(stored.status, declared).toBe(201);
      const { evidenceId, contentType } = (await stored.json()) as { evidenceId: string; contentType: string };
      expect(evidenceId).toMatch(/^[0-9A-Z]{26}$/);
      expect(contentType).toBe(detected);
      expect(evidence.objects.get(evidenceId)?.contentType).toBe(detected);
    }
    expect((await upload(mediaSamples.pdf, "audio/mpeg")).status).toBe(415);
    const html = await upload(mediaSamples.html, "image/png");
    expect(html.status).toBe(415);
    expect(((await html.json()) as { detail: string }).detail).toBe(
      "Declared image/png, but the bytes are of no recognised type. Nothing was stored.",
    );
    expect((await upload(mediaSamples.png, "application/pdf")).status).toBe(415);
    expect(evidence.objects.size).toBe(cases.length);
  });
});
