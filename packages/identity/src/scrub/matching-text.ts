import { NUMERALS, reading, SPOKEN, spokenDigitsIn } from "./character-readings.js";

/**
 * A text as the patterns read it, and where each of its UTF-16 units came from in the original, so that a match
 * found here is cut out of the original text.
 */
export interface MatchingText {
  text: string;
  /** Start of the original code point that unit `index` of `text` came from. */
  startOf(index: number): number;
  /** End of the original code point that unit `index` of `text` came from. */
  endOf(index: number): number;
}

/**
 * The characters that read differently: numerals, and everything but ASCII and CJK ideographs (U+4E00–U+9FFF),
 * which are their own NFKC form.
 */
const NUMERAL_CLASS = `${Object.keys(NUMERALS).join("")}${Object.keys(SPOKEN).join("")}`;
const MAPPED = new RegExp(`[${NUMERAL_CLASS}]|[^\\p{ASCII}\\u4e00-\\u9fff]`, "gu");
const MAPPED_ONE = new RegExp(`^(?:${MAPPED.source})$`, "u");

/**
 * NFKC per code point (full-width ＡＢＣ１２３ and circled ① become ASCII, the ideographic space a space), Chinese
 * numerals read as digits, other punctuation and symbols as ASCII ones, invisible format characters dropped (see
 * character-readings.ts). Per code point rather than over the whole text so that every character of the result
 * maps back to one original code point; the compositions this forgoes join letters with accents, which no contact
 * pattern reads. Most texts keep their length (a numeral or a full-width digit is one unit either way), and then
 * offsets are the same in both; only when one does not (① → "1", ㍻ → "平成", a zero-width space → "") are they
 * mapped unit by unit.
 *
 * @example
 * matchingTextOf("电话：幺３８\u200b洞。").text; // "电话:1380."
 */
export function matchingTextOf(original: string): MatchingText {
  const spoken = spokenDigitsIn(original);
  const readAs = (char: string, offset: number) =>
    char in SPOKEN ? (spoken.has(offset) ? (SPOKEN[char] as string) : char) : reading(char);
  let sameLength = true;
  const text = original.replace(MAPPED, (char, offset: number) => {
    const mapped = readAs(char, offset);
    if (mapped.length !== char.length) sameLength = false;
    return mapped;
  });
  if (sameLength) return { text, startOf: (index) => index, endOf: (index) => index + 1 };
  const starts: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const char of original) {
    const mapped = MAPPED_ONE.test(char) ? readAs(char, offset) : char;
    for (let unit = 0; unit < mapped.length; unit++) {
      starts.push(offset);
      ends.push(offset + char.length);
    }
    offset += char.length;
  }
  return { text, startOf: (index) => starts[index] as number, endOf: (index) => ends[index] as number };
}
