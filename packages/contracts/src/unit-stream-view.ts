import type { Event } from "./topic.js";
import type { UnitClueChanged } from "./unit-stream.js";

/** One clue of a unit's list as a subscriber rebuilds it: what `GET /v1/clues` answers as `clueId` and `roles`. */
export interface UnitStreamClue {
  clueId: string;
  /** Sorted; the API lists them in the order they were given. */
  roles: string[];
}

/**
 * A unit's clue list rebuilt from its stream's `clueline.unit.clue-changed` records, read from the start. Each
 * record is applied once by `ce_source` + `ce_id` (a relay that restarts re-sends what it had not marked sent, with
 * the same ids), and applying one twice would change nothing anyway: a record adds the clue and its role, and the
 * ledger never takes a clue or a role off a unit's list, it only takes work (`effect: "taken"`) away.
 *
 * @example
 * const view = createUnitStreamView();
 * for (const record of records) {
 *   const parsed = parseUnitStreamRecord(record);
 *   if (parsed?.type === "clueline.unit.clue-changed") view.apply(parsed.event);
 * }
 * view.clues(); // [{ clueId: "01J…", roles: ["informed", "lead"] }]
 */
export function createUnitStreamView() {
  const seen = new Set<string>();
  const roles = new Map<string, Set<string>>();
  return {
    /** Applies a record; false when its event was applied before. */
    apply(event: Event<UnitClueChanged>): boolean {
      const key = `${event.attributes.source} ${event.attributes.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      const held = roles.get(event.data.clueId) ?? new Set<string>();
      if (event.data.role !== null) held.add(event.data.role);
      roles.set(event.data.clueId, held);
      return true;
    },
    /** The unit's clues by clue id. */
    clues(): UnitStreamClue[] {
      return [...roles]
        .map(([clueId, held]) => ({ clueId, roles: [...held].sort() }))
        .sort((a, b) => (a.clueId < b.clueId ? -1 : a.clueId > b.clueId ? 1 : 0));
    },
  };
}
