/**
 * Spaces and tabs around the separators proper. The matching text reads every Unicode space as " " and every
 * punctuation mark or symbol as an ASCII one (character-readings.ts), so ASCII classes cover them all.
 */
const SPACES = "[ \\t]{0,3}";
/** Any punctuation or symbol: dots, dashes, slashes, colons, 。 、 * | + ~ parentheses, in any script. */
export const MARK = "[!-/:-@\\[-`{-~]";
/**
 * What may stand between two digits of one number: up to four punctuation marks or symbols in any mix, spaces
 * around each, and one line break ("138\n0013\n8000"). Letters and ideographs never do (年, 月, 元 end a number).
 */
export const SEPARATOR = `${SPACES}(?:${MARK}${SPACES}){0,4}(?:\\r?\\n${SPACES}(?:${MARK}${SPACES}){0,2})?`;

/**
 * Digits with separators allowed between them: each entry is one digit's class. A number starts and ends where no
 * digit touches it, so "12345 13800138000" still yields the mobile number while a run of 16 glued digits does not.
 */
export function digitSequence(classes: readonly string[]): string {
  return classes.join(SEPARATOR);
}

const repeat = (digitClass: string, times: number) => Array.from({ length: times }, () => digitClass);
const D = "\\d";

/**
 * +86, 0086 or 86 with any separators; the "+" is taken with it. It starts at "+", "0" or "8", never at a separator
 * before them ("手机 +86…" keeps its space).
 */
export const COUNTRY = `(?:(?:\\+|0${SEPARATOR}0)${SEPARATOR})?8${SEPARATOR}6${SEPARATOR}`;
/** A mobile number, after a country code or the trunk 0 some dial before another city's mobile ("013800138000"). */
const MOBILE = `(?<!\\d)(?:${COUNTRY}|0${SEPARATOR})?${digitSequence(["1", "[3-9]", ...repeat(D, 9)])}(?!\\d)`;
const EXTENSION = `(?:${SEPARATOR}(?:转|分机|ext\\.?|x|#|-)${SEPARATOR}\\d{1,6})?`;
/**
 * A landline with its area code: 010 and 02x take 8 digits, 03xx–09xx take 7 or 8 (China's numbering plan), then an
 * extension after 转, 分机, ext, x, # or a dash. Holding to real area codes keeps month-first digit runs out.
 */
const LANDLINE = `(?<!\\d)(?:${digitSequence(["0", "[12]", D, ...repeat(D, 8)])}|${digitSequence(["0", "[3-9]", D, D, ...repeat(D, 7)])}(?:${SEPARATOR}\\d)?)${EXTENSION}(?!\\d)`;
/**
 * A landline after +86, 0086 or 86, its area code written without the trunk 0 ("+86 10 8765 4321", "+86 (571)
 * 8765-4321") or with it: 10 and 2x take 8 digits, 3xx–9xx 7 or 8. No mobile number starts 10 or 2.
 */
const INTERNATIONAL_LANDLINE = `(?<!\\d)${COUNTRY}(?:0${SEPARATOR})?(?:${digitSequence(["1", "0", ...repeat(D, 8)])}|${digitSequence(["2", D, ...repeat(D, 8)])}|${digitSequence(["[3-9]", D, D, ...repeat(D, 7)])}(?:${SEPARATOR}\\d)?)${EXTENSION}(?!\\d)`;
/** 18 characters: area (6), birth date (8, year 18xx–20xx), sequence (3), check digit or X. Dates are checked loosely. */
const ID_18 = `(?<!\\d)${digitSequence(["[1-9]", ...repeat(D, 5), "[12]", "[089]", D, D, "[01]", D, "[0-3]", D, D, D, D, "[\\dXx]"])}(?!\\d)`;
/** The 15-digit ID numbers issued before 1999: area (6), birth date yymmdd (6), sequence (3). */
const ID_15 = `(?<!\\d)${digitSequence(["[1-9]", ...repeat(D, 7), "[01]", D, "[0-3]", D, D, D, D])}(?!\\d)`;
/**
 * E-mail, spaces around the @ and the ideographic full stop allowed ("zhangsan @ qq。com"). It starts where its
 * local part starts: tried inside a long run of such characters it would cost time quadratic in the run's length.
 */
const EMAIL = "(?<![a-z0-9._%+\\-])[a-z0-9._%+\\-]+\\s{0,2}@\\s{0,2}[a-z0-9\\-]+(?:\\.[a-z0-9\\-]+)+";
/** Spaces, punctuation and symbols around 号 or 是: "QQ 号 123", "qq（123）", "WeChat ID: abc". */
const AROUND = `(?:\\s|${MARK}){0,3}`;
/** What may follow a keyword before the id: 号, 号码, 账号, id, 是, 为, with spaces, colons, brackets, dashes. */
const AFTER_KEYWORD = `${AROUND}(?:号码?|账号|帐号|id)?${AROUND}(?:是|为)?${AROUND}`;
/** QQ numbers: 5–11 digits, never starting with 0, after QQ, 扣扣 or 企鹅. */
const QQ = `(?:qq|扣扣|企鹅)${AFTER_KEYWORD}(?<id>${digitSequence(["[1-9]", ...repeat(D, 4)])}(?:${SEPARATOR}\\d){0,6})(?!\\d)`;
/**
 * WeChat ids after 微信, wx, weixin, wechat, vx, v信, a lone V ("加我V：abc") and the homophones 威信, 薇信:
 * letter-led, then letters, digits, - and _ (WeChat allows 6–20; longer runs go too). A phone after the keyword is
 * caught as a phone. The lone V must stand apart from other letters and digits, or "Vanessa" would lose "anessa".
 */
const WECHAT_KEYWORD = "(?:微信|威信|薇信|(?<![a-z])(?:weixin|wechat|wx|vx|v信|v(?![a-z0-9])))";
const WECHAT = `${WECHAT_KEYWORD}${AFTER_KEYWORD}(?<id>[a-z][a-z0-9_\\-]{5,39})`;
const WECHAT_DIGITS = `${WECHAT_KEYWORD}${AFTER_KEYWORD}(?<id>${digitSequence(["[1-9]", ...repeat(D, 4)])}(?:${SEPARATOR}\\d){0,6})(?!\\d)`;
/** The ids WeChat gives by default, keyword or not: wxid_ and 14 or so letters and digits, taken whole. */
const WXID = "(?<![a-z0-9_])wxid_[a-z0-9_\\-]{3,40}";

/**
 * Dates written with dots, dashes or slashes (2026.05.01-2026.06.30): a landline or a 15-digit ID number found
 * overlapping one is a date range, not a contact. A date glued to digits before it is no date ("0571 1914.8096").
 */
export const DATE_PATTERN = new RegExp(
  `(?<!\\d${SEPARATOR})(?:1[89]|20)\\d{2} ?[.\\-/年] ?[01]?\\d(?: ?[.\\-/月] ?[0-3]?\\d)?(?!\\d)`,
  "gu",
);

/**
 * Every number pattern needs five digits in a row (separators allowed); most complaints have none (dates, amounts
 * and counts run to four), so one pass over the text spares every number pattern.
 */
const FIVE_DIGITS = new RegExp(digitSequence(repeat(D, 5)), "u");

/**
 * Every contact pattern, read over the matching text (NFKC, numerals as digits); flags: global, case-blind, Unicode.
 * Where a pattern reads a keyword before the contact (QQ, WeChat), the group `id` is the contact, all that is cut.
 * `needs` is a cheap test without which the pattern cannot match (measured: the QQ and WeChat patterns cost ~2.5 µs
 * each over 200 characters, their keyword test a tenth of that).
 */
export const CONTACT_PATTERNS: readonly { pattern: RegExp; yieldsToDates: boolean; needs: RegExp }[] = [
  { source: MOBILE, yieldsToDates: false, needs: FIVE_DIGITS },
  { source: LANDLINE, yieldsToDates: true, needs: FIVE_DIGITS },
  { source: INTERNATIONAL_LANDLINE, yieldsToDates: false, needs: FIVE_DIGITS },
  { source: ID_18, yieldsToDates: false, needs: FIVE_DIGITS },
  { source: ID_15, yieldsToDates: true, needs: FIVE_DIGITS },
  { source: EMAIL, yieldsToDates: false, needs: /@/ },
  { source: QQ, yieldsToDates: false, needs: /qq|扣扣|企鹅/i },
  { source: WECHAT, yieldsToDates: false, needs: /微信|威信|薇信|weixin|wechat|wx|v/i },
  { source: WECHAT_DIGITS, yieldsToDates: false, needs: /微信|威信|薇信|weixin|wechat|wx|v/i },
  { source: WXID, yieldsToDates: false, needs: /wxid_/i },
].map(({ source, ...rest }) => ({ pattern: new RegExp(source, "giu"), ...rest }));
