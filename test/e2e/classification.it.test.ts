import { lifecycleTopic, type RoutingDecision, unitClueTopic } from "@clueline/contracts";
import type { Scope } from "@clueline/kit";
import { createTestKafka, readTopic, testInfra } from "@clueline/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSystem, type ServiceName, startSystemOrReap } from "./system-under-test.js";

/**
 * The commission's triage (分办) through the real system: a call no category matches is routed to the district
 * commission; the commission classifies it; the router routes the same clue again and the closure ends the triage
 * assignment and opens the new lead's, which the new lead sees in its inbox and on its stream.
 */
let system: RunningSystem;
const kafka = createTestKafka();
const REPORTER = { name: "欧阳晓雯", phone: "13611112222", idNumber: "610125199001012345" };

async function call(options: { service: ServiceName; path: string; scopes: Scope[]; body?: unknown }) {
  const token = await system.tokens.issue({ subject: `e2e-${options.scopes.join("+")}`, scopes: options.scopes });
  const response = await fetch(system.urls[options.service] + options.path, {
    method: options.body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, text, contentType: response.headers.get("content-type") ?? "" };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Detail {
  nature: string;
  categories: string[];
  reasons: { rule: unknown; detail: string }[];
  assignments: { unitId: string; role: string; state: string; cause: string; result: string | null }[];
}

beforeAll(async () => {
  system = await startSystemOrReap(testInfra());
}, 180_000);
afterAll(async () => {
  await system?.stop();
});

describe("classification (分办) across the system", () => {
  it("routes an unclassified call to the commission, and after classification to the new lead", async () => {
    const at = new Date().toISOString();
    const accepted = await call({
      service: "hotline",
      path: "/v1/calls",
      scopes: ["complaint:write"],
      body: {
        line: "12388",
        callId: "CLASSIFY-1",
        operatorId: "op-1",
        startedAt: at,
        endedAt: at,
        reporter: { kind: "real-name", ...REPORTER },
        // Vague on purpose: no keyword, and no example close enough (similarity below the shipped 0.12).
        summary: `来电人想说说城关镇的一件事，没说清楚，请回电${REPORTER.phone}。`,
      },
    });
    expect(accepted.status, accepted.text).toBe(202);
    const { complaintId } = JSON.parse(accepted.text) as { complaintId: string };
    const opening = await eventually("the routing decision", async () => {
      const found = await call({ service: "router", path: `/v1/decisions/${complaintId}`, scopes: ["commission"] });
      return found.status === 200 ? (JSON.parse(found.text) as RoutingDecision) : undefined;
    });
    expect(opening.nature).toBe("unclassified");
    expect(opening.discipline?.lead).toBe("dc");
    const clue = `/v1/clues/${opening.clueId}`;
    await eventually("the clue in the ledger", async () => {
      const found = await call({ service: "closure", path: clue, scopes: ["commission"] });
      return found.status === 200 ? true : undefined;
    });
    expect((await call({ service: "closure", path: clue, scopes: ["unit:town-chengguan"] })).status).toBe(404);

    const classified = await call({
      service: "closure",
      path: `${clue}/classify`,
      scopes: ["commission"],
      body: { category: "bribe-demand", note: "经分析属吃拿卡要" },
    });
    expect(classified.status, classified.text).toBe(202);

    const detail = await eventually("the new lead's assignment", async () => {
      const found = await call({ service: "closure", path: clue, scopes: ["unit:town-chengguan"] });
      return found.status === 200 ? (JSON.parse(found.text) as Detail) : undefined;
    });
    expect(detail.nature).toBe("discipline");
    expect(detail.categories).toEqual(["bribe-demand"]);
    expect(detail.reasons[0]).toMatchObject({ rule: "classification" });
    expect(detail.assignments.map((a) => [a.unitId, a.role, a.state, a.cause, a.result])).toEqual([
      ["dc", "lead", "concluded", "routing", "classified"],
      ["town-chengguan", "lead", "assigned", "classification", null],
    ]);

    const stream = unitClueTopic("town-chengguan", system.topicPrefix);
    const [record] = await readTopic({ kafka, topic: stream.name, count: 1 });
    const unitClue = stream.parse(record as never).data;
    expect(unitClue.clueId).toBe(opening.clueId);
    expect(unitClue.decisionId).not.toBe(opening.decisionId);
    expect(JSON.stringify(unitClue)).not.toContain(REPORTER.phone);
    expect(JSON.stringify(unitClue)).not.toContain(REPORTER.name);

    const lifecycle = system.topicPrefix + lifecycleTopic.name;
    const events = await readTopic({ kafka, topic: lifecycle, count: 5 });
    const names = events.map((r) => lifecycleTopic.parse(r as never).data).filter((e) => e.clueId === opening.clueId);
    expect(names.map((e) => e.event)).toEqual([
      "clue.opened",
      "assignment.assigned",
      "clue.classified",
      "assignment.concluded",
      "assignment.assigned",
    ]);
    for (const event of events) {
      const wire = (event.value as Buffer | null)?.toString() ?? "";
      expect(wire).not.toContain(REPORTER.phone);
      expect(wire).not.toContain(REPORTER.name);
    }

    const pairs = await call({ service: "closure", path: "/v1/classifications", scopes: ["commission"] });
    expect(pairs.contentType).toContain("application/x-ndjson");
    const lines = pairs.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines).toEqual([expect.objectContaining({ id: opening.clueId, category: "bribe-demand" })]);
    expect(lines[0]?.text).not.toContain(REPORTER.phone);
  }, 120_000);
});
