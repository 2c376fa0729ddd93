import type { OutgoingRecord } from "@clueline/bus";
import { mediaReceivedTopic } from "@clueline/contracts";
import { bearerFor, STORABLE_TEXT, UNSTORABLE_TEXT } from "@clueline/edge/testing";
import { describe, expect, it } from "vitest";
import { buildMedia, sampleExposure } from "./test-support.js";

const monitor = await bearerFor(["media:write"], "monitor-1");
const eventOf = (record: OutgoingRecord | undefined) =>
  mediaReceivedTopic.parse({ key: record?.key ?? null, value: record?.value ?? null, headers: record?.headers ?? {} }).data;
function postExposure(body: unknown) {
  const media = buildMedia();
  const response = media.app.request("/v1/exposures", {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", authorization: monitor },
  });
  return { ...media, response };
}

/** Each string field of an exposure, and how to put a value into it. */
const FIELDS: Record<string, (value: string) => Record<string, unknown>> = {
  outlet: (value) => ({ outlet: value }),
  program: (value) => ({ program: value }),
  excerpt: (value) => ({ excerpt: value }),
  url: (value) => ({ url: `https://news.example.cn/${value}` }),
  "subjects.persons.0.name": (value) => ({ subjects: { persons: [{ name: value }] } }),
};

describe("media text rules (DESIGN §8)", () => {
  for (const [field, put] of Object.entries(FIELDS)) {
    it.each(Object.entries(UNSTORABLE_TEXT))(`refuses %s in ${field} with a 400 naming the field`, async (_, value) => {
      const { response, publisher } = postExposure(sampleExposure(put(value)));
      expect((await response).status).toBe(400);
      const text = await (await response).text();
      expect((JSON.parse(text) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(field);
      expect(text).not.toContain("秘密");
      expect(publisher.records).toHaveLength(0);
    });
  }

  it.each(STORABLE_TEXT)("accepts %j in the excerpt and the programme as written", async (value) => {
    const { response, publisher } = postExposure(sampleExposure({ excerpt: value, program: value }));
    expect((await response).status).toBe(202);
    expect(eventOf(publisher.records[0])).toMatchObject({ excerpt: value, program: value });
  });

  it.each([
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "ftp://news.example.cn/a",
    "JavaScript://news.example.cn/%0aalert(1)",
  ])("refuses the link %s: http and https only", async (url) => {
    const { response } = postExposure(sampleExposure({ url }));
    expect((await response).status).toBe(400);
    expect(((await (await response).json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["url"]);
  });

  it("accepts http and https links", async () => {
    for (const url of ["http://news.example.cn/a?b=1", "HTTPS://NEWS.EXAMPLE.CN/报道"]) {
      expect((await postExposure(sampleExposure({ url })).response).status).toBe(202);
    }
  });
});

describe("media scrubbing (DESIGN §8)", () => {
  it("takes the contacts of people interviewed out of the excerpt and seals the original", async () => {
    const excerpt = "受访群众留下微信 zhangsan_88 和手机 +86 186 1234 5678，节目组已转交";
    const { response, publisher, deps } = postExposure(sampleExposure({ excerpt }));
    const { complaintId } = (await (await response).json()) as { complaintId: string };
    const event = eventOf(publisher.records[0]);
    expect(event.excerpt).toBe("受访群众留下微信 [联系方式] 和手机 [联系方式]，节目组已转交");
    expect(event.program).toBe("电视问政");
    const sealed = event.sealedOriginal;
    if (!sealed) throw new Error("expected the original text sealed");
    expect(deps.sealer.openOriginal(sealed, { complaintId })).toEqual({ excerpt });
  });
});
