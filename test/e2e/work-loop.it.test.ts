import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  auditTopic,
  type Event,
  type LifecycleEvent,
  lifecycleTopic,
  parseUnitStreamRecord,
  type UnitClueChanged,
  unitTopicName,
} from "@clueline/contracts";
import { createTestKafka, readTopic, testInfra } from "@clueline/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWorkLoop, systemHands, type WorkLoopResult, workLoopScenario } from "../scenario/work-loop/index.js";
import { type RunningSystem, startSystemOrReap } from "./system-under-test.js";

/**
 * Issue 17's work loop through the real system: the runner (test/scenario/work-loop.ts, also `npm run demo --
 * --work-loop`) drives every hop over HTTP and checks each answer; this test then finds on Kafka what each step
 * must have published. Time: the closure restarts with its deadline scan further ahead (DEADLINE_SCAN_AHEAD_MS) on
 * the same PGlite ledger, so days-away accept clocks and supervision answer clocks pass by the real scan.
 */
let system: RunningSystem;
const kafka = createTestKafka();
const dataDir = mkdtempSync(join(tmpdir(), "clueline-work-loop-"));
const lines: string[] = [];

beforeAll(async () => {
  // SCAN_INTERVAL_MS 1 s (startSystem's): a scan turn follows a restart within seconds.
  system = await startSystemOrReap(testInfra(), { dataDir, env: { PUBLISH_TIMEOUT_MS: "30000" }, readyTimeoutMs: 240_000 });
}, 300_000);
afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The same multiset of names, or more: each name at least as often as `wanted` lists it. */
function missingFrom(seen: string[], wanted: string[]): string[] {
  const left = [...seen];
  return wanted.filter((name) => {
    const at = left.indexOf(name);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}

describe("the inspector's work loop across the system (issue 17)", () => {
  const results: WorkLoopResult[] = [];

  it("carries evidence, a held discipline clue, returns, a redo, a supplement, supervision orders and an extension through HTTP, twice", async () => {
    // The second pass on the same system and data: its complaints open clues of their own (anonymous, or from the
    // pass's own real-name reporter, so rule 8 merges only that reporter's supplement into that pass's clue), it acts
    // on those only, and the scan starts back in step for its fresh clocks.
    for (const pass of [1, 2]) {
      lines.push(`— pass ${pass}`);
      try {
        results.push(
          await runWorkLoop({
            ...systemHands(system),
            runId: randomBytes(4).toString("hex"),
            log: (line) => lines.push(line),
            patienceMs: 150_000,
          }),
        );
      } catch (error) {
        // The runner's own account of the steps that passed, to see where the loop broke.
        throw new Error(`${String(error)}\n${lines.join("\n")}`, { cause: error });
      }
      for (const [name, spec] of Object.entries(workLoopScenario.clues)) {
        const decision = results[pass - 1]?.clues[name as keyof WorkLoopResult["clues"]].decision;
        expect(decision?.discipline?.lead, spec.label).toBe(spec.expect.routing.disciplineLead);
        if (spec.expect.routing.assist) expect(decision?.discipline?.assist, spec.label).toEqual(spec.expect.routing.assist);
        if (spec.expect.routing.informed)
          expect(decision?.discipline?.informed, spec.label).toEqual(spec.expect.routing.informed);
      }
    }
    const ids = results.map((result) => Object.values(result.clues).map((clue) => clue.clueId));
    expect(ids[1]?.filter((id) => ids[0]?.includes(id))).toEqual([]);
  }, 1_500_000);

  it("published every step's lifecycle and audit events, and each lead's unit topic has its clue and its changes", async () => {
    expect(results, "the HTTP part ran twice").toHaveLength(2);
    const lifecycle = (
      await readTopic({ kafka, topic: system.topicPrefix + lifecycleTopic.name, count: 100_000, timeoutMs: 15_000 })
    ).map((record) => lifecycleTopic.parse(record as never).data);
    const audit = (
      await readTopic({ kafka, topic: system.topicPrefix + auditTopic.name, count: 100_000, timeoutMs: 10_000 })
    ).map((record) => auditTopic.parse(record as never).data);
    const eventsOf = (clueId: string) => lifecycle.filter((event) => event.clueId === clueId).map((event) => event.event);
    const auditOf = (clueId: string) => audit.filter((event) => event.target.id === clueId).map((event) => event.action);
    // Each unit topic read once: the router's early notices (`clueline.unit.clue`) and the ledger's changes.
    const unitTopics = new Map<string, { notices: string[]; changes: UnitClueChanged[] }>();
    const readUnitTopic = async (unitId: string) => {
      const held = unitTopics.get(unitId);
      if (held) return held;
      const topic = system.topicPrefix + unitTopicName(unitId);
      const parsed = (await readTopic({ kafka, topic, count: 10_000, timeoutMs: 8_000 })).map((record) =>
        parseUnitStreamRecord(record as never),
      );
      const read = {
        notices: parsed.flatMap((r) => (r?.type === "clueline.unit.clue" ? [r.event.data.clueId] : [])),
        changes: parsed.flatMap((r) =>
          r?.type === "clueline.unit.clue-changed" ? [(r.event as Event<UnitClueChanged>).data] : [],
        ),
      };
      unitTopics.set(unitId, read);
      return read;
    };
    const changesOf = async (unitId: string) =>
      (await readUnitTopic(unitId)).changes.filter((c) => c.change !== "deadline.supervision-ordered");
    const cluesOnTopic = async (unitId: string) => {
      const read = await readUnitTopic(unitId);
      return [...read.notices, ...read.changes.map((c) => c.clueId)];
    };
    const story = (c: UnitClueChanged) => `${c.change}:${c.effect}:${c.cause ?? c.to ?? ""}`;
    for (const result of results) {
      for (const clueId of new Set(result.published.map((p) => p.clueId))) {
        const steps = result.published.filter((p) => p.clueId === clueId);
        const wanted = steps.flatMap((step) => step.events);
        expect(missingFrom(eventsOf(clueId), wanted), `lifecycle events of clue ${clueId}`).toEqual([]);
        const audited = steps.flatMap((step) => step.audit);
        expect(missingFrom(auditOf(clueId), audited), `audit events of clue ${clueId}`).toEqual([]);
      }
      // The assist's unanswered order escalated to its leader; the lead's answered one did not.
      const escalations = lifecycle.filter(
        (e) => e.clueId === result.clues.supervised.clueId && e.event === "supervision.escalated",
      );
      expect(escalations.map((e) => e.event === "supervision.escalated" && [e.unitId, e.leaderId])).toEqual([
        ["town-bailu", "leader-executive-deputy-mayor"],
      ]);
      expect(eventsOf(result.clues.extended.clueId)).not.toContain("deadline.overdue");

      // 退回 → 改派: the return decided as a reassignment to the unit the commission chose, whose fresh assignment
      // says why; the returning unit's topic says the work was taken, the new unit's that it was given.
      const returned = result.clues.returned.clueId;
      const of = <K extends LifecycleEvent["event"]>(clueId: string, name: K) =>
        lifecycle.filter((e): e is Extract<LifecycleEvent, { event: K }> => e.clueId === clueId && e.event === name);
      expect(of(returned, "assignment.returned").map((e) => [e.assignment.unitId, e.kind])).toEqual([
        ["town-shuangmiao", "return"],
      ]);
      expect(of(returned, "assignment.return-decided").map((e) => [e.decision, e.reassignedTo])).toEqual([
        ["reassigned", "town-lijiabao"],
      ]);
      expect(of(returned, "assignment.assigned").map((e) => [e.assignment.unitId, e.cause])).toEqual([
        ["town-shuangmiao", "routing"],
        ["town-lijiabao", "reassignment"],
      ]);
      expect(of(returned, "assignment.accepted").map((e) => e.assignment.unitId)).toEqual(["town-lijiabao"]);
      expect((await changesOf("town-lijiabao")).filter((c) => c.clueId === returned).map(story)).toEqual([
        "assignment.assigned:given:reassignment",
      ]);
      expect((await changesOf("town-shuangmiao")).filter((c) => c.clueId === returned).map(story)).toEqual([
        "assignment.assigned:given:routing",
        "assignment.return-decided:taken:town-lijiabao",
      ]);

      // 发回重办: the closed clue sent back on review, its lead reopened, concluded and fed back a second time.
      const redone = result.clues.discipline.clueId;
      expect(of(redone, "clue.redo-ordered").map((e) => [e.from, e.basis, e.leadUnits, e.redoCount])).toEqual([
        ["closed", "review", ["town-liulin"], 1],
      ]);
      const redoneEvents = eventsOf(redone);
      expect(redoneEvents.filter((name) => name === "clue.concluded")).toHaveLength(2);
      expect(redoneEvents.lastIndexOf("clue.concluded")).toBeGreaterThan(redoneEvents.indexOf("clue.redo-ordered"));
      expect(redoneEvents.lastIndexOf("clue.closed")).toBeGreaterThan(redoneEvents.lastIndexOf("clue.concluded"));
      expect(redoneEvents).not.toContain("deadline.overdue");
      expect((await changesOf("town-liulin")).filter((c) => c.clueId === redone).map(story)).toEqual([
        "assignment.assigned:given:routing",
        "assignment.reopened:given:",
      ]);

      // 补充: the run's real-name reporter wrote again; the concluded clue reopened for its lead, saying why.
      const supplemented = result.clues.supplemented.clueId;
      const reopened = of(supplemented, "clue.reopened");
      expect(reopened.map((e) => [e.reason, e.leadUnits, e.reopenCount])).toEqual([["supplement", ["town-xinji"], 1]]);
      expect(of(supplemented, "clue.supplemented").map((e) => e.complaintId)).toEqual([reopened[0]?.complaintId]);
      expect(eventsOf(supplemented)).not.toContain("deadline.overdue");
      expect((await changesOf("town-xinji")).filter((c) => c.clueId === supplemented).map(story)).toEqual([
        "assignment.assigned:given:routing",
        "assignment.reopened:given:",
      ]);

      for (const clue of Object.values(result.clues)) {
        const lead = clue.units.lead as string;
        expect(await cluesOnTopic(lead), `${lead}'s unit topic`).toContain(clue.clueId);
      }
    }
  }, 300_000);

  it("wrote no reporter identity and no evidence bytes into the runner's output", () => {
    expect(lines.length).toBeGreaterThan(workLoopScenario.steps.length);
    const output = lines.join("\n");
    expect(output).not.toMatch(/1[3-9]\d{9}/); // no mobile number
    expect(output).not.toContain(workLoopScenario.files.recording.base64.slice(0, 40));
  });
});
