import { deflateRawSync, inflateRawSync } from "node:zlib";
import { currentRoutedDictionary, routedDictionaries } from "./routed-dictionaries.js";

/**
 * Measured on the corpus's texts (bench/routed-compression.ts; 1.5 kB each, 2-core bench machine): level 3 costs what
 * level 1 does (~34 µs, nearly all of it zlib's own work) and is ~30 B smaller. An 8 KiB window holds the dictionary
 * and a text's near matches (a larger one compressed no better), so zlib allocates 48 kB, not 256; 1 KiB output chunks
 * come from Node's buffer pool where the default 16 KiB were each a new buffer for the collector (median 45 → 34 µs).
 */
const options = { level: 3, windowBits: 13, memLevel: 5, chunkSize: 1024 } as const;

/** A stored value names a dictionary this router does not have: a newer router wrote it. */
export class UnknownRoutedDictionary extends Error {
  constructor(readonly dictionary: number | undefined) {
    super(`the stored routed value names dictionary ${dictionary}, which this router version does not know`);
    this.name = "UnknownRoutedDictionary";
  }
}

/**
 * An opening's `ClueRouted` text as `clues.routed_deflated` stores it (migration 6): the number of the preset
 * dictionary (one byte), then the text's UTF-8 deflated raw with that dictionary. PostgreSQL compresses no value in
 * a row under ~2 kB, and these texts are mostly keys and sentences every value repeats: ~1.5 kB becomes ~0.5 kB.
 * Null for a text with a lone surrogate, which would not come back the same (`JSON.stringify` never writes one).
 * Inflating reads any window size, so `options` may change without a new dictionary number.
 *
 * @example
 * const stored = compressRouted(text); // Buffer [1, …], or null: store the text itself
 */
export function compressRouted(text: string): Buffer | null {
  // A lone surrogate would come back as U+FFFD. `isWellFormed` (Node 20) is not in the ES2023 lib the build targets;
  // a regular expression took 4.4 µs a text, it takes 0.7.
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) return null;
  const dictionary = routedDictionaries.get(currentRoutedDictionary) as Buffer;
  return Buffer.concat([Buffer.of(currentRoutedDictionary), deflateRawSync(text, { ...options, dictionary })]);
}

/**
 * The text {@link compressRouted} was given, exactly. Paid only where a stored opening is read: a merge into its clue,
 * a redelivered complaint, a re-routing, a look-up of the decision.
 */
export function decompressRouted(stored: Uint8Array): string {
  const dictionary = routedDictionaries.get(stored[0] ?? -1);
  if (!dictionary) throw new UnknownRoutedDictionary(stored[0]);
  return inflateRawSync(stored.subarray(1), { dictionary }).toString("utf8");
}
