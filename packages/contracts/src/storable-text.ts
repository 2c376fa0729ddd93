import { z } from "zod";

/**
 * C0 controls but tab (U+0009) and line feed (U+000A), DEL, and the C1 controls. NUL above all: PostgreSQL refuses
 * it in text, so a complaint that carried one was accepted with a 202 and then dead-lettered by the ledger.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** `String.prototype.isWellFormed` (ES2024, Node ≥ 20): false when the string holds a lone surrogate. */
const isWellFormed = (value: string) => (value as string & { isWellFormed(): boolean }).isWellFormed();

/** True when PostgreSQL, JSON and every consumer can store and show the text as it is. */
export function isStorableText(value: string): boolean {
  return isWellFormed(value) && !CONTROL.test(value);
}

/**
 * Text that the ledger can store (DESIGN §8): well-formed Unicode without control characters; tab and newline
 * allowed. A CRLF line break (Windows clients, HTML forms) becomes LF before the check; a carriage return on its
 * own is refused like any other control character. The reason names the rule, never the value.
 * It stays a `ZodString`, so `.trim().min(1).max(n)` chain on as usual.
 *
 * @example
 * const Summary = StorableText.trim().min(1).max(10_000);
 */
const storable = {
  message: "must be well-formed Unicode without control characters (tab and newline allowed)",
  abort: true,
};
export const StorableText = z
  .string()
  .overwrite((value) => (value.includes("\r\n") ? value.replaceAll("\r\n", "\n") : value))
  .refine(isStorableText, storable);

/**
 * A link that is safe to show an inspector: http or https with a domain name, never `javascript:`, `data:` or
 * `file:` (DESIGN §8), and storable like any text.
 */
export const HttpUrl = z.httpUrl("must be an http or https URL with a domain name").max(2_048).refine(isStorableText, storable);
