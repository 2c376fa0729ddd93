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
const MAPPED = /[零〇一幺二两三四五六七八九]|[^\p{ASCII}\u4e00-\u9fff]/gu;

const readAs = (char: string) => NUMERALS[char] ?? char.normalize("NFKC");

/**
 * NFKC per code point (full-width ＡＢＣ１２３ and circled ① become ASCII, the ideographic space a space) and
 * Chinese numerals read as digits. Per code point rather than over the whole text so that every character of the
 * result maps back to one original code point; the compositions this forgoes join letters with accents, which no
 * contact pattern reads. Most texts keep their length (a numeral or a full-width digit is one unit either way),
 * and then offsets are the same in both; only when one does not (① → "1", ㍻ → "平成") are they mapped unit by unit.
 *
 * @example
 * matchingTextOf("电话：幺３８").text; // "电话:138"
 */
export function matchingTextOf(original: string): MatchingText {
  let sameLength = true;
  const text = original.replace(MAPPED, (char) => {
    const mapped = readAs(char);
    if (mapped.length !== char.length) sameLength = false;
    return mapped;
  });
  if (sameLength) return { text, startOf: (index) => index, endOf: (index) => index + 1 };
  const starts: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const char of original) {
    const mapped = MAPPED.test(char) ? readAs(char) : char;
    MAPPED.lastIndex = 0;
    for (let unit = 0; unit < mapped.length; unit++) {
      starts.push(offset);
      ends.push(offset + char.length);
    }
    offset += char.length;
  }
  return { text, startOf: (index) => starts[index] as number, endOf: (index) => ends[index] as number };
}
