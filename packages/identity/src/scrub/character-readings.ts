/** How single characters read in the matching text: numerals as digits, punctuation, symbols and spaces as ASCII. */

/**
 * Chinese numerals as people write phone and ID numbers: 幺 is how 1 is read out on the phone, 两 is 2; the formal
 * 壹贰叁… of receipts, and their traditional forms (兩 貳 參 陸). 十, 百 and 千 are left alone: they make amounts
 * (三千元), never a digit of a number read out digit by digit.
 */
export const NUMERALS: Readonly<Record<string, string>> = {
  ...digitsFor("0", "零〇"),
  ...digitsFor("1", "一幺壹"),
  ...digitsFor("2", "二两兩贰貳"),
  ...digitsFor("3", "三叁叄參"),
  ...digitsFor("4", "四肆"),
  ...digitsFor("5", "五伍"),
  ...digitsFor("6", "六陆陸"),
  ...digitsFor("7", "七柒"),
  ...digitsFor("8", "八捌"),
  ...digitsFor("9", "九玖"),
};
/** 洞 (0) and 拐 (7) as radio operators read digits out: digits only inside a run of digits, never in 山洞 or 拐弯. */
export const SPOKEN: Readonly<Record<string, string>> = { 洞: "0", 拐: "7" };

function digitsFor(digit: string, numerals: string): Record<string, string> {
  return Object.fromEntries([...numerals].map((numeral) => [numeral, digit]));
}

/** Invisible characters (zero-width space, word joiner, BOM, soft hyphen: all \p{Cf}) would split a number unseen. */
const INVISIBLE = /^\p{Cf}$/u;
/**
 * Punctuation, symbols and spaces beyond ASCII, read as an ASCII stand-in of their kind: every pattern then names its
 * separators with ASCII classes, which V8 compiles and runs several times faster than \p{P}, \p{S} and \p{Z}
 * (a reporter's own pattern is compiled for every request). 。 reads as "." as in "qq。com", · as in 阿卜杜·热合曼;
 * ， and 、 as "," (a name never spans them).
 */
const STAND_INS: readonly [RegExp, string][] = [
  [/[\p{Zl}\p{Zp}]/u, "\n"],
  [/\p{Z}/u, " "],
  [/\p{Pd}/u, "-"],
  [/\p{Ps}/u, "("],
  [/\p{Pe}/u, ")"],
  [/[·•‧∙⋅・。｡]/u, "."],
  [/\p{P}/u, ","],
  [/\p{S}/u, "~"],
];
const NOT_ASCII = /[^\p{ASCII}]/gu;
const standIn = (char: string) => STAND_INS.find(([kind]) => kind.test(char))?.[1] ?? char;
/** What each character seen reads as, up to a bound: an attacker's text of every code point must not grow it. */
const readings = new Map<string, string>();
const MAX_READINGS = 4096;

/**
 * What one character reads as in the matching text (numerals, 洞 and 拐 aside): NFKC, then its stand-in; "" for an
 * invisible one. Remembered, as most texts repeat the same few dozen punctuation marks.
 */
export function reading(char: string): string {
  const known = readings.get(char);
  if (known !== undefined) return known;
  const read = INVISIBLE.test(char) ? "" : (NUMERALS[char] ?? char.normalize("NFKC").replace(NOT_ASCII, standIn));
  if (readings.size < MAX_READINGS) readings.set(char, read);
  return read;
}
/**
 * A run of 洞 and 拐 with a digit (written any way but 洞 and 拐) next to it, a few separators apart. At most 24 long
 * (no number is longer), which keeps the time spent on a page of 洞 linear.
 */
const DIGIT = `[0-9\\uff10-\\uff19${Object.keys(NUMERALS).join("")}]`;
const GAP = "[\\p{P}\\p{S}\\p{Z}\\p{Cf}\\s]{0,6}";
const SPOKEN_RUN = new RegExp(
  `(?<=${DIGIT}${GAP})[洞拐](?:${GAP}[洞拐]){0,23}|[洞拐](?:${GAP}[洞拐]){0,23}(?=${GAP}${DIGIT})`,
  "gu",
);

/** Offsets of the 洞 and 拐 that stand for digits: none unless the text has either character. */
export function spokenDigitsIn(original: string): ReadonlySet<number> {
  const offsets = new Set<number>();
  if (!/[洞拐]/.test(original)) return offsets;
  for (const run of original.matchAll(SPOKEN_RUN)) {
    for (const spoken of run[0].matchAll(/[洞拐]/g)) offsets.add(run.index + spoken.index);
  }
  return offsets;
}
