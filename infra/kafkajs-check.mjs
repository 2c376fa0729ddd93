// @ts-check
// Does kafkajs (the client the services use) work against our Kafka 4.x broker?
//
// Kafka 4.0 removed old protocol versions (KIP-896) and kafkajs 2.2.4 is no
// longer maintained, so this checks, against a running broker:
//   1. the protocol: for every API kafkajs implements, the version kafkajs will
//      pick (min(kafkajs max, broker max) — see kafkajs/src/protocol/requests
//      lookup()) must be >= the broker's minimum;
//   2. behaviour end to end: admin create/delete topics and fetchTopicOffsets,
//      an idempotent producer with acks=-1, headers round trip, a consumer group
//      joining, committing, and resuming after a restart, a two-member
//      rebalance, describe/list/delete groups, and a transactional producer.
// Exit code 0 if everything passed, 1 otherwise (the failing step and the
// kafkajs warnings/errors logged around it are printed).
//
// Usage: node infra/kafkajs-check.mjs [host:port]
//   broker: argument, else $KAFKA_BROKERS, else .data/infra.env, else 127.0.0.1:19092

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";

const require = createRequire(new URL("../package.json", import.meta.url));
const { Kafka, logLevel } = require("kafkajs");
const kafkajsVersion = require("kafkajs/package.json").version;
const { requests } = require("kafkajs/src/protocol/requests");
const apiKeys = require("kafkajs/src/protocol/requests/apiKeys");

function brokerAddress() {
  if (process.argv[2]) return process.argv[2];
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS.split(",")[0];
  try {
    const env = readFileSync(new URL("../.data/infra.env", import.meta.url), "utf8");
    const line = env.split("\n").find((l) => l.startsWith("KAFKA_BROKERS="));
    if (line) return line.slice("KAFKA_BROKERS=".length).split(",")[0].trim();
  } catch {}
  return "127.0.0.1:19092";
}
const broker = brokerAddress();

// ----------------------------------------------------------------- helpers ---
const kafkaLog = [];
const kafka = new Kafka({
  clientId: "clueline-kafkajs-check",
  brokers: [broker],
  logLevel: logLevel.WARN,
  // keep kafkajs' own warnings/errors; they are printed only if a step fails
  logCreator:
    () =>
    ({ namespace, level, log }) => {
      const name = ["", "ERROR", "WARN", "", "INFO", "DEBUG"][level] ?? level;
      kafkaLog.push(`${name} [${namespace}] ${log.message} ${log.error ?? ""}`.trim());
    },
});

// Consumers in this check: short fetch long-polls so that disconnects and
// rebalances do not wait for kafkajs' default 5 s maxWaitTimeInMs.
const FAST = { sessionTimeout: 10000, rebalanceTimeout: 10000, maxWaitTimeInMs: 500 };

const results = [];
async function step(name, fn) {
  const mark = kafkaLog.length;
  const t0 = Date.now();
  try {
    const note = await fn();
    results.push({ name, ok: true });
    console.log(`  ok   ${name}${note ? ` — ${note}` : ""} (${Date.now() - t0} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`  FAIL ${name}: ${err?.stack ?? err}`);
    if (err?.type) console.log(`       kafka error type: ${err.type} (code ${err.code})`);
    for (const line of kafkaLog.slice(mark)) console.log(`       kafkajs: ${line}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, cond, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
const headerText = (v) => (Array.isArray(v) ? v.map((x) => x.toString()) : v?.toString());

// Raw ApiVersions v0 request: the broker's [min, max] for every API key. v0 is
// kept by every broker precisely so that clients can negotiate.
function brokerApiVersions(address) {
  const [host, port] = address.split(":");
  const clientId = Buffer.from("clueline-kafkajs-check");
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0); // api key ApiVersions
  body.writeInt16BE(0, 2); // version 0
  body.writeInt32BE(1, 4); // correlation id
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const frame = Buffer.concat([Buffer.alloc(4), body]);
  frame.writeInt32BE(body.length, 0);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), host, () => sock.write(frame));
    let buf = Buffer.alloc(0);
    sock.setTimeout(5000, () => sock.destroy(new Error("ApiVersions timed out")));
    sock.on("error", reject);
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 4 || buf.length < 4 + buf.readInt32BE(0)) return;
      sock.end();
      const errorCode = buf.readInt16BE(8);
      if (errorCode !== 0) return reject(new Error(`ApiVersions error code ${errorCode}`));
      const n = buf.readInt32BE(10);
      const map = new Map();
      for (let i = 0, o = 14; i < n; i += 1, o += 6) {
        map.set(buf.readInt16BE(o), { min: buf.readInt16BE(o + 2), max: buf.readInt16BE(o + 4) });
      }
      resolve(map);
    });
  });
}

// ------------------------------------------------------------------- check ---
console.log(`kafkajs ${kafkajsVersion} against ${broker}`);

const admin = kafka.admin();
const topic = `kafkajs-check-${randomUUID()}`;
const group = `${topic}-group`;
const HEADERS = (i) => ({
  "ce-id": `id-${i}`,
  "ce-type": Buffer.from("gov.clueline.test"),
  traceparent: `00-${"a".repeat(32)}-${"b".repeat(16)}-01`,
  multi: ["first", "second"],
  "utf8-值": "线索",
});

await step("protocol: every kafkajs API version is accepted by the broker", async () => {
  const broker = await brokerApiVersions(brokerAddress());
  const rows = [];
  const bad = [];
  for (const [name, def] of Object.entries(requests)) {
    if (!def.versions.length) continue; // not implemented by kafkajs
    const key = apiKeys[name];
    const jsMax = Math.max(...def.versions.map(Number));
    const jsMin = Math.min(...def.versions.map(Number));
    const b = broker.get(key);
    const used = b ? Math.min(jsMax, b.max) : undefined;
    const ok = b !== undefined && /** @type {number} */ (used) >= b.min;
    rows.push(
      `       ${ok ? " " : "!"} ${name.padEnd(28)} key ${String(key).padStart(2)}  kafkajs v${jsMin}-${jsMax}  broker ${b ? `v${b.min}-${b.max}` : "absent"}  -> ${ok ? `uses v${used}` : "UNUSABLE"}`,
    );
    if (!ok) bad.push(name);
  }
  console.log(rows.join("\n"));
  // Only APIs the services (and this check) call must be usable; report the rest.
  const needed = [
    "Produce",
    "Fetch",
    "ListOffsets",
    "Metadata",
    "OffsetCommit",
    "OffsetFetch",
    "GroupCoordinator",
    "JoinGroup",
    "Heartbeat",
    "LeaveGroup",
    "SyncGroup",
    "DescribeGroups",
    "ListGroups",
    "ApiVersions",
    "CreateTopics",
    "DeleteTopics",
    "InitProducerId",
    "DeleteGroups",
    "AddPartitionsToTxn",
    "AddOffsetsToTxn",
    "EndTxn",
    "TxnOffsetCommit",
  ];
  const badNeeded = bad.filter((n) => needed.includes(n));
  assert(badNeeded.length === 0, `unusable: ${badNeeded.join(", ")}`);
  return bad.length ? `unusable but unused here: ${bad.join(", ")}` : "all usable";
});

await step("admin connect + describeCluster", async () => {
  await admin.connect();
  const c = await admin.describeCluster();
  assert(c.brokers.length >= 1, "no brokers");
  return `cluster ${c.clusterId}, controller ${c.controller}`;
});

await step("admin.createTopics (3 partitions, waitForLeaders)", async () => {
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  assert(created === true, "createTopics returned false");
  const again = await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  assert(again === false, 'second createTopics should report "already exists" as false');
  const md = await admin.fetchTopicMetadata({ topics: [topic] });
  assert(md.topics[0].partitions.length === 3, "expected 3 partitions");
});

const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
const FIRST = 30;
const SECOND = 20;

await step(`idempotent producer (acks=-1) sends ${FIRST} records with headers`, async () => {
  await producer.connect();
  const meta = await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: FIRST }, (_, i) => ({
      key: `k${i % 7}`,
      value: JSON.stringify({ n: i }),
      headers: HEADERS(i),
    })),
  });
  assert(
    meta.every((m) => m.errorCode === 0),
    `errors: ${JSON.stringify(meta)}`,
  );
  // a second send on the same producer id/epoch: sequence numbers must continue
  const meta2 = await producer.sendBatch({
    acks: -1,
    topicMessages: [{ topic, messages: [{ key: "k0", value: JSON.stringify({ n: FIRST }), headers: HEADERS(FIRST) }] }],
  });
  assert(
    meta2.every((m) => m.errorCode === 0),
    "sendBatch error",
  );
  return `partitions ${meta.map((m) => `${m.partition}@${m.baseOffset}`).join(" ")}`;
});

await step("admin.fetchTopicOffsets sees every record", async () => {
  const offsets = await admin.fetchTopicOffsets(topic);
  const total = offsets.reduce((s, p) => s + Number(p.high) - Number(p.low), 0);
  assert(total === FIRST + 1, `expected ${FIRST + 1} records, offsets say ${total}`);
  return offsets.map((p) => `p${p.partition}:${p.low}-${p.high}`).join(" ");
});

// consumer 1: autoCommit off, commit explicitly what it processed, then stop
await step("consumer group join + headers round trip + explicit commit", async () => {
  const consumer = kafka.consumer({ groupId: group, ...FAST });
  const seen = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      seen.push({ partition, message });
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    },
  });
  try {
    await until("all records consumed", () => seen.length >= FIRST + 1);
    const desc = await admin.describeGroups([group]);
    const g = desc.groups[0];
    assert(g.state === "Stable", `group state ${g.state}`);
    const byN = new Map(seen.map(({ message }) => [JSON.parse(message.value.toString()).n, message]));
    for (let i = 0; i <= FIRST; i += 1) {
      const m = byN.get(i);
      assert(m, `record ${i} missing`);
      const h = m.headers;
      const want = HEADERS(i);
      assert(headerText(h["ce-id"]) === want["ce-id"], `ce-id of ${i}`);
      assert(headerText(h["ce-type"]) === "gov.clueline.test", `ce-type of ${i}`);
      assert(headerText(h.traceparent) === want.traceparent, `traceparent of ${i}`);
      assert(
        JSON.stringify(headerText(h.multi)) === '["first","second"]',
        `multi of ${i}: ${JSON.stringify(headerText(h.multi))}`,
      );
      assert(headerText(h["utf8-值"]) === "线索", `utf8 header of ${i}`);
    }
    return `${seen.length} records, group ${g.state}, protocol ${g.protocol}`;
  } finally {
    await consumer.disconnect();
  }
});

await step("committed offsets are stored (admin.fetchOffsets)", async () => {
  const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
  for (const p of ends) {
    const c = committed.partitions.find((x) => x.partition === p.partition);
    assert(c && c.offset === p.high, `partition ${p.partition}: committed ${c?.offset}, end ${p.high}`);
  }
  return committed.partitions.map((p) => `p${p.partition}=${p.offset}`).join(" ");
});

await step(`after a restart the group resumes: only the ${SECOND} new records arrive`, async () => {
  await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: SECOND }, (_, i) => ({
      key: `k${i}`,
      value: JSON.stringify({ n: 1000 + i }),
      headers: HEADERS(1000 + i),
    })),
  });
  const consumer = kafka.consumer({ groupId: group, ...FAST });
  const seen = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push(JSON.parse(/** @type {Buffer} */ (message.value).toString()).n);
    },
  });
  try {
    await until("new records consumed", () => seen.length >= SECOND);
    await sleep(1500); // anything re-delivered would arrive now
    assert(seen.length === SECOND, `got ${seen.length} records (re-delivery?)`);
    assert(
      seen.every((n) => n >= 1000),
      `old records re-delivered: ${seen.filter((n) => n < 1000)}`,
    );
  } finally {
    await consumer.disconnect(); // autoCommit (default) commits on the way out
  }
  const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
  for (const p of ends) {
    // a partition missing here throws, and fails the step, as a failed assertion does
    const c = /** @type {{ partition: number; offset: string }} */ (
      committed.partitions.find((x) => x.partition === p.partition)
    );
    assert(c.offset === p.high, `autoCommit: partition ${p.partition} committed ${c.offset}, end ${p.high}`);
  }
  return `${seen.length} new records; autoCommit stored the end offsets`;
});

await step("two members in one group share the partitions (rebalance)", async () => {
  const g2 = `${group}-pair`;
  const members = [0, 1].map(() => kafka.consumer({ groupId: g2, ...FAST }));
  /** @type {number[][]} */
  const assigned = [[], []];
  try {
    for (const [i, c] of members.entries()) {
      c.on(c.events.GROUP_JOIN, (e) => {
        assigned[i] = e.payload.memberAssignment[topic] ?? [];
      });
      await c.connect();
      await c.subscribe({ topics: [topic], fromBeginning: true });
      await c.run({ eachMessage: async () => {} });
    }
    await until(
      "both members assigned",
      () => assigned[0].length > 0 && assigned[1].length > 0 && assigned[0].length + assigned[1].length === 3,
    );
    return `member A ${JSON.stringify(assigned[0])}, member B ${JSON.stringify(assigned[1])}`;
  } finally {
    await Promise.all(members.map((c) => c.disconnect()));
    await admin.deleteGroups([g2]).catch(() => {});
  }
});

await step("transactional producer: send + sendOffsets + commit (read_committed consumer sees it)", async () => {
  const tx = kafka.producer({ transactionalId: `${topic}-tx`, idempotent: true, maxInFlightRequests: 1 });
  await tx.connect();
  try {
    const t = await tx.transaction();
    await t.send({ topic, messages: [{ key: "tx", value: JSON.stringify({ n: 5000 }) }] });
    await t.sendOffsets({ consumerGroupId: `${group}-tx`, topics: [{ topic, partitions: [{ partition: 0, offset: "1" }] }] });
    await t.commit();
    const aborted = await tx.transaction();
    await aborted.send({ topic, messages: [{ key: "tx", value: JSON.stringify({ n: 6000 }) }] });
    await aborted.abort();
  } finally {
    await tx.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `${group}-rc`, readUncommitted: false, ...FAST });
  const seen = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push(JSON.parse(/** @type {Buffer} */ (message.value).toString()).n);
    },
  });
  try {
    await until("committed transactional record", () => seen.includes(5000));
    await sleep(500);
    assert(!seen.includes(6000), "aborted record visible to read_committed consumer");
  } finally {
    await consumer.disconnect();
  }
  return "committed record visible, aborted one not";
});

await step("admin.listGroups / deleteGroups", async () => {
  const { groups } = await admin.listGroups();
  assert(
    groups.some((g) => g.groupId === group),
    "group not listed",
  );
  await admin.deleteGroups([group, `${group}-tx`, `${group}-rc`]);
  const after = await admin.listGroups();
  assert(!after.groups.some((g) => g.groupId === group), "group still listed after delete");
});

await step("admin.deleteTopics", async () => {
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic], timeout: 10000 });
  await until("topic gone", async () => !(await admin.listTopics()).includes(topic), 15000);
});

// Informational: with auto.create.topics.enable=false a typo'd topic is an error.
{
  const p = kafka.producer({ retry: { retries: 1, initialRetryTime: 100 } });
  await p.connect();
  try {
    await p.send({ topic: `${topic}-missing`, messages: [{ value: "x" }] });
    console.log("  info producing to a missing topic SUCCEEDED: the broker auto-creates topics");
    await admin.deleteTopics({ topics: [`${topic}-missing`] }).catch(() => {});
  } catch (err) {
    console.log(`  info producing to a missing topic is rejected (${err.type ?? err.name}): auto-creation is off`);
  } finally {
    await p.disconnect();
  }
}

await admin.disconnect();
const failed = results.filter((r) => !r.ok);
console.log(
  failed.length
    ? `FAILED ${failed.length}/${results.length}: ${failed.map((r) => r.name).join("; ")}`
    : `all ${results.length} checks passed`,
);
process.exit(failed.length ? 1 : 0);
