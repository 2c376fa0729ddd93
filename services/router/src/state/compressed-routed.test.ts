import { createHash } from "node:crypto";
import type { Complaint } from "@clueline/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../directory/index.js";
import { corpusComplaints, routedTexts } from "../testing/routed-texts.js";
import { compressRouted, decompressRouted, UnknownRoutedDictionary } from "./compressed-routed.js";
import { currentRoutedDictionary, routedDictionaries } from "./routed-dictionaries.js";

const directory = compileDirectory(await loadDirectory(defaultDirectoryPath));
const { source } = directory;

/** Exactly the text, byte for byte as UTF-8, after a trip through {@link compressRouted}. */
function expectExactTrip(text: string): Buffer {
  const stored = compressRouted(text);
  expect(stored).not.toBeNull();
  const back = decompressRouted(new Uint8Array(stored as Buffer));
  expect(back).toBe(text);
  expect(Buffer.from(back).equals(Buffer.from(text))).toBe(true);
  return stored as Buffer;
}

const words = [
  ...source.departments.flatMap((d) => [d.name, ...d.aliases]),
  ...source.towns.flatMap((t) => [t.name, ...t.aliases]),
  ...source.categories.flatMap((c) => c.keywords),
  "反映",
  "工作人员",
  "，",
  "。",
];
/** Any text at all (escapes, astral characters, lone surrogates, quotes), or the directory's words strung together. */
const textArb = fc.oneof(
  fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 12 }).map((parts) => parts.join("")),
  fc.string({ unit: "binary", minLength: 1 }),
  fc.string({ unit: fc.constantFrom("\ud800", "\udc00", '"', "\\", "\u0000", "中", "a"), minLength: 1 }),
);
const complaintArb: fc.Arbitrary<Complaint> = fc.record({
  id: fc.stringMatching(/^[\w.:-]{1,40}$/),
  channel: fc.constantFrom("hotline", "intake", "media"),
  receivedAt: fc.integer({ min: 0, max: 400 * 86_400_000 }).map((ms) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString()),
  text: textArb,
  reporter: fc.oneof(
    fc.constant({ kind: "anonymous" as const }),
    fc.stringMatching(/^[0-9a-f]{64}$/).map((hash) => ({ kind: "real-name" as const, hash })),
  ),
  subjects: fc.option(
    fc.record({
      departments: fc.subarray(source.departments.map((d) => d.id)),
      towns: fc.subarray(source.towns.map((t) => t.id)),
      persons: fc.array(fc.record({ name: textArb, rank: fc.constantFrom("county", "city", "staff") }), { maxLength: 2 }),
    }),
    { nil: undefined },
  ),
  media: fc.option(fc.record({ reach: fc.nat({ max: 300_000 }), program: textArb }), { nil: undefined }),
});

describe("an opening's routed text, compressed", () => {
  it("comes back byte for byte for every clue the labelled corpus opens, at under 40 % of its size", async () => {
    const texts = await routedTexts({ complaints: corpusComplaints(), directory });
    expect(texts.length).toBeGreaterThan(600);
    let textBytes = 0;
    let storedBytes = 0;
    for (const text of texts) {
      storedBytes += expectExactTrip(text).length;
      textBytes += Buffer.byteLength(text);
    }
    // Measured: 1,515 B → 471 B a text on average (31 %); without the dictionary 836 B (55 %).
    expect(storedBytes / textBytes).toBeLessThan(0.4);
  });

  it("comes back byte for byte for whatever complaints the router opens clues for", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(complaintArb, { minLength: 1, maxLength: 8 }), async (complaints) => {
        const unique = complaints.map((complaint, n) => ({ ...complaint, id: `${n}-${complaint.id}` }));
        for (const text of await routedTexts({ complaints: unique, directory })) expectExactTrip(text);
      }),
      { numRuns: 150 },
    );
  });

  it("is any text but one with a lone surrogate, which UTF-8 cannot carry: that one stays as it is", () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const lone = Buffer.from(text).toString() !== text;
        if (lone) expect(compressRouted(text)).toBeNull();
        else expectExactTrip(text);
      }),
      { numRuns: 2_000 },
    );
  });

  it("names its dictionary in its first byte and is not read with a dictionary this version lacks", () => {
    const stored = compressRouted('{"decision":{},"complaint":{}}') as Buffer;
    expect(stored[0]).toBe(currentRoutedDictionary);
    const unknown = Buffer.from(stored);
    unknown[0] = 200;
    expect(() => decompressRouted(unknown)).toThrow(UnknownRoutedDictionary);
  });

  it("keeps every shipped dictionary exactly as it was: values written with it are read with it", () => {
    // A changed dictionary reads old values as other bytes, or not at all: add the next number instead.
    const hashes = Object.fromEntries(
      [...routedDictionaries].map(([number, bytes]) => [number, createHash("sha256").update(bytes).digest("hex")]),
    );
    expect(hashes).toEqual({ 1: "194d6e67cd0f40a57f8bfcff8b33cf79faaa5542b62ae4a5cfcbce149927eb7b" });
  });
});
