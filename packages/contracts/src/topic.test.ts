import { Kafka as CloudEventsKafka } from "cloudevents";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PoisonRecord } from "./errors.js";
import { defineTopic } from "./topic.js";
import { prefixedTopicNames, unitTopicName } from "./topic-names.js";

const Sample = z.object({ clueId: z.string(), note: z.string() });
const sampleTopic = defineTopic({ name: "t.sample.v1", type: "clueline.sample", schema: Sample, keyOf: (d) => d.clueId });

describe("defineTopic", () => {
  it("writes a binary-mode CloudEvent keyed by the clue id and parses it back", () => {
    const record = sampleTopic.serialize({ clueId: "c-1", note: "城关镇" }, { source: "/clueline/test" });
    expect(record.key).toBe("c-1");
    expect(record.headers["ce_specversion"]).toBe("1.0");
    expect(record.headers["ce_type"]).toBe("clueline.sample");
    expect(record.headers["ce_source"]).toBe("/clueline/test");
    expect(record.headers["ce_subject"]).toBe("c-1");
    expect(record.headers["content-type"]).toBe("application/json");
    expect(record.headers["ce_id"]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const event = sampleTopic.parse(record);
    expect(event.data).toEqual({ clueId: "c-1", note: "城关镇" });
    expect(event.attributes.id).toBe(record.headers["ce_id"]);
  });

  it("is readable by the official cloudevents SDK", () => {
    const record = sampleTopic.serialize({ clueId: "c-2", note: "x" }, { source: "/clueline/test" });
    const message = { key: record.key ?? "", value: record.value, headers: record.headers, body: record.value };
    expect(CloudEventsKafka.isEvent(message)).toBe(true);
    const event = CloudEventsKafka.toEvent(message);
    const single = Array.isArray(event) ? event[0] : event;
    expect(single?.id).toBe(record.headers["ce_id"]);
    expect(single?.type).toBe("clueline.sample");
    expect(single?.specversion).toBe("1.0");
    expect(single?.data).toEqual({ clueId: "c-2", note: "x" });
  });

  it("refuses a wrong type, a bad payload and a non-JSON value as poison, naming the path", () => {
    const record = sampleTopic.serialize({ clueId: "c-3", note: "x" }, { source: "/t" });
    expect(() => sampleTopic.parse({ ...record, headers: { ...record.headers, ce_type: "other" } })).toThrow(PoisonRecord);
    const bad = { ...record, value: Buffer.from(JSON.stringify({ clueId: 7 })) };
    try {
      sampleTopic.parse(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PoisonRecord);
      expect((error as PoisonRecord).problems.map((p) => p.path)).toEqual(["clueId", "note"]);
    }
    expect(() => sampleTopic.parse({ ...record, value: Buffer.from("{nope") })).toThrow(PoisonRecord);
    expect(() => sampleTopic.parse({ ...record, headers: { "content-type": "application/json" } })).toThrow(PoisonRecord);
  });
});

describe("topic names", () => {
  it("follow DESIGN §4", () => {
    expect(unitTopicName("town-chengguan")).toBe("clueline.unit.town-chengguan.v1");
    expect(() => unitTopicName("Town/1")).toThrow(RangeError);
    expect(prefixedTopicNames("t1-").clueRouted).toBe("t1-clueline.clue.routed.v1");
  });
});
