import type { ReporterIdentity } from "@clueline/contracts";
import { COUNTRY, SEPARATOR } from "./contact-patterns.js";
import { matchingTextOf } from "./matching-text.js";

/**
 * What may stand between the characters of a name, at most three: spaces, dashes, underscores and the dots of
 * transliterated names (阿卜杜·热合曼, written 阿卜杜.热合曼, 阿卜杜 · 热合曼 or 阿卜杜热合曼). Not commas or 、:
 * "找张，三天后" is no 张三.
 */
const GAP_CHAR = "[\\s\\-_.]"; // the matching text reads every dash as "-", every middle dot as "."
const NAME_GAP = `${GAP_CHAR}{0,3}`;
const IS_GAP = new RegExp(`^${GAP_CHAR}$`, "u");
/**
 * A one-character name (or a phone or ID number of under five symbols) is not looked for: it would take every
 * occurrence of a common character or a short number out of the text while identifying no one.
 */
const MIN_NAME = 2;
const MIN_NUMBER = 5;

/**
 * A mobile number or a mainland ID number is found in every form by the contact patterns already; a pattern of the
 * reporter's own is built only for other phones and ID numbers. Building one costs ~6 µs a request (V8 compiles a
 * new RegExp on first use), a fifth of what the edge spent scrubbing a call.
 */
const MOBILE = /^1[3-9]\d{9}$/;
const MAINLAND_ID = /^(?:[1-9]\d{5}[12][089]\d{2}[01]\d[0-3]\d{4}[\dX]|[1-9]\d{7}[01]\d[0-3]\d{4})$/;

const literal = (char: string) => char.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
const charsOf = (value: string) => [...matchingTextOf(value).text];

/**
 * Digits of a phone as given, without the +86 / 0086 country code (the pattern allows one back), and without the
 * trunk 0 before a mobile number ("013800138000").
 */
function phoneDigits(phone: string): string {
  const written = matchingTextOf(phone).text;
  let digits = written.replace(/\D/g, "");
  if (digits.startsWith("0086") && digits.length > 11) digits = digits.slice(4);
  else if (/^\s*\+/.test(written) && digits.startsWith("86")) digits = digits.slice(2);
  else if (digits.startsWith("86") && digits.length === 13) digits = digits.slice(2);
  return /^01[3-9]\d{9}$/.test(digits) ? digits.slice(1) : digits;
}

/**
 * A Chinese landline's area code and local number: 010 and 02x take two digits after the trunk 0, the rest three;
 * the local number has 7 or 8 digits. Undefined for anything else (a mobile, a foreign or short number).
 */
function landlineParts(digits: string): { area: string; local: string } | undefined {
  const national = digits.replace(/^0/, "");
  const area = /^(?:10|2\d)/.test(national) ? national.slice(0, 2) : national.slice(0, 3);
  const local = national.slice(area.length);
  if (/^[1-9]/.test(national) && /^\d{7,8}$/.test(local) && !/^1[3-9]/.test(national)) return { area, local };
  return undefined;
}

/**
 * The reporter's own phone, other than a mobile: a landline is found with its area code (trunk 0 or not, country
 * code or not) or as its local number alone ("电话8765 4321" for "+86 571 8765 4321"); anything else as given.
 */
function phonePattern(phone: string): RegExp {
  const parts = landlineParts(phone);
  const digits = (value: string) => [...value].join(SEPARATOR);
  const number = parts
    ? `(?:(?:${COUNTRY})?(?:0${SEPARATOR})?${digits(parts.area)}${SEPARATOR})?${digits(parts.local)}`
    : `(?:${COUNTRY})?${digits(phone)}`;
  return new RegExp(`(?<!\\d)${number}(?!\\d)`, "gu");
}

/** The patterns that find this reporter's own name, phone and ID number, however written; read over the matching text. */
export function reporterPatterns(identity: Partial<ReporterIdentity>): { name: RegExp[]; contact: RegExp[] } {
  const name: RegExp[] = [];
  const contact: RegExp[] = [];
  const nameChars = charsOf(identity.name ?? "").filter((char) => !IS_GAP.test(char));
  if (nameChars.length >= MIN_NAME) {
    // Case-blind only for names with Latin letters: V8 builds Unicode case folding for an `iu` pattern, ~15 µs.
    const flags = nameChars.some((char) => /[a-z]/i.test(char)) ? "giu" : "gu";
    name.push(new RegExp(nameChars.map(literal).join(NAME_GAP), flags));
  }
  const phone = phoneDigits(identity.phone ?? "");
  if (phone.length >= MIN_NUMBER && !MOBILE.test(phone)) {
    contact.push(phonePattern(phone));
  }
  const idChars = charsOf(identity.idNumber ?? "").filter((char) => /[0-9a-z]/i.test(char));
  if (idChars.length >= MIN_NUMBER && !MAINLAND_ID.test(idChars.join("").toUpperCase())) {
    const edge = (char: string | undefined) => (char !== undefined && /\d/.test(char) ? "\\d" : "[0-9a-z]");
    const body = idChars.map(literal).join(SEPARATOR);
    contact.push(new RegExp(`(?<!${edge(idChars[0])})${body}(?!${edge(idChars.at(-1))})`, "giu"));
  }
  return { name, contact };
}
