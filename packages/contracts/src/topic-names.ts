/** Unit ids, like every directory id, are `[a-z0-9-]+` (DESIGN §5), which makes them safe in a topic name. */
const UNIT_ID = /^[a-z0-9-]+$/;

/** The fixed topic names of DESIGN §4; other systems depend on them, so they change only with a new version. */
export const topicNames = {
  hotlineReceived: "clueline.hotline.received.v1",
  intakeReceived: "clueline.intake.received.v1",
  mediaReceived: "clueline.media.received.v1",
  clueRouted: "clueline.clue.routed.v1",
  clueFeedback: "clueline.clue.feedback.v1",
  clueLifecycle: "clueline.clue.lifecycle.v1",
  audit: "clueline.audit.v1",
} as const;

/** The stream of one unit's clues, without reporter identity: `clueline.unit.<unitId>.v1`. */
export function unitTopicName(unitId: string): string {
  if (!UNIT_ID.test(unitId)) throw new RangeError(`unit id must match ${UNIT_ID}, got ${JSON.stringify(unitId)}`);
  return `clueline.unit.${unitId}.v1`;
}

/** Puts a per-test prefix in front of every name so tests sharing one broker never collide. */
export function prefixedTopicNames(prefix: string): typeof topicNames {
  const entries = Object.entries(topicNames).map(([key, name]) => [key, `${prefix}${name}`]);
  return Object.fromEntries(entries) as typeof topicNames;
}
