import type { ReporterIdentity } from "@clueline/contracts";
import { SEPARATOR } from "./contact-patterns.js";
import { matchingTextOf } from "./matching-text.js";

/** Between the characters of a name: spaces and the dots of transliterated names (阿卜杜·热合曼), at most two. */
const NAME_GAP = "[\\s·•.]{0,2}";
/** +86, 0086 or 86 before the reporter's own phone, as before any mobile number. */
const COUNTRY = `(?:\\+?${SEPARATOR}(?:00${SEPARATOR})?8${SEPARATOR}6${SEPARATOR})?`;
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

/** Digits of a phone as given, without the +86 / 0086 country code (the pattern allows one back). */
function phoneDigits(phone: string): string {
  const digits = matchingTextOf(phone).text.replace(/\D/g, "");
  if (digits.startsWith("0086") && digits.length > 13) return digits.slice(4);
  return digits.length === 13 && digits.startsWith("86") ? digits.slice(2) : digits;
}

/** The patterns that find this reporter's own name, phone and ID number, however written; read over the matching text. */
export function reporterPatterns(identity: Partial<ReporterIdentity>): { name: RegExp[]; contact: RegExp[] } {
  const name: RegExp[] = [];
  const contact: RegExp[] = [];
  const nameChars = charsOf(identity.name ?? "").filter((char) => !/\s/.test(char));
  if (nameChars.length >= MIN_NAME) {
    // Case-blind only for names with Latin letters: V8 builds Unicode case folding for an `iu` pattern, ~15 µs.
    const flags = nameChars.some((char) => /[a-z]/i.test(char)) ? "giu" : "gu";
    name.push(new RegExp(nameChars.map(literal).join(NAME_GAP), flags));
  }
  const phone = phoneDigits(identity.phone ?? "");
  if (phone.length >= MIN_NUMBER && !MOBILE.test(phone)) {
    contact.push(new RegExp(`(?<!\\d)${COUNTRY}${[...phone].join(SEPARATOR)}(?!\\d)`, "gu"));
  }
  const idChars = charsOf(identity.idNumber ?? "").filter((char) => /[0-9a-z]/i.test(char));
  if (idChars.length >= MIN_NUMBER && !MAINLAND_ID.test(idChars.join("").toUpperCase())) {
    const edge = (char: string | undefined) => (char !== undefined && /\d/.test(char) ? "\\d" : "[0-9a-z]");
    const body = idChars.map(literal).join(SEPARATOR);
    contact.push(new RegExp(`(?<!${edge(idChars[0])})${body}(?!${edge(idChars.at(-1))})`, "giu"));
  }
  return { name, contact };
}
