import { randomBytes } from "node:crypto";
import { createConsumerRunner, createPublisher, dlqHeaders, ensureTopics } from "@clueline/bus";
import { clueRoutedTopic, type HotlineReceived, hotlineReceivedTopic, unitClueTopic } from "@clueline/contracts";
import { createPgliteDatabase } from "@clueline/db";
import { createIdentitySealer } from "@clueline/identity";
import { createMetricsRegistry } from "@clueline/kit";
import { createCapturingLogger, createTestKafka, readTopic, uniqueName } from "@clueline/testing";
import { ulid } from "ulid";
import { afterAll, describe, expect, it } from "vitest";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../directory/index.js";
import { createBatchRouter } from "../routing/index.js";
import { createPostgresRouterState } from "../state/index.js";
import { migrateRouterSchema } from "../testing/router-state-backends.js";
import { channelTopicNames, createChannelBatchHandler } from "./channel-handler.js";

const { logger, lines } = createCapturingLogger("router");
const kafka = createTestKafka();
const publisher = createPublisher({ kafka, logger });
const sealer = createIdentitySealer({ keys: { k1: randomBytes(32) }, activeKeyId: "k1", hashKey: randomBytes(32) });
const reporter = { name: "王秀英", phone: "13912345678" };
const db = await createPgliteDatabase();

afterAll(async () => {
  await publisher.close();
  await db.close();
});

function callRecord(text: string): HotlineReceived {
  const complaintId = ulid();
  return {
    complaintId,
    channel: "hotline",
    line: "12388",
    callId: `call-${ulid()}`,
    operatorId: "op-7",
    startedAt: "2026-11-20T09:00:00+08:00",
    endedAt: "2026-11-20T09:06:00+08:00",
    receivedAt: "2026-11-20T09:06:00+08:00",
    summary: text,
    reporter: { kind: "real-name", hash: sealer.mergeHash(reporter) as string, identity: sealer.seal(reporter, { complaintId }) },
    evidence: [],
  };
}

describe("router pipeline against the real broker and a real database", () => {
  it("routes, fans out without identity, dead-letters poison, and republishes the same decision on redelivery", async () => {
    const prefix = `${uniqueName("router")}.`;
    const directory = compileDirectory(await loadDirectory(defaultDirectoryPath));
    await ensureTopics({
      kafka,
      withDlq: true,
      topics: [...channelTopicNames(prefix), prefix + clueRoutedTopic.name].map((name) => ({ name, partitions: 2 })),
    });
    const schema = uniqueName("router").replaceAll("-", "_");
    await migrateRouterSchema({ db, schema });
    const prepared: string[] = [];
    const runner = createConsumerRunner({
      kafka,
      publisher,
      logger,
      metrics: createMetricsRegistry({ service: "router" }),
      groupId: uniqueName("router"),
      topics: channelTopicNames(prefix),
      batchHandler: createChannelBatchHandler({
        routeBatch: createBatchRouter({ state: createPostgresRouterState({ db, schema }), directory: () => directory }),
        publisher,
        topicPrefix: prefix,
        async prepareTopics(names) {
          const fresh = names.filter((name) => !prepared.includes(name));
          await ensureTopics({ kafka, topics: fresh.map((name) => ({ name, partitions: 1 })) });
          prepared.push(...fresh);
        },
      }),
    });
    await runner.start();

    const call = callRecord(`反映城关镇政府工作人员办事吃拿卡要，索要好处费。举报人电话${reporter.phone}`);
    const record = hotlineReceivedTopic.serialize(call, { source: "/clueline/hotline" });
    const topic = prefix + hotlineReceivedTopic.name;
    await publisher.publish({ topic, ...record });
    await publisher.publish({ topic, key: "junk", value: "not an event", headers: {} });
    await publisher.publish({ topic, ...record }); // a redelivery of the same complaint

    const routed = await readTopic({ kafka, topic: prefix + clueRoutedTopic.name, count: 2 });
    const [dead] = await readTopic({ kafka, topic: `${topic}.dlq`, count: 1 });
    await runner.stop();

    expect(routed).toHaveLength(2);
    const [first, second] = routed.map((r) => clueRoutedTopic.parse(r));
    expect(second?.attributes.id).toBe(first?.attributes.id);
    expect(second?.data).toEqual(first?.data);
    const decision = first?.data.decision;
    expect(decision?.discipline).toEqual({ lead: "town-chengguan", assist: [], informed: ["dc"] });
    expect(first?.data.complaint.reporter.kind).toBe("real-name");
    expect(first?.data.complaint.text).not.toContain(reporter.phone);

    const unitRecords = await readTopic({ kafka, topic: unitClueTopic("town-chengguan", prefix).name, count: 1 });
    const unitClue = unitClueTopic("town-chengguan", prefix).parse(unitRecords[0] as never).data;
    expect(unitClue.roles).toEqual([{ track: "discipline", role: "lead" }]);
    expect(unitClue.clueId).toBe(decision?.clueId);
    const wire = unitRecords.map((r) => `${r.value?.toString()}${JSON.stringify(r.headers)}`).join("");
    for (const secret of [
      reporter.name,
      reporter.phone,
      call.reporter.kind === "real-name" ? call.reporter.hash : "",
      "ciphertext",
    ]) {
      expect(wire).not.toContain(secret);
    }
    expect(dead?.headers[dlqHeaders.errorClass]).toBe("PoisonRecord");
    expect(lines.join("")).not.toContain(reporter.phone);
    expect(lines.join("")).not.toContain(reporter.name);
  });
});
