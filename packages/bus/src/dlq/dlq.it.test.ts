import { PoisonRecord } from "@clueline/contracts/errors";
import { createTestKafka, readTopic, uniqueName } from "@clueline/testing";
import pino from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumer-runner.js";
import { dlqHeaders } from "../dead-letter.js";
import { ensureTopics } from "../ensure-topics.js";
import { createPublisher, type Publisher } from "../publisher.js";
import { replayedFromHeader } from "./dead-letter-view.js";
import { runDlqCommand } from "./dlq-command.js";

const logger = pino({ level: "silent" });
const kafka = createTestKafka();
let publisher: Publisher;
beforeAll(async () => {
  publisher = createPublisher({ kafka, logger });
  await publisher.connect();
});
afterAll(() => publisher.close());

const seal = { alg: "A256GCM", keyId: "k7", iv: "aXYtYnl0ZXM", tag: "dGFnLWJ5dGVz", ciphertext: "U0VBTEVELU5BTUUtQU5ELVBIT05F" };
const record = (topic: string, n: number) => ({
  topic,
  key: `clue-${n}`,
  value: JSON.stringify({ n, complaint: { text: "反映问题", reporter: { kind: "real-name", identity: seal } } }),
  headers: { ce_specversion: "1.0", ce_id: `id-${n}`, ce_type: "clueline.test", "content-type": "application/json" },
});

/** Runs `dlq …` as the CLI does, with the services' prefix; returns its exit code and output. */
async function dlq(topicPrefix: string, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  const code = await runDlqCommand({ argv, kafka, topicPrefix, logger, ...io });
  return { code, stdout, stderr };
}

describe("npm run dlq", () => {
  it("lists, shows without identity, and replays each dead letter once, by offset or all", async () => {
    const prefix = `${uniqueName("dlq")}.`;
    const topic = `${prefix}clueline.test.v1`;
    await ensureTopics({ kafka, topics: [{ name: topic, partitions: 1 }], withDlq: true });
    const runner = createConsumerRunner({
      kafka,
      publisher,
      logger,
      metrics: new Registry(),
      groupId: uniqueName("group"),
      topics: [topic],
      batchHandler: async (records) => ({
        poisoned: records
          .filter((r) => JSON.parse(r.value?.toString() ?? "{}").n % 2 === 1)
          .map((record) => ({
            record,
            error: new PoisonRecord("refused", { problems: [{ path: "complaint.text", reason: "too odd" }] }),
          })),
      }),
    });
    await runner.start();
    await publisher.publishAll([0, 1, 2, 3].map((n) => record(topic, n)));
    expect(await readTopic({ kafka, topic: `${topic}.dlq`, count: 2 })).toHaveLength(2);
    await runner.stop();

    const listed = await dlq(prefix, "list", "clueline.test.v1");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${topic}.dlq: 2 dead letters, 0 replayed`);
    const rows = listed.stdout.trim().split("\n").slice(2);
    expect(rows.map((row) => row.split(/\s{2,}/).slice(0, 9))).toEqual(
      [1, 3].map((n, offset) => [
        "0",
        String(offset),
        expect.any(String),
        `id-${n}`,
        "clueline.test",
        `clue-${n}`,
        "PoisonRecord",
        "no",
        "complaint.text: too odd",
      ]),
    );

    const shown = await dlq(prefix, "show", `clueline.test.v1.dlq`, "1");
    const detail = JSON.parse(shown.stdout);
    expect(detail).toMatchObject({
      offset: "1",
      key: "clue-3",
      replayed: false,
      error: { class: "PoisonRecord", message: "refused" },
    });
    expect(detail.value.complaint.reporter.identity).toBe("[sealed, elided (key k7)]");
    expect(detail.headers.ce_id).toBe("id-3");
    expect(shown.stdout).not.toContain(seal.ciphertext);
    expect((await dlq(prefix, "show", "clueline.test.v1", "9")).code).toBe(1);

    const one = await dlq(prefix, "replay", "clueline.test.v1", "--offset", "1");
    expect(one.stdout).toContain(`replayed ${topic}.dlq/0/1 ce_id=id-3 key=clue-3 -> ${topic}`);
    expect((await dlq(prefix, "replay", "clueline.test.v1", "--offset", "1")).stdout).toContain("nothing to replay");
    expect((await dlq(prefix, "list", "clueline.test.v1")).stdout).toMatch(/id-3 .* yes /);

    const all = await dlq(prefix, "replay", "clueline.test.v1", "--all");
    expect(all.stdout).toContain(`replayed 1 of ${topic}.dlq to ${topic} (1 replayed before)`);
    expect(all.stdout).toContain("ce_id=id-1");
    const again = await dlq(prefix, "replay", "clueline.test.v1", "--all");
    expect(again.stdout).toBe(`nothing to replay in ${topic}.dlq (2 replayed before)\n`);
    expect((await dlq(prefix, "list", "clueline.test.v1")).stdout).toContain("2 dead letters, 2 replayed");

    // The four originals and each dead letter once more, as it was, with where it came from.
    const onTopic = await readTopic({ kafka, topic, count: 7, timeoutMs: 4_000 });
    expect(onTopic).toHaveLength(6);
    const replays = onTopic.slice(4);
    expect(replays.map((r) => [r.key, r.headers.ce_id, r.headers[replayedFromHeader]])).toEqual([
      ["clue-3", "id-3", `${topic}.dlq/0/1`],
      ["clue-1", "id-1", `${topic}.dlq/0/0`],
    ]);
    expect(replays[1]?.value?.toString()).toBe(record(topic, 1).value);
    expect(
      Object.keys(replays[1]?.headers ?? {}).filter((h) => h.startsWith("clueline-dlq-") && h !== replayedFromHeader),
    ).toEqual([]);
    expect(replays[1]?.headers[dlqHeaders.errorClass]).toBeUndefined();
  });

  it("refuses bad arguments and a topic without a .dlq", async () => {
    expect((await dlq("", "replay", "x")).code).toBe(2);
    expect((await dlq("", "replay", "x", "--all", "--offset", "1")).code).toBe(2);
    expect((await dlq("", "show", "x")).code).toBe(2);
    const missing = await dlq("", "list", uniqueName("nothing"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^no t-nothing-.*\.dlq\n$/);
  });
});
