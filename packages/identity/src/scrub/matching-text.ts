/**
 * Chinese numerals as people write phone and ID numbers: 幺 is how 1 is read out on the phone, 两 is 2.
 * 十, 百 and 千 are left alone: they make amounts (三千元), never a digit of a number read out digit by digit.
 */
const NUMERALS: Readonly<Record<string, string>> = {
  零: "0",
  〇: "0",
  一: "1",
  幺: "1",
  二: "2",
  两: "2",
  三: "3",
  四: "4",
  五: "5",
  六: "6",
  七: "7",
  八: "8",
  九: "9",
};

/**
 * A text as the patterns read it, and where each of its characters came from in the original, so that a match
 * found here is cut out of the original text.
 */
export interface MatchingText {
  text: string;
  /** For each UTF-16 unit of `text`: the start and end of the original code point it came from. */
  starts: number[];
  ends: number[];
}

/** CJK ideographs (U+4E00–U+9FFF) and ASCII are their own NFKC form; only the rest is normalized, one code point at a time. */
function needsNormalizing(codePoint: number): boolean {
  return codePoint >= 0x80 && (codePoint < 0x4e00 || codePoint > 0x9fff);
}

/**
 * NFKC per code point (full-width ＡＢＣ１２３ and circled ① become ASCII, the ideographic space a space) and
 * Chinese numerals read as digits. Per code point rather than over the whole text so that every character of the
 * result maps back to one original code point; the compositions this forgoes join letters with accents, which no
 * contact pattern reads.
 *
 * @example
 * matchingTextOf("电话：幺３８").text; // "电话:138"
 */
export function matchingTextOf(original: string): MatchingText {
  let text = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const char of original) {
    const codePoint = char.codePointAt(0) as number;
    const mapped = NUMERALS[char] ?? (needsNormalizing(codePoint) ? char.normalize("NFKC") : char);
    const end = offset + char.length;
    for (let unit = 0; unit < mapped.length; unit++) {
      starts.push(offset);
      ends.push(end);
    }
    text += mapped;
    offset = end;
  }
  return { text, starts, ends };
}
