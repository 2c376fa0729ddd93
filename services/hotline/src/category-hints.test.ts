import { hotlineReceivedTopic } from "@clueline/contracts";
import { bearerFor, shippedCategoryCodes } from "@clueline/edge/testing";
import { describe, expect, it } from "vitest";
import { buildHotline, sampleCall } from "./test-support.js";

const writer = await bearerFor(["complaint:write"]);
interface Problem {
  status: number;
  type: string;
  errors: { path: string; reason: string }[];
}

describe("categoryHints on POST /v1/calls (issue 19: checked against the directory's taxonomy)", () => {
  it("accepts codes of the shipped directory and carries them to the router", async () => {
    const { post, publisher } = buildHotline();
    const response = await post("/v1/calls", sampleCall({ categoryHints: ["bribe-demand", "approval-delay"] }), {
      authorization: writer,
    });
    expect(response.status).toBe(202);
    const [record] = publisher.records;
    const event = hotlineReceivedTopic.parse({
      key: record?.key ?? null,
      value: record?.value ?? null,
      headers: record?.headers ?? {},
    });
    expect(event.data.categoryHints).toEqual(["bribe-demand", "approval-delay"]);
  });

  it("refuses an unknown code with a 400 naming the field, its index and the code; nothing is published", async () => {
    const { post, publisher } = buildHotline();
    const response = await post("/v1/calls", sampleCall({ categoryHints: ["bribe-demand", "kickbacks"] }), {
      authorization: writer,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as Problem;
    expect(problem.type).toMatch(/\/invalid-request$/);
    expect(problem.errors).toEqual([
      { path: "categoryHints.1", reason: expect.stringContaining('unknown category "kickbacks"') },
    ]);
    expect(JSON.stringify(problem)).not.toMatch(/张三|13800138000/);
    expect(publisher.records).toHaveLength(0);
  });

  it("checks against the directory in force: a code the reloaded file drops is refused from then on", async () => {
    let codes: ReadonlySet<string> = shippedCategoryCodes();
    const { post } = buildHotline({ categoryCodes: () => codes });
    const call = sampleCall({ categoryHints: ["gifts"] });
    expect((await post("/v1/calls", call, { authorization: writer })).status).toBe(202);
    codes = new Set([...codes].filter((code) => code !== "gifts"));
    expect((await post("/v1/calls", { ...call, callId: "C-2" }, { authorization: writer })).status).toBe(400);
  });

  it("replays an accepted call after the directory changed, and lets a refused one through once its code exists", async () => {
    let codes: ReadonlySet<string> = new Set(["gifts"]);
    const { post, publisher } = buildHotline({ categoryCodes: () => codes });
    const accepted = sampleCall({ reporter: { kind: "anonymous" }, categoryHints: ["gifts"] });
    const first = await post("/v1/calls", accepted, { authorization: writer, "idempotency-key": "k-accepted" });
    const refused = sampleCall({ callId: "C-3", reporter: { kind: "anonymous" }, categoryHints: ["banquets"] });
    expect((await post("/v1/calls", refused, { authorization: writer, "idempotency-key": "k-refused" })).status).toBe(400);

    codes = new Set(["banquets"]);
    const replay = await post("/v1/calls", accepted, { authorization: writer, "idempotency-key": "k-accepted" });
    expect(replay.status).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toEqual(await first.json());
    expect((await post("/v1/calls", refused, { authorization: writer, "idempotency-key": "k-refused" })).status).toBe(202);
    expect(publisher.records).toHaveLength(2);
  });
});

describe("categoryHints in the OpenAPI document", () => {
  it("tells callers that each hint is a code of the directory's taxonomy and unknown codes are refused", async () => {
    const { app } = buildHotline();
    const doc = (await (await app.request("/openapi.json")).json()) as {
      components: { schemas: { CallRecord: { properties: { categoryHints: { description: string } } } } };
    };
    const { description } = doc.components.schemas.CallRecord.properties.categoryHints;
    expect(description).toContain("category code of the directory's taxonomy");
    expect(description).toContain("unknown codes are refused");
  });
});

describe("categoryHints on POST /v1/calls/batch", () => {
  it("refuses only the record with an unknown code, naming it within that record", async () => {
    const { post, publisher } = buildHotline();
    const records = [
      sampleCall({ categoryHints: ["official-car-misuse"] }),
      sampleCall({ callId: "C-2", categoryHints: ["no-such-code", "gifts", "Gifts"] }),
      sampleCall({ callId: "C-3", categoryHints: ["no-such-code"] }),
      sampleCall({ callId: "C-4" }),
    ];
    const response = await post("/v1/calls/batch", { records }, { authorization: writer });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { accepted: number; results: { status: number; errors?: Problem["errors"] }[] };
    expect(answer.results.map((r) => r.status)).toEqual([202, 400, 400, 202]);
    // A record whose form is already wrong is answered by its schema first, as it would be alone.
    expect(answer.results[1]?.errors?.map((e) => e.path)).toEqual(["categoryHints.2"]);
    expect(answer.results[2]?.errors).toEqual([
      { path: "categoryHints.0", reason: expect.stringContaining('unknown category "no-such-code"') },
    ]);
    expect(publisher.records).toHaveLength(2);
  });
});
