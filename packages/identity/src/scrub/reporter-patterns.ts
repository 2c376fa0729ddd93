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
  if (nameChars.length >= MIN_NAME) name.push(new RegExp(nameChars.map(literal).join(NAME_GAP), "giu"));
  const phone = phoneDigits(identity.phone ?? "");
  if (phone.length >= MIN_NUMBER) {
    contact.push(new RegExp(`(?<!\\d)${COUNTRY}${[...phone].join(SEPARATOR)}(?!\\d)`, "gu"));
  }
  const idChars = charsOf(identity.idNumber ?? "").filter((char) => /[0-9a-z]/i.test(char));
  if (idChars.length >= MIN_NUMBER) {
    const edge = (char: string | undefined) => (char !== undefined && /\d/.test(char) ? "\\d" : "[0-9a-z]");
    const body = idChars.map(literal).join(SEPARATOR);
    contact.push(new RegExp(`(?<!${edge(idChars[0])})${body}(?!${edge(idChars.at(-1))})`, "giu"));
  }
  return { name, contact };
}
