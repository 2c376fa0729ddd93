import { type Complaint, RoutingDecision } from "@clueline/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../directory/index.js";
import { departmentKey, type HistorySnapshot, type SubjectKey, townKey } from "./history.js";
import { route } from "./route.js";

const directory = compileDirectory(await loadDirectory(defaultDirectoryPath));
const { source } = directory;
const dc = directory.districtCommission;
const unitIds = new Set(source.units.map((u) => u.id));
const externalIds = new Set(source.external.map((e) => e.id));

const words = [
  ...source.departments.flatMap((d) => [d.name, ...d.aliases]),
  ...source.towns.flatMap((t) => [t.name, ...t.aliases]),
  ...source.categories.flatMap((c) => c.keywords),
  "反映",
  "工作人员",
  "的问题",
  "，",
  "希望尽快处理",
  "企业",
  "群众",
];
const subjectKeys: SubjectKey[] = [
  ...source.departments.map((d) => departmentKey(d.id)),
  ...source.towns.map((t) => townKey(t.id)),
];
const receivedAt = "2024-05-20T01:00:00.000Z";

const complaintArb: fc.Arbitrary<Complaint> = fc.record({
  id: fc.stringMatching(/^[a-z0-9]{1,12}$/),
  channel: fc.constantFrom("hotline", "intake", "media"),
  receivedAt: fc.constant(receivedAt),
  text: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 8 }).map((parts) => parts.join("")),
  reporter: fc.oneof(
    fc.constant({ kind: "anonymous" as const }),
    fc.constantFrom("a", "b").map((c) => ({ kind: "real-name" as const, hash: c.repeat(64) })),
  ),
  subjects: fc.option(
    fc.record(
      {
        departments: fc.subarray(
          source.departments.map((d) => d.id),
          { maxLength: 3 },
        ),
        towns: fc.subarray(
          source.towns.map((t) => t.id),
          { maxLength: 3 },
        ),
        persons: fc.array(fc.record({ rank: fc.constantFrom("county", "city", "department-head", "town-secretary", "staff") }), {
          maxLength: 2,
        }),
      },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  ),
  media: fc.option(fc.record({ reach: fc.nat({ max: 300_000 }) }), { nil: undefined }),
});

const historyArb: fc.Arbitrary<HistorySnapshot> = fc.record({
  mergeTarget: fc.option(
    fc.record({
      clueId: fc.constant("01HZZZZZZZZZZZZZZZZZ000001"),
      openedAt: fc.integer({ min: 0, max: 10 }).map((days) => new Date(Date.parse(receivedAt) - days * 86_400_000).toISOString()),
      subjects: fc.subarray(subjectKeys, { maxLength: 4 }),
    }),
    { nil: null },
  ),
  recentClues: fc.array(fc.tuple(fc.constantFrom(...subjectKeys), fc.nat({ max: 5 }))).map((entries) => new Map(entries)),
});

const decide = (complaint: Complaint, history: HistorySnapshot) =>
  route({
    complaint,
    directory,
    history,
    clueId: "01HZZZZZZZZZZZZZZZZZ000002",
    decisionId: "01HZZZZZZZZZZZZZZZZZ000003",
    decidedAt: receivedAt,
  });

describe("route (properties)", () => {
  it("is deterministic", () => {
    fc.assert(
      fc.property(complaintArb, historyArb, (complaint, history) => {
        expect(decide(complaint, history)).toEqual(decide(complaint, history));
      }),
    );
  });

  it("produces decisions the contract accepts, without the reporter in any form", () => {
    fc.assert(
      fc.property(complaintArb, historyArb, (complaint, history) => {
        const decision = decide(complaint, history);
        expect(RoutingDecision.safeParse(decision).success).toBe(true);
        if (complaint.reporter.kind === "real-name") expect(JSON.stringify(decision)).not.toContain(complaint.reporter.hash);
      }),
    );
  });

  it("gives every track exactly one lead, never also assisting or informed, and only known units", () => {
    fc.assert(
      fc.property(complaintArb, historyArb, (complaint, history) => {
        const { discipline, service, transfer } = decide(complaint, history);
        if (discipline) {
          expect(unitIds.has(discipline.lead)).toBe(true);
          for (const id of [...discipline.assist, ...discipline.informed]) expect(unitIds.has(id)).toBe(true);
          expect([...discipline.assist, ...discipline.informed]).not.toContain(discipline.lead);
          expect(new Set(discipline.assist).size).toBe(discipline.assist.length);
        }
        if (service) {
          const leads = [service.lead, ...service.coLeads];
          expect(new Set(leads).size).toBe(leads.length);
          for (const id of leads) expect(directory.departments.has(id)).toBe(true);
          expect(service.informed.filter((id) => leads.includes(id))).toEqual([]);
        }
        if (transfer) for (const id of [transfer.to, ...transfer.alsoTo]) expect(externalIds.has(id)).toBe(true);
      }),
    );
  });

  it("keeps the district commission lead or informed on every discipline-track clue and every transfer", () => {
    fc.assert(
      fc.property(complaintArb, historyArb, (complaint, history) => {
        const { discipline, transfer } = decide(complaint, history);
        if (discipline) expect(discipline.lead === dc || discipline.informed.includes(dc)).toBe(true);
        if (transfer) expect(transfer.informed).toEqual([dc]);
      }),
    );
  });

  it("merges only real-name complaints, and a merge opens nothing", () => {
    fc.assert(
      fc.property(complaintArb, historyArb, (complaint, history) => {
        const decision = decide(complaint, history);
        if (complaint.reporter.kind === "anonymous") expect(decision.mergedInto).toBeNull();
        if (decision.mergedInto !== null) {
          expect([decision.discipline, decision.service, decision.transfer]).toEqual([null, null, null]);
          expect(decision.clueId).toBe(history.mergeTarget?.clueId);
        }
      }),
    );
  });

  it("opens the tracks the nature calls for", () => {
    fc.assert(
      fc.property(complaintArb, historyArb, (complaint, history) => {
        const decision = decide(complaint, history);
        if (decision.mergedInto !== null) return;
        const { nature, discipline, service, transfer } = decision;
        expect(service !== null).toBe(nature === "service" || nature === "both");
        expect(discipline !== null || transfer !== null).toBe(nature !== "service");
        if (nature === "unclassified") expect(discipline).toEqual({ lead: dc, assist: [], informed: [] });
      }),
    );
  });

  it("never lets a history with more clues lower the lead to a unit other than the commission", () => {
    fc.assert(
      fc.property(complaintArb, historyArb, (complaint, history) => {
        const quiet = decide(complaint, { ...history, recentClues: new Map() });
        const busy = decide(complaint, { ...history, recentClues: new Map(subjectKeys.map((key) => [key, 10])) });
        if (quiet.discipline?.lead === dc) expect(busy.discipline?.lead ?? dc).toBe(dc);
      }),
    );
  });
});
