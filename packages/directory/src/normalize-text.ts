/**
 * The form both patterns and complaint text are matched in: NFKC folds full-width letters, digits and
 * punctuation (common in Chinese input methods) to their ordinary forms, and case is ignored. Chinese
 * characters are left as they are; no word boundaries are assumed.
 *
 * @example
 * normalizeText("ＡＢＣ市监局"); // "abc市监局"
 */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}
