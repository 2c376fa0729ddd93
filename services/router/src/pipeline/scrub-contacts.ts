/**
 * Reporters write their own numbers into free text ("我电话13800138000，请回电"). Unit streams reach the
 * units complained about, so contact numbers are taken out of the text before it goes there (DESIGN §8:
 * leaking an informant is the worst failure). Patterns: mainland ID numbers (18 characters), mobile numbers
 * (11 digits from 1[3-9]), landlines with area code, and e-mail addresses.
 */
const PATTERNS: RegExp[] = [
  /(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g,
  /(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)/g,
  /(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)/g,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
];

export const SCRUBBED = "[已隐去]";

/**
 * @example
 * scrubContacts("请回电13800138000"); // "请回电[已隐去]"
 */
export function scrubContacts(text: string): string {
  return PATTERNS.reduce((scrubbed, pattern) => scrubbed.replace(pattern, SCRUBBED), text);
}
