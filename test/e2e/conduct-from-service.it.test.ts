import { type ConductPatternDetected, lifecycleTopic, type RoutingDecision, unitClueTopic } from "@clueline/contracts";
import type { Scope } from "@clueline/kit";
import { createTestKafka, readTopic, testInfra } from "@clueline/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSystem, type ServiceName, startSystemOrReap } from "./system-under-test.js";

/**
 * Rule 10 through the real system: three service complaints about one department go overdue (the closure's deadline
 * scan runs 20 days ahead, so their 5-working-day accept clocks have passed); the closure publishes the pattern, the
 * router opens a discipline clue about the department, its stationed team (team-2 covers dept-market) leads it and
 * sees it in its inbox and on its stream, once, with the three service clues in its reasons.
 */
let system: RunningSystem;
const kafka = createTestKafka();
// Three different callers: one caller's second complaint about the same department would merge (rule 8).
const REPORTERS = [
  { name: "司马文静", phone: "13722223331", idNumber: "610125199202023451" },
  { name: "欧阳建国", phone: "13722223332", idNumber: "610125199202023462" },
  { name: "上官秀兰", phone: "13722223333", idNumber: "610125199202023473" },
];
const AHEAD_MS = 20 * 86_400_000;

async function call(options: { service: ServiceName; path: string; scopes: Scope[]; body?: unknown }) {
  const token = await system.tokens.issue({ subject: `e2e-${options.scopes.join("+")}`, scopes: options.scopes });
  const response = await fetch(system.urls[options.service] + options.path, {
    method: options.body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, text: await response.text() };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Summary {
  clueId: string;
  nature: string;
  subjects: { departments: string[] };
  roles: string[];
}
interface Detail {
  nature: string;
  categories: string[];
  text: string;
  reporterKind: string;
  reasons: { rule: unknown; detail: string; matched?: string[] }[];
  assignments: { unitId: string; role: string; track: string }[];
}

async function conductClues(): Promise<Summary[]> {
  const found = await call({ service: "closure", path: "/v1/clues?nature=discipline&role=lead", scopes: ["unit:team-2"] });
  expect(found.status, found.text).toBe(200);
  return (JSON.parse(found.text) as { items: Summary[] }).items.filter((c) => c.subjects.departments.includes("dept-market"));
}

beforeAll(async () => {
  // A longer publish timeout: on a loaded machine the edges' publisher threads took over 10 s to boot under tsx.
  const env = { DEADLINE_SCAN_AHEAD_MS: String(AHEAD_MS), PUBLISH_TIMEOUT_MS: "30000" };
  system = await startSystemOrReap(testInfra(), { env });
}, 180_000);
afterAll(async () => {
  await system?.stop();
});

describe("conduct from service failures (rule 10) across the system", () => {
  it("opens one discipline clue for the stationed team after three overdue service assignments", async () => {
    const serviceClues: string[] = [];
    for (const [index, reporter] of REPORTERS.entries()) {
      const n = index + 1;
      const at = new Date().toISOString();
      const accepted = await call({
        service: "hotline",
        path: "/v1/calls",
        scopes: ["complaint:write"],
        body: {
          line: "12345",
          callId: `CONDUCT-${n}`,
          operatorId: "op-2",
          startedAt: at,
          endedAt: at,
          reporter: { kind: "real-name", ...reporter },
          subjects: { departments: ["dept-market"] },
          categoryHints: ["approval-delay"],
          summary: `来电人反映营业执照变更的材料交齐一个多月了，市场监管局窗口一直说还在审核（第${n}次来电），回电${reporter.phone}。`,
        },
      });
      expect(accepted.status, accepted.text).toBe(202);
      const { complaintId } = JSON.parse(accepted.text) as { complaintId: string };
      const decision = await eventually("the routing decision", async () => {
        const found = await call({ service: "router", path: `/v1/decisions/${complaintId}`, scopes: ["commission"] });
        return found.status === 200 ? (JSON.parse(found.text) as RoutingDecision) : undefined;
      });
      expect(decision.nature).toBe("service");
      expect(decision.service?.lead).toBe("dept-market");
      serviceClues.push(decision.clueId);
    }

    const [conduct] = await eventually("the conduct clue in team-2's inbox", async () => {
      const found = await conductClues();
      return found.length > 0 ? found : undefined;
    });
    expect(conduct?.roles).toContain("lead");
    const detail = JSON.parse(
      (await call({ service: "closure", path: `/v1/clues/${conduct?.clueId}`, scopes: ["unit:team-2"] })).text,
    ) as Detail;
    expect(detail.nature).toBe("discipline");
    expect(detail.categories).toEqual(["shirking"]);
    expect(detail.reporterKind).toBe("anonymous");
    expect(detail.assignments.map((a) => [a.unitId, a.role, a.track])).toEqual([["team-2", "lead", "discipline"]]);
    const cited = detail.reasons.filter((reason) => reason.rule === 10).flatMap((reason) => reason.matched ?? []);
    for (const clueId of serviceClues) expect(cited).toContain(clueId);
    for (const reporter of REPORTERS) {
      expect(JSON.stringify(detail)).not.toContain(reporter.phone);
      expect(JSON.stringify(detail)).not.toContain(reporter.name);
    }

    const stream = unitClueTopic("team-2", system.topicPrefix);
    const streamed = (await readTopic({ kafka, topic: stream.name, count: 1 })).map((r) => stream.parse(r as never).data);
    expect(streamed.map((c) => c.clueId)).toEqual([conduct?.clueId]);
    for (const reporter of REPORTERS) expect(JSON.stringify(streamed)).not.toContain(reporter.phone);

    // Later scans see the same assignments miss their conclude clocks: counted once, no second clue.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await conductClues()).map((c) => c.clueId)).toEqual([conduct?.clueId]);
    const lifecycle = system.topicPrefix + lifecycleTopic.name;
    // Everything on the topic so far: far fewer than the count, so the read ends at its timeout.
    const events = await readTopic({ kafka, topic: lifecycle, count: 10_000, timeoutMs: 10_000 });
    const patterns = events
      .map((r) => lifecycleTopic.parse(r as never).data)
      .filter((e): e is ConductPatternDetected => e.event === "conduct.pattern-detected");
    expect(patterns.map((p) => [p.mode, p.clueId, p.department])).toEqual([["open", conduct?.clueId, "dept-market"]]);
    expect(patterns[0]?.evidence.map((f) => f.clueId).sort()).toEqual([...serviceClues].sort());

    const month = new Date(Date.parse(patterns[0]?.occurredAt ?? "") + 8 * 3_600_000).toISOString().slice(0, 7);
    const ranking = await call({ service: "closure", path: `/v1/ranking?month=${month}&size=5`, scopes: ["commission"] });
    const market = (JSON.parse(ranking.text) as { ranking: { id: string; conductClues: number }[] }).ranking.find(
      (s) => s.id === "dept-market",
    );
    expect(market?.conductClues).toBe(1);
  }, 180_000);
});
