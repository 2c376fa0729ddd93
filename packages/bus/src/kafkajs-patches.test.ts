import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { patchKafkajsIdleLoop, type RequestQueueInternals } from "./kafkajs-idle-fix.js";
import { type ProduceRequestArgs, patchKafkajsProduceEncoder } from "./kafkajs-produce-encoder.js";
import { PATCHED_KAFKAJS_VERSION } from "./kafkajs-version.js";

// Each patch of kafkajs (see the README's "kafkajs patches") must apply to the kafkajs installed here, or `npm test`
// fails: the pin in every package.json, the installed version, the code they replace, and their effect.

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const kafkajs = createRequire(import.meta.url);

/** Every package.json of the repository: the root and each workspace. */
function manifests(): { path: string; json: Record<string, Record<string, string> | undefined> }[] {
  const paths = ["package.json", "test/package.json"];
  for (const group of ["packages", "services"]) {
    for (const name of readdirSync(join(root, group))) paths.push(`${group}/${name}/package.json`);
  }
  return paths.flatMap((path) => {
    try {
      return [{ path, json: JSON.parse(readFileSync(join(root, path), "utf8")) }];
    } catch {
      return [];
    }
  });
}

/**
 * SHA-256 of the kafkajs 2.2.4 files the patches replace a function of, or reproduce the output of. A change in any of
 * them means a patch was written for other code: read it again against the new code before changing a hash here.
 */
const PATCHED_SOURCES: Record<string, string> = {
  // idle-loop fix: RequestQueue.prototype.scheduleCheckPendingRequests
  "src/network/requestQueue/index.js": "b55986089c14f8f7bfc377922e2e65b3e4c1e7c7af2752d3b10a75dfe9e9260c",
  // produce encoder: Encoder.prototype.writeEncoder, the framing in request.js, produce's protocol() and v3–v7
  "src/protocol/encoder.js": "9977889e184a9e910e4f6098c36ec6a0ca36c183aa6ead0f24191b6aa1c9a777",
  "src/protocol/request.js": "2270900ca6474026c11957fe71ac586881985460ed2554db22ad8870dcaff634",
  "src/protocol/requests/produce/index.js": "789abc7e1c33a99e956f74a34f11b8de6f70be7722580a0f0dd05f67d998f45b",
  "src/protocol/requests/produce/v3/request.js": "993a3db997827088f5acb08cacf3c67a99ec2886303ff465d244329b8a1c7f99",
  "src/protocol/requests/produce/v4/request.js": "0dc2643c0e3c51ad60ed645ab017234dde1f3e5676088fe0120f873f8e4c6eb0",
  "src/protocol/requests/produce/v5/request.js": "1d5dab00092a1dbd82c2ce90bc33026cedb0dcd7fe548153fca40d2c059ea203",
  "src/protocol/requests/produce/v6/request.js": "d19ff7d6cdad42cb666028ea5df88b74f714ffdda20126ac3ea70368701728de",
  "src/protocol/requests/produce/v7/request.js": "bc64c2f2d7feb31ae9c2f03b75a5ec5a290eb9084c703648803e5f15ec1a63eb",
  "src/protocol/recordBatch/crc32C/index.js": "0826ea7387f25400b1a24bacdbba85db9c1f2e932f168874728a9ecaf1eb2379",
  "src/utils/long.js": "c85b8ecea7cf07520328e3e9c3b205c4fab5b68a657e3a92c400b582a5c1aa2c",
};

describe("kafkajs patches apply to the installed kafkajs", () => {
  afterEach(() => vi.useRealTimers());

  it(`every workspace pins kafkajs to exactly ${PATCHED_KAFKAJS_VERSION}, and that is what is installed`, () => {
    const specs = manifests().flatMap(({ path, json }) =>
      ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].flatMap((field) => {
        const spec = json[field]?.kafkajs;
        return spec === undefined ? [] : [{ path, spec }];
      }),
    );
    expect(specs.length).toBeGreaterThan(0);
    expect(specs.filter(({ spec }) => spec !== PATCHED_KAFKAJS_VERSION)).toEqual([]);
    const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    const locked = Object.entries(lock.packages).filter(([path]) => path.endsWith("node_modules/kafkajs"));
    expect(locked.map(([, entry]) => entry.version)).toEqual([PATCHED_KAFKAJS_VERSION]);
    expect((kafkajs("kafkajs/package.json") as { version: string }).version).toBe(PATCHED_KAFKAJS_VERSION);
  });

  it("the kafkajs code the patches replace or reproduce is the code they were written for", () => {
    const packageDir = dirname(kafkajs.resolve("kafkajs/package.json"));
    const found = Object.fromEntries(
      Object.keys(PATCHED_SOURCES).map((file) => [
        file,
        createHash("sha256")
          .update(readFileSync(join(packageDir, file)))
          .digest("hex"),
      ]),
    );
    expect(found).toEqual(PATCHED_SOURCES);
  });

  it("idle-loop fix: a real kafkajs RequestQueue with nothing to do arms no timer, and one while a request waits", () => {
    expect(patchKafkajsIdleLoop()).toEqual({ patched: true, version: PATCHED_KAFKAJS_VERSION });
    vi.useFakeTimers();
    const RequestQueue = kafkajs("kafkajs/src/network/requestQueue/index.js") as new (
      options: Record<string, unknown>,
    ) => RequestQueueInternals;
    const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const queue = new RequestQueue({
      maxInFlightRequests: 1,
      requestTimeout: 1_000,
      enforceRequestTimeout: true,
      clientId: "patch-test",
      broker: "localhost:9092",
      logger,
    });
    // kafkajs's own checkPendingRequests ends by scheduling the next check: unpatched, a 1 ms timer forever.
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
    queue.throttledUntil = Date.now() + 50;
    queue.checkPendingRequests();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(50);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("produce encoder: kafkajs's produce protocol v3 to v7 encodes through the one-pass encoder, to kafkajs's bytes", async () => {
    expect(patchKafkajsProduceEncoder()).toEqual({ patched: true, version: PATCHED_KAFKAJS_VERSION });
    const produce = kafkajs("kafkajs/src/protocol/requests/produce/index.js") as {
      protocol: (options: { version: number }) => (args: ProduceRequestArgs) => {
        request: { encode: () => Promise<{ buf: Buffer; offset: number; buffer: Buffer }> };
      };
    };
    const unpatchedV3 = kafkajs("kafkajs/src/protocol/requests/produce/v3/request.js") as (args: ProduceRequestArgs) => {
      encode: () => Promise<{ buffer: Buffer }>;
    };
    const args: ProduceRequestArgs = {
      acks: -1,
      timeout: 30_000,
      topicData: [
        { topic: "t", partitions: [{ partition: 0, messages: [{ key: "k", value: "v", headers: { h: "x" }, timestamp: 1 }] }] },
      ],
    };
    const expected = (await unpatchedV3(args).encode()).buffer;
    for (const version of [3, 4, 5, 6, 7]) {
      const encoded = await produce.protocol({ version })(args).request.encode();
      // kafkajs's own Encoder starts at 512 bytes; the one-pass encoder's buffer is exactly the request.
      expect(encoded.buf.length, `v${version}`).toBe(encoded.offset);
      expect(encoded.buffer.equals(expected), `v${version}`).toBe(true);
    }
  });
});
