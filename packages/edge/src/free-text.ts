import type { OriginalText, ReporterIdentity, SubjectHints } from "@clueline/contracts";
import { CONTACT_MARKER, createScrubber, REPORTER_MARKER } from "@clueline/identity";
import type { ReporterInput } from "./reporter.js";

/**
 * Scrubs one free-text field of a request: `field` is its path in the request (`summary`, `subjects.persons.0.name`),
 * kept with the original when scrubbing changed it.
 */
export type ScrubField = (field: string, text: string) => string;

/**
 * The free text of one complaint, scrubbed with its reporter's identity (DESIGN §8: units read the scrubbed text,
 * the original exists only sealed). `originals()` is what scrubbing changed, by field, for the acceptor to seal;
 * undefined when nothing changed, so a complaint without contacts in its text carries no sealed original.
 *
 * @example
 * const text = createFreeText(reporter);
 * const summary = text.scrub("summary", call.summary);
 * const sealedOriginal = text.originals() && sealer.sealOriginal(text.originals(), { complaintId });
 */
export function createFreeText(reporter: ReporterInput | undefined) {
  const identity: Partial<ReporterIdentity> = reporter?.kind === "real-name" ? reporter : {};
  const scrubber = createScrubber(identity);
  let changed: OriginalText | undefined;
  const scrub: ScrubField = (field, text) => {
    const scrubbed = scrubber(text);
    if (scrubbed !== text) {
      changed ??= {};
      changed[field] = text;
    }
    return scrubbed;
  };
  return { scrub, originals: (): OriginalText | undefined => changed };
}

/**
 * Subjects with each person's name scrubbed. A name in which scrubbing found anything is replaced whole by the
 * marker: it held a contact or the reporter's own name rather than the accused's, and a marker in the middle of a
 * 50-character name could outgrow the limit the router holds names to. Ranks are directory words, left as they are.
 */
export function scrubbedSubjects(subjects: SubjectHints | undefined, scrub: ScrubField): SubjectHints | undefined {
  if (!subjects?.persons) return subjects;
  const persons = subjects.persons.map((person, index) => {
    if (person.name === undefined) return person;
    const name = scrub(`subjects.persons.${index}.name`, person.name);
    if (name === person.name) return person;
    return { ...person, name: name.includes(CONTACT_MARKER) ? CONTACT_MARKER : REPORTER_MARKER };
  });
  return { ...subjects, persons };
}
