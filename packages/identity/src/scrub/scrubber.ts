import type { ReporterIdentity } from "@clueline/contracts";
import { CONTACT_PATTERNS, DATE_PATTERN } from "./contact-patterns.js";
import { matchingTextOf } from "./matching-text.js";
import { reporterPatterns } from "./reporter-patterns.js";

/** What replaces a contact (phone, ID number, e-mail, QQ, WeChat) and the reporter's own name (DESIGN §8). */
export const CONTACT_MARKER = "[联系方式]";
export const REPORTER_MARKER = "[举报人]";

const OPENING = new Set(["(", "（"]);

interface Cut {
  start: number;
  end: number;
  marker: string;
}

/** Where a pattern matches; of a keyword and the contact after it (group `id`, the match's end), the contact only. */
function* matchesOf(pattern: RegExp, text: string): Generator<{ start: number; end: number }> {
  pattern.lastIndex = 0;
  for (const match of text.matchAll(pattern)) {
    const end = match.index + match[0].length;
    const length = (match.groups?.id ?? match[0]).length;
    if (length > 0) yield { start: end - length, end };
  }
}

/** Overlapping cuts become one; where a name and a contact overlap, the contact's marker stands. */
function merged(cuts: Cut[]): Cut[] {
  const sorted = cuts.sort((a, b) => a.start - b.start || b.end - a.end);
  const result: Cut[] = [];
  for (const cut of sorted) {
    const last = result.at(-1);
    if (last && cut.start < last.end) {
      last.end = Math.max(last.end, cut.end);
      if (cut.marker === CONTACT_MARKER) last.marker = CONTACT_MARKER;
    } else result.push({ ...cut });
  }
  return result;
}

/**
 * A scrubber for one complaint: it takes every contact pattern out of a text, however written (full-width digits,
 * Chinese numerals, separators, +86 / 0086, landlines, ID numbers glued to letters, e-mail, QQ, WeChat), and, given
 * the reporter's identity, their own name, phone and ID number; each becomes a marker. Patterns are matched on the
 * text after NFKC and numeral mapping, and cut out of the original, so everything else stays as written.
 * Without an identity (the router, which never holds one) it takes out contacts only.
 *
 * @example
 * const scrub = createScrubber({ name: "张三", phone: "13800138000" });
 * scrub("我是张 三，电话幺三八 零零幺三 八零零零"); // "我是[举报人]，电话[联系方式]"
 */
export function createScrubber(identity: Partial<ReporterIdentity> = {}): (text: string) => string {
  const own = reporterPatterns(identity);
  return function scrub(original: string): string {
    const { text, startOf, endOf } = matchingTextOf(original);
    const dates = [...matchesOf(DATE_PATTERN, text)];
    const overlapsDate = (match: { start: number; end: number }) =>
      dates.some((date) => match.start < date.end && date.start < match.end);
    const found: Cut[] = [];
    for (const { pattern, yieldsToDates, needs } of CONTACT_PATTERNS) {
      if (!needs.test(text)) continue;
      for (const match of matchesOf(pattern, text)) {
        if (!(yieldsToDates && overlapsDate(match))) found.push({ ...match, marker: CONTACT_MARKER });
      }
    }
    for (const pattern of own.contact)
      for (const match of matchesOf(pattern, text)) found.push({ ...match, marker: CONTACT_MARKER });
    for (const pattern of own.name)
      for (const match of matchesOf(pattern, text)) found.push({ ...match, marker: REPORTER_MARKER });
    if (found.length === 0) return original;
    let result = "";
    let at = 0;
    for (const cut of merged(found)) {
      // Max: one original character can become two matched ones (⑩ → 10), and two cuts can end and start inside it.
      let start = Math.max(at, startOf(cut.start));
      const end = Math.max(at, endOf(cut.end - 1));
      // "(0571)8765-4321": the area code's opening parenthesis goes with the number it opened.
      if (start > at && OPENING.has(original[start - 1] as string) && /[)）]/.test(original.slice(start, end))) start -= 1;
      result += original.slice(at, start) + cut.marker;
      at = end;
    }
    return result + original.slice(at);
  };
}
