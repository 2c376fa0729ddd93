import { createHash } from "node:crypto";
import {
  type ClueClassified,
  ClueRouted,
  type Complaint,
  type DecisionReason,
  PoisonRecord,
  type RoutedComplaint,
  type RoutingDecision,
} from "@clueline/contracts";
import type { CompiledDirectory } from "../directory/index.js";
import type { RouterState } from "../state/router-state.js";
import { analyzeComplaint } from "./analyze-complaint.js";
import { departmentKey, historyQueryFor, type SubjectKey, townKey } from "./history.js";
import { route } from "./route.js";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID made from another one and a purpose: the same time part, and 80 bits of SHA-256 of both. A redelivered
 * `clue.classified` event gets the same re-routing decision id, which the closure drops as a duplicate.
 *
 * @example
 * derivedUlid("01JD8Z0000AAAAAAAAAAAAAAAA", "reroute"); // "01JD8Z0000…" (always the same)
 */
export function derivedUlid(ulid: string, purpose: string): string {
  const digest = createHash("sha256").update(`${purpose}:${ulid}`).digest();
  let random = "";
  for (let index = 0; index < 16; index++) random += CROCKFORD[(digest[index] as number) & 31];
  return ulid.slice(0, 10) + random;
}

/** What a re-routing gives: the decision and the complaint to publish it with, exactly as a first routing does. */
export interface Rerouting {
  routed: ClueRouted;
}

/**
 * Routes a clue again after the commission classified it (`clue.classified`, 分办): the complaint as the router
 * stored it when it opened the clue, the subjects the event names, with the chosen category as the operator's (rule 1), the persons it named from the opening the router
 * stored, and the normal rules with history (rule 5 counts the clues about its subjects, itself not included); never
 * a merge (rule 8 is for complaints arriving). The decision keeps the clue id, gets an id derived from the event's,
 * says why first in its reasons and carries `reroute`. Nothing is stored: the closure applies a re-routing once.
 *
 * @example
 * const reroute = createRerouter({ state, directory: holder.current });
 * const { routed } = await reroute({ eventId: attributes.id, classified: data });
 */
export function createRerouter(deps: {
  state: RouterState;
  directory: () => CompiledDirectory;
  clock?: () => Date;
}): (input: { eventId: string; classified: ClueClassified }) => Promise<Rerouting> {
  const clock = deps.clock ?? (() => new Date());

  return async function reroute({ eventId, classified }) {
    const directory = deps.directory();
    return deps.state.withTransaction(async (tx) => {
      const previous = await tx.getDecision(classified.complaintId);
      const stored = (await tx.readOpenings([classified.clueId])).get(classified.clueId);
      if (stored === undefined) {
        // The event carries no text: without the opening there is nothing to route by. Replay once it is found.
        throw new PoisonRecord("no stored opening for this clue: cannot route it again", {
          problems: [{ path: "clueId", reason: `the router holds no opening decision for clue ${classified.clueId}` }],
        });
      }
      const opening = ClueRouted.parse(JSON.parse(stored)).complaint;
      const complaint = complaintOf(classified, opening);
      const analysis = analyzeComplaint({ complaint, directory });
      const query = historyQueryFor({ complaint, subjects: analysis.subjectKeys, policy: directory.policy });
      if (query.subjects.length > 0) await tx.lock(query.subjects);
      const counted =
        query.subjects.length > 0
          ? await tx.countRecentClues({ subjects: query.subjects, since: query.repeatSince })
          : new Map<SubjectKey, number>();
      // The clue itself was counted under the subjects it opened with; rule 5 counts the others.
      const own = new Set(previous ? subjectKeysOf(previous) : []);
      const recentClues = new Map([...counted].map(([key, count]) => [key, own.has(key) ? Math.max(0, count - 1) : count]));
      const decision = route({
        complaint,
        directory,
        history: { mergeTarget: null, recentClues },
        analysis,
        clueId: classified.clueId,
        decisionId: derivedUlid(eventId, "reroute"),
        decidedAt: clock().toISOString(),
      });
      const category = directory.categories.get(classified.category)?.category;
      const why: DecisionReason = {
        rule: "classification",
        detail: `the district commission classified the clue as ${category ? `${category.name} (${category.code})` : `"${classified.category}"`} (分办): routed again by the rules`,
        matched: [classified.category],
      };
      const rerouted: RoutingDecision = {
        ...decision,
        reasons: [why, ...decision.reasons],
        reroute: { of: previous?.decisionId ?? classified.clueId, cause: "classification" },
      };
      // Published with the complaint as first published: unit streams read its text and reporter kind.
      return { routed: ClueRouted.parse({ decision: rerouted, complaint: opening }) };
    });
  };
}

/** The complaint the rules read: the opening's text and persons, the event's subjects, the category as the operator's choice. */
function complaintOf(classified: ClueClassified, opening: RoutedComplaint): Complaint {
  const { departments, towns } = classified.subjects;
  const persons = opening.subjects?.persons;
  const subjects = {
    ...(departments.length > 0 ? { departments } : {}),
    ...(towns.length > 0 ? { towns } : {}),
    ...(persons && persons.length > 0 ? { persons } : {}),
  };
  return {
    id: classified.complaintId,
    channel: classified.channel,
    receivedAt: classified.receivedAt,
    text: opening.text,
    // Never merged, so the reporter's hash is not needed, and the lifecycle topic does not carry it.
    reporter: { kind: "anonymous" },
    ...(Object.keys(subjects).length > 0 ? { subjects } : {}),
    categoryHints: [classified.category],
    ...(classified.channel === "media" ? { media: classified.mediaReach === null ? {} : { reach: classified.mediaReach } } : {}),
  };
}

function subjectKeysOf(decision: RoutingDecision): SubjectKey[] {
  return [...decision.subjects.departments.map(departmentKey), ...decision.subjects.towns.map(townKey)];
}
