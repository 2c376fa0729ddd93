import { createRequire } from "node:module";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  encodeProduceRequest,
  type ProduceMessage,
  type ProduceRequestArgs,
  patchKafkajsProduceEncoder,
} from "./kafkajs-produce-encoder.js";

type RequestFactory = (args: ProduceRequestArgs) => { apiVersion: number; encode: () => Promise<{ buffer: Buffer }> };
const kafkajs = createRequire(import.meta.url);
const kafkajsV3 = kafkajs("kafkajs/src/protocol/requests/produce/v3/request.js") as RequestFactory;
const Long = kafkajs("kafkajs/src/utils/long.js") as { fromValue(value: unknown): unknown };
const GZIP = 1;
const NOW = 1_764_583_200_000;

async function asKafkajs(args: ProduceRequestArgs): Promise<Buffer> {
  return (await kafkajsV3(args).encode()).buffer;
}

function ours(args: ProduceRequestArgs): Buffer | undefined {
  const encoded = encodeProduceRequest(args);
  return encoded?.buf.subarray(0, encoded.offset);
}

const bytes = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
);
const message: fc.Arbitrary<ProduceMessage> = fc.record(
  {
    key: fc.oneof(fc.constant(null), bytes),
    value: fc.oneof(fc.constant(null), bytes, fc.string({ unit: "grapheme", minLength: 200, maxLength: 600 })),
    headers: fc.dictionary(
      fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 12 }),
      fc.oneof(bytes, fc.array(bytes, { minLength: 1, maxLength: 3 })),
      { maxKeys: 9 },
    ),
    timestamp: fc.integer({ min: NOW - 1_000_000, max: NOW + 1_000_000 }),
  },
  { requiredKeys: ["value"] },
);
const request: fc.Arbitrary<ProduceRequestArgs> = fc.record(
  {
    acks: fc.constantFrom(-1, 0, 1),
    timeout: fc.integer({ min: 0, max: 60_000 }),
    transactionalId: fc.oneof(fc.constant(null), fc.string({ minLength: 1, maxLength: 20 })),
    producerId: fc.oneof(
      fc.integer({ min: -1, max: 2 ** 31 - 1 }),
      fc.bigInt({ min: -1n, max: 2n ** 62n }).map((v) => Long.fromValue(v)),
    ),
    producerEpoch: fc.integer({ min: 0, max: 32_767 }),
    topicData: fc.array(
      fc.record({
        topic: fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }),
        partitions: fc.array(
          fc.record(
            { partition: fc.nat(64), firstSequence: fc.nat(2 ** 31 - 1), messages: fc.array(message, { maxLength: 12 }) },
            { requiredKeys: ["partition", "messages"] },
          ),
          { minLength: 1, maxLength: 3 },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  },
  { requiredKeys: ["acks", "timeout", "topicData"] },
);

function oneTopic(messages: ProduceMessage[], extra: Partial<ProduceRequestArgs> = {}): ProduceRequestArgs {
  return { acks: -1, timeout: 30_000, topicData: [{ topic: "t", partitions: [{ partition: 0, messages }] }], ...extra };
}

describe("one-pass produce request encoder", () => {
  afterEach(() => vi.restoreAllMocks());

  // 300 generated requests: Seconds alone, but a CI machine under load has stretched it past vitest's 5 s default.
  it("writes the bytes kafkajs 2.2.4 writes, for any request it handles", async () => {
    vi.spyOn(Date, "now").mockReturnValue(NOW);
    await fc.assert(
      fc.asyncProperty(request, async (args) => {
        const encoded = ours(args);
        expect(encoded).toBeDefined();
        expect(encoded?.equals(await asKafkajs(args))).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it("stamps records without timestamps with the time of encoding, as kafkajs does", async () => {
    vi.spyOn(Date, "now").mockReturnValue(NOW);
    const args = oneTopic([{ key: "a", value: Buffer.from("{}"), headers: { ce_id: "x" } }, { value: "二" }]);
    expect(ours(args)?.equals(await asKafkajs(args))).toBe(true);
  });

  it("leaves to kafkajs what it does not handle: compression, numbers as values or keys, null headers, far timestamps", () => {
    expect(encodeProduceRequest(oneTopic([{ value: "v" }], { compression: GZIP }))).toBeUndefined();
    expect(encodeProduceRequest(oneTopic([{ value: 42 }]))).toBeUndefined();
    expect(encodeProduceRequest(oneTopic([{ key: 7, value: "v" }]))).toBeUndefined();
    expect(encodeProduceRequest(oneTopic([{ value: "v", headers: { h: null } }]))).toBeUndefined();
    expect(
      encodeProduceRequest(
        oneTopic([
          { value: "v", timestamp: NOW },
          { value: "w", timestamp: NOW + 2 ** 30 },
        ]),
      ),
    ).toBeUndefined();
    expect(
      encodeProduceRequest(
        oneTopic([
          { value: "v", timestamp: NOW },
          { value: "w", timestamp: NOW + 2 ** 29 },
        ]),
      ),
    ).toBeDefined();
  });

  it("is what kafkajs's produce protocol encodes with once patched, and kafkajs's own encoder still takes the rest", async () => {
    expect(patchKafkajsProduceEncoder()).toEqual({ patched: true, version: "2.2.4" });
    vi.spyOn(Date, "now").mockReturnValue(NOW);
    const produce = kafkajs("kafkajs/src/protocol/requests/produce/index.js") as {
      protocol: (options: { version: number }) => (args: ProduceRequestArgs) => { request: ReturnType<RequestFactory> };
    };
    const plain = oneTopic([{ key: "k", value: Buffer.from("值"), headers: { ce_type: "t" } }]);
    const built = produce.protocol({ version: 7 })(plain).request;
    expect(built.apiVersion).toBe(7);
    const onePass = (await built.encode()) as unknown as { buf: Buffer; offset: number; buffer: Buffer };
    // The one-pass encoder's buffer is exactly the request; kafkajs's Encoder grows in powers of two from 512 bytes.
    expect(onePass.buf.length).toBe(onePass.offset);
    expect(onePass.buffer.equals(await asKafkajs(plain))).toBe(true);
    const compressed = oneTopic([{ value: "v" }], { compression: GZIP });
    const zipped = (await produce.protocol({ version: 7 })(compressed).request.encode()) as unknown as typeof onePass;
    expect(zipped.buf.length).toBeGreaterThanOrEqual(512);
    expect(zipped.buffer.equals(await asKafkajs(compressed))).toBe(true);
  });

  it("is framed by kafkajs's request.js into the bytes kafkajs frames, in the room kept before it", async () => {
    expect(patchKafkajsProduceEncoder().patched).toBe(true);
    vi.spyOn(Date, "now").mockReturnValue(NOW);
    const frame = kafkajs("kafkajs/src/protocol/request.js") as (options: {
      correlationId: number;
      clientId: string;
      request: { apiKey: number; apiVersion: number; encode: () => Promise<unknown> };
    }) => Promise<{ buffer: Buffer }>;
    const framed = (clientId: string, encode: () => Promise<unknown>) =>
      frame({ correlationId: 7, clientId, request: { apiKey: 0, apiVersion: 3, encode } });
    const args = oneTopic([{ key: "k", value: Buffer.from("值".repeat(300)), headers: { ce_type: "t" } }]);
    for (const clientId of ["router", "c".repeat(240), "c".repeat(300)]) {
      const ourFrame = (await framed(clientId, async () => encodeProduceRequest(args))).buffer;
      const theirs = (await framed(clientId, () => kafkajsV3(args).encode())).buffer;
      expect(ourFrame.equals(theirs)).toBe(true);
      // A second request framed after it leaves the first's bytes as they were.
      const copy = Buffer.from(ourFrame);
      await framed(clientId, async () => encodeProduceRequest(oneTopic([{ value: "other" }])));
      expect(ourFrame.equals(copy)).toBe(true);
    }
    // The frame is a view of the body's own memory when the client id fits the room, a copy when it does not.
    const body = encodeProduceRequest(args);
    const fits = (await framed("router", async () => body)).buffer;
    expect(fits.buffer).toBe(body?.buf.buffer);
    const tooLong = (await framed("c".repeat(300), async () => body)).buffer;
    expect(tooLong.buffer).not.toBe(body?.buf.buffer);
    expect(tooLong.subarray(tooLong.length - (body?.offset ?? 0)).equals(fits.subarray(fits.length - (body?.offset ?? 0)))).toBe(
      true,
    );
  });
});
