import { createRequire } from "node:module";
import { PATCHED_KAFKAJS_VERSION } from "./kafkajs-version.js";

/** A record as kafkajs hands it to its produce request, after partitioning. */
export interface ProduceMessage {
  key?: unknown;
  value?: unknown;
  headers?: unknown;
  timestamp?: unknown;
}

/** The arguments of kafkajs's produce request (v3 to v7 share one wire format). */
export interface ProduceRequestArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: { topic: string; partitions: { partition: number; firstSequence?: number; messages: ProduceMessage[] }[] }[];
}

/** What kafkajs's framing needs of an encoded request body: its bytes, as kafkajs's own Encoder holds them. */
interface EncoderLike {
  buf: Buffer;
  offset: number;
  [ROOM_BEFORE]?: number;
}

interface Int64 {
  getHighBits(): number;
  getLowBits(): number;
}

const kafkajs = createRequire(import.meta.url);
const Encoder = kafkajs("kafkajs/src/protocol/encoder.js") as { prototype: { writeEncoder(value: unknown): unknown } };
const Long = kafkajs("kafkajs/src/utils/long.js") as { fromValue(value: unknown): Int64; fromInt(value: number): Int64 };
/**
 * CRC-32C of each batch: @node-rs/crc32's native one (about 8 GB/s here against 0.5 GB/s for kafkajs's JavaScript
 * table, which was half of what a batch still cost to encode), or kafkajs's where no prebuilt binary exists.
 */
const crc32C = nativeCrc32C() ?? (kafkajs("kafkajs/src/protocol/recordBatch/crc32C/index.js") as (buffer: Buffer) => number);

function nativeCrc32C(): ((buffer: Buffer) => number) | undefined {
  try {
    const { crc32c } = kafkajs("@node-rs/crc32") as { crc32c: (input: Buffer) => number };
    return (buffer) => crc32c(buffer);
  } catch {
    return undefined;
  }
}

const NO_COMPRESSION = 0;
const TRANSACTIONAL = 16;
const MAGIC = 2;
/** Timestamp deltas this large need 64-bit zigzag arithmetic; such a batch goes to kafkajs's own encoder. */
const SMALL_DELTA = 2 ** 30;

function varIntSize(value: number): number {
  let encoded = (value << 1) ^ (value >> 31);
  let bytes = 1;
  while ((encoded & 0xffffff80) !== 0) {
    bytes += 1;
    encoded >>>= 7;
  }
  return bytes;
}

function writeVarInt(buf: Buffer, offset: number, value: number): number {
  let encoded = (value << 1) ^ (value >> 31);
  while ((encoded & 0xffffff80) !== 0) {
    buf[offset++] = (encoded & 0x7f) | 0x80;
    encoded >>>= 7;
  }
  buf[offset++] = encoded & 0x7f;
  return offset;
}

function writeInt64(buf: Buffer, offset: number, value: unknown): number {
  const long = Long.fromValue(value);
  buf.writeInt32BE(long.getHighBits(), offset);
  buf.writeInt32BE(long.getLowBits(), offset + 4);
  return offset + 8;
}

/** Byte length of a key, value or header value kafkajs writes as varint-prefixed bytes; -1 for null; NaN: not handled here. */
function bytesLength(value: unknown): number {
  if (value === null || value === undefined) return -1;
  if (typeof value === "string") return Buffer.byteLength(value);
  if (Buffer.isBuffer(value)) return value.length;
  return Number.NaN;
}

function writeBytes(buf: Buffer, offset: number, value: unknown, length: number): number {
  offset = writeVarInt(buf, offset, length);
  if (length <= 0) return offset;
  if (typeof value === "string") buf.write(value, offset, length, "utf8");
  else (value as Buffer).copy(buf, offset);
  return offset + length;
}

/**
 * The produce request body kafkajs 2.2.4 would send for these arguments, byte for byte, written in one pass into
 * one buffer. kafkajs builds it from an Encoder per record and per header (each a zero-filled 512-byte buffer
 * that grows by copying), a temporary Buffer per varint, and copies every record three more times as the batch,
 * the partition and the topic wrap it; the router spent about a fifth of its CPU there.
 * Returns undefined for what this does not handle, which kafkajs's own encoder then encodes (or refuses) as
 * before: compression, keys or values that are neither strings nor Buffers, unusual headers, timestamps far apart.
 */
export function encodeProduceRequest(args: ProduceRequestArgs): EncoderLike | undefined {
  const { acks, timeout, topicData } = args;
  const transactionalId = args.transactionalId ?? null;
  const producerId = args.producerId ?? Long.fromInt(-1);
  const producerEpoch = args.producerEpoch ?? 0;
  if ((args.compression ?? NO_COMPRESSION) !== NO_COMPRESSION) return undefined;
  if (transactionalId !== null && typeof transactionalId !== "string") return undefined;

  // First pass: every length, in the order the second pass writes.
  const lengths: number[] = [];
  const headerPairs: unknown[] = [];
  const partitionTimes: number[] = [];
  let total = 2 + (transactionalId === null ? 0 : Buffer.byteLength(transactionalId)) + 2 + 4 + 4;
  const now = Date.now();
  for (const { topic, partitions } of topicData) {
    if (typeof topic !== "string") return undefined;
    total += 2 + Buffer.byteLength(topic) + 4;
    for (const { messages } of partitions) {
      let firstTimestamp: unknown = now;
      let maxTimestamp: unknown = now;
      const stamped = messages.map((message) => message.timestamp).filter((timestamp) => timestamp != null);
      if (stamped.length > 0) {
        // kafkajs sorts as strings and subtracts as numbers; the same expressions give the same bytes.
        stamped.sort();
        firstTimestamp = stamped[0];
        maxTimestamp = stamped[stamped.length - 1];
      }
      partitionTimes.push(firstTimestamp as number, maxTimestamp as number);
      let records = 0;
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i] as ProduceMessage;
        const delta = ((message.timestamp as number) || now) - (firstTimestamp as number);
        if (!Number.isInteger(delta) || delta >= SMALL_DELTA || delta <= -SMALL_DELTA) return undefined;
        const keyLength = bytesLength(message.key);
        const valueLength = bytesLength(message.value);
        if (Number.isNaN(keyLength) || Number.isNaN(valueLength)) return undefined;
        const headers = message.headers ?? {};
        if (typeof headers !== "object" || headers === null) return undefined;
        const pairsStart = headerPairs.length;
        let headersSize = 0;
        for (const key of Object.keys(headers)) {
          const given = (headers as Record<string, unknown>)[key];
          const values = Array.isArray(given) ? given : [given];
          for (const value of values) {
            const keyBytes = Buffer.byteLength(key);
            const valueBytes = bytesLength(value);
            if (Number.isNaN(valueBytes) || valueBytes < 0) return undefined;
            headerPairs.push(key, value, keyBytes, valueBytes);
            headersSize += varIntSize(keyBytes) + keyBytes + varIntSize(valueBytes) + valueBytes;
          }
        }
        const headerCount = (headerPairs.length - pairsStart) / 4;
        const body =
          1 +
          varIntSize(delta) +
          varIntSize(i) +
          varIntSize(keyLength) +
          Math.max(keyLength, 0) +
          varIntSize(valueLength) +
          Math.max(valueLength, 0) +
          varIntSize(headerCount) +
          headersSize;
        lengths.push(body, delta, keyLength, valueLength, headerCount);
        records += varIntSize(body) + body;
      }
      const batchBody = 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4 + records;
      const batch = 4 + 1 + 4 + batchBody;
      lengths.push(batch);
      total += 4 + 4 + 8 + 4 + batch;
    }
  }

  // Second pass: write it all.
  // Room before the body for kafkajs's framing (see patchedWriteEncoder), so the request is never copied again.
  const buf = Buffer.allocUnsafe(FRAMING_ROOM + total).subarray(FRAMING_ROOM);
  let offset = 0;
  if (transactionalId === null) offset = buf.writeInt16BE(-1, offset);
  else {
    const length = Buffer.byteLength(transactionalId);
    offset = buf.writeInt16BE(length, offset);
    offset += buf.write(transactionalId, offset, length, "utf8");
  }
  offset = buf.writeInt16BE(acks, offset);
  offset = buf.writeInt32BE(timeout, offset);
  offset = buf.writeInt32BE(topicData.length, offset);
  let at = 0;
  let pair = 0;
  let times = 0;
  for (const { topic, partitions } of topicData) {
    const topicLength = Buffer.byteLength(topic);
    offset = buf.writeInt16BE(topicLength, offset);
    offset += buf.write(topic, offset, topicLength, "utf8");
    offset = buf.writeInt32BE(partitions.length, offset);
    for (const { partition, firstSequence, messages } of partitions) {
      const recordsAt = at;
      at += messages.length * 5;
      const batch = lengths[at++] as number;
      offset = buf.writeInt32BE(partition, offset);
      offset = buf.writeInt32BE(8 + 4 + batch, offset);
      offset = writeInt64(buf, offset, 0);
      offset = buf.writeInt32BE(batch, offset);
      offset = buf.writeInt32BE(0, offset); // partition leader epoch
      offset = buf.writeInt8(MAGIC, offset);
      const crcAt = offset;
      offset += 4;
      const bodyAt = offset;
      offset = buf.writeInt16BE(NO_COMPRESSION | (transactionalId ? TRANSACTIONAL : 0), offset);
      offset = buf.writeInt32BE(messages.length - 1, offset);
      offset = writeInt64(buf, offset, partitionTimes[times++]);
      offset = writeInt64(buf, offset, partitionTimes[times++]);
      offset = writeInt64(buf, offset, producerId);
      offset = buf.writeInt16BE(producerEpoch, offset);
      offset = buf.writeInt32BE(firstSequence ?? 0, offset);
      offset = buf.writeInt32BE(messages.length, offset);
      let field = recordsAt;
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i] as ProduceMessage;
        const body = lengths[field++] as number;
        const delta = lengths[field++] as number;
        const keyLength = lengths[field++] as number;
        const valueLength = lengths[field++] as number;
        const headerCount = lengths[field++] as number;
        offset = writeVarInt(buf, offset, body);
        buf[offset++] = 0; // record attributes
        offset = writeVarInt(buf, offset, delta);
        offset = writeVarInt(buf, offset, i);
        offset = writeBytes(buf, offset, message.key, keyLength);
        offset = writeBytes(buf, offset, message.value, valueLength);
        offset = writeVarInt(buf, offset, headerCount);
        for (let h = 0; h < headerCount; h++) {
          const key = headerPairs[pair++] as string;
          const value = headerPairs[pair++];
          const keyBytes = headerPairs[pair++] as number;
          const valueBytes = headerPairs[pair++] as number;
          offset = writeBytes(buf, offset, key, keyBytes);
          offset = writeBytes(buf, offset, value, valueBytes);
        }
      }
      buf.writeUInt32BE(crc32C(buf.subarray(bodyAt, offset)), crcAt);
    }
  }
  if (offset !== total) throw new Error(`produce request encoded to ${offset} bytes, measured ${total}`);
  const encoder = Object.create(Encoder.prototype) as EncoderLike;
  encoder.buf = buf;
  encoder.offset = total;
  encoder[ROOM_BEFORE] = FRAMING_ROOM;
  return encoder;
}

/**
 * Bytes kept free before an encoded produce request. kafkajs frames every request in request.js as
 * `new Encoder().writeInt32(size).writeEncoder(new Encoder().writeInt16(apiKey).writeInt16(apiVersion)
 * .writeInt32(correlationId).writeString(clientId).writeEncoder(body))`: each writeEncoder copied the whole body
 * into a new zero-filled buffer of the next power of two, twice per request. A router profile had those copies
 * (fresh pages, faulted in one by one on this kind of virtual machine) at 8 % of its time. 4 + 2 + 2 + 4 + 2
 * bytes of header and a client id of up to 240 bytes fit; a longer one takes kafkajs's copying path.
 */
const FRAMING_ROOM = 256;
/** How many bytes before an encoder's `buf` in the same allocation are free to write a frame into. */
const ROOM_BEFORE = Symbol("clueline.roomBefore");

function patchedWriteEncoder(original: (value: unknown) => unknown) {
  return function writeEncoder(this: EncoderLike, value: EncoderLike | null | undefined) {
    const room = value?.[ROOM_BEFORE];
    if (value && room !== undefined && this.offset <= room) {
      // Write what this encoder holds (the frame's head) into the room right before the body and adopt the
      // body's memory: a view, not a copy. What is left before the head is room for the next frame out.
      const framed = Buffer.from(value.buf.buffer, value.buf.byteOffset - this.offset, this.offset + value.offset);
      this.buf.copy(framed, 0, 0, this.offset);
      this.buf = framed;
      this.offset = framed.length;
      this[ROOM_BEFORE] = room - (framed.length - value.offset);
      return this;
    }
    return original.call(this, value);
  };
}

interface ProduceProtocol {
  protocol: (options: {
    version: number;
  }) => ((args: ProduceRequestArgs) => { request: { encode: () => Promise<unknown> } }) | undefined;
}

let patched = false;

/**
 * Has kafkajs 2.2.4 encode produce requests (v3 to v7) with {@link encodeProduceRequest}, once per thread; another
 * version is left as it is and said so. Whatever the one-pass encoder does not handle goes to kafkajs's own.
 * kafkajs's Encoder.writeEncoder is wrapped too, so that the framing of such a request is written in the room kept
 * before it instead of copying it twice (any other encoder is written as kafkajs always did).
 */
export function patchKafkajsProduceEncoder(): { patched: boolean; version: string } {
  const { version } = kafkajs("kafkajs/package.json") as { version: string };
  if (version !== PATCHED_KAFKAJS_VERSION) return { patched: false, version };
  if (!patched) {
    const produce = kafkajs("kafkajs/src/protocol/requests/produce/index.js") as ProduceProtocol;
    const original = produce.protocol;
    produce.protocol = ({ version: apiVersion }) => {
      const build = original({ version: apiVersion });
      if (!build || apiVersion < 3 || apiVersion > 7) return build;
      return (args) => {
        const built = build(args);
        const encodeAsKafkajs = built.request.encode;
        built.request.encode = async () => encodeProduceRequest(args) ?? encodeAsKafkajs();
        return built;
      };
    };
    Encoder.prototype.writeEncoder = patchedWriteEncoder(Encoder.prototype.writeEncoder);
    patched = true;
  }
  return { patched: true, version };
}
