import { bearerFor } from "@clueline/edge/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildHotline, sampleCall } from "./test-support.js";

const writer = await bearerFor(["complaint:write"]);
const { post } = buildHotline();

// Random values in every field of an otherwise valid record reach deep into the schema, where fully random
// JSON stops at the first level.
const mutatedCall = fc
  .record({
    field: fc.constantFrom(...Object.keys(sampleCall()), "reporter.phone", "reporter.kind", "subjects.towns"),
    value: fc.jsonValue(),
  })
  .map(({ field, value }) => {
    const call = structuredClone(sampleCall()) as Record<string, Record<string, unknown>>;
    const [head, tail] = field.split(".") as [string, string | undefined];
    if (tail && typeof call[head] === "object") call[head] = { ...call[head], [tail]: value };
    else (call as Record<string, unknown>)[head] = value;
    return call;
  });

describe("no request body yields a 5xx (property)", () => {
  it("for arbitrary JSON, arbitrary text and mutated call records, on single and batch posts", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.string(),
          mutatedCall,
          fc.array(mutatedCall, { maxLength: 5 }).map((records) => ({ records })),
        ),
        fc.constantFrom("/v1/calls", "/v1/calls/batch"),
        async (body, path) => {
          const response = await post(path, typeof body === "string" ? body : JSON.stringify(body), { authorization: writer });
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never echoes a rejected phone number in the error body", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ minLength: 6, maxLength: 40 })
          .filter((s) => !/^\+?[0-9][0-9 ()-]{2,38}$/.test(s.trim()) && s.trim().length >= 6),
        async (phone) => {
          const response = await post("/v1/calls", sampleCall({ reporter: { kind: "real-name", name: "张三", phone } }), {
            authorization: writer,
          });
          expect(response.status).toBe(400);
          const text = await response.text();
          expect(text).not.toContain(JSON.stringify(phone).slice(1, -1));
          expect(text).not.toContain("张三");
        },
      ),
      { numRuns: 200 },
    );
  });
});
