import { intakeReceivedTopic } from "@clueline/contracts";
import { bearerFor } from "@clueline/edge/testing";
import { describe, expect, it } from "vitest";
import { buildIntake, sampleReport } from "./test-support.js";

const writer = await bearerFor(["complaint:write"], "intake-web");

describe("categoryHints on POST /v1/reports (issue 19: checked against the directory's taxonomy)", () => {
  it("accepts codes of the shipped directory, no hints and an empty list", async () => {
    const { post, publisher } = buildIntake();
    for (const categoryHints of [["approval-delay", "repeated-paperwork"], undefined, []]) {
      expect((await post("/v1/reports", sampleReport({ categoryHints }), { authorization: writer })).status).toBe(202);
    }
    const [first] = publisher.records;
    const event = intakeReceivedTopic.parse({
      key: first?.key ?? null,
      value: first?.value ?? null,
      headers: first?.headers ?? {},
    });
    expect(event.data.categoryHints).toEqual(["approval-delay", "repeated-paperwork"]);
  });

  it("refuses an unknown code with a 400 naming the field, its index and the code; nothing is published", async () => {
    const { post, publisher } = buildIntake();
    const response = await post("/v1/reports", sampleReport({ categoryHints: ["slow-approval"] }), { authorization: writer });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const { errors } = (await response.json()) as { errors: { path: string; reason: string }[] };
    expect(errors).toEqual([{ path: "categoryHints.0", reason: expect.stringContaining('unknown category "slow-approval"') }]);
    expect(publisher.records).toHaveLength(0);
  });

  it("checks against the codes the edge is given, not a fixed list", async () => {
    const { post } = buildIntake({ categoryCodes: () => new Set(["slow-approval"]) });
    const answer = async (categoryHints: string[]) =>
      (await post("/v1/reports", sampleReport({ categoryHints }), { authorization: writer })).status;
    expect(await answer(["slow-approval"])).toBe(202);
    expect(await answer(["approval-delay"])).toBe(400);
  });
});
