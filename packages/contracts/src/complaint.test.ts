import { describe, expect, it } from "vitest";
import { Complaint, RoutingDecision } from "./complaint.js";

const complaint = {
  id: "01J9Z3K4M5N6P7Q8R9S0T1V2W3",
  channel: "hotline",
  receivedAt: "2024-05-06T09:30:00+08:00",
  text: "反映城关镇政府工作人员办事吃拿卡要",
  reporter: { kind: "anonymous" },
};

const decision = {
  decisionId: "01J9Z3K4M5N6P7Q8R9S0T1V2W4",
  complaintId: complaint.id,
  clueId: "01J9Z3K4M5N6P7Q8R9S0T1V2W5",
  nature: "discipline",
  categories: ["bribe-demand"],
  subjects: { departments: [], towns: ["chengguan"] },
  discipline: { lead: "town-chengguan", assist: [], informed: ["dc"] },
  service: null,
  transfer: null,
  mergedInto: null,
  reasons: [{ rule: 4, detail: "one unit proposed", matched: ["town-chengguan"] }],
  decidedAt: "2024-05-06T01:30:01.000Z",
};

describe("Complaint", () => {
  it("accepts the DESIGN §6 shape with every optional part", () => {
    const full = {
      ...complaint,
      channel: "media",
      reporter: { kind: "real-name", hash: "a".repeat(64) },
      subjects: { departments: ["dept-housing"], towns: ["chengguan"], persons: [{ name: "王某", rank: "department-head" }] },
      media: { reach: 120_000, program: "电视问政" },
    };
    expect(Complaint.parse(full)).toEqual(full);
  });

  it.each([
    ["a hash on an anonymous reporter", { reporter: { kind: "anonymous", hash: "a".repeat(64) } }, "reporter.hash"],
    ["a real-name reporter without hash", { reporter: { kind: "real-name" } }, "reporter.hash"],
    ["a time without offset", { receivedAt: "2024-05-06 09:30" }, "receivedAt"],
    ["an unknown channel", { channel: "wechat" }, "channel"],
    ["empty text", { text: "" }, "text"],
    ["a department id with capitals", { subjects: { departments: ["Dept-Market"] } }, "subjects.departments.0"],
    ["a negative media reach", { media: { reach: -1 } }, "media.reach"],
  ])("refuses %s", (_name, change, path) => {
    const result = Complaint.safeParse({ ...complaint, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain(path);
  });
});

describe("RoutingDecision", () => {
  it("accepts a new clue", () => {
    expect(RoutingDecision.parse(decision)).toEqual(decision);
  });

  it("strips a reporter that slipped into a decision, so it never reaches a unit stream", () => {
    const parsed = RoutingDecision.parse({ ...decision, reporter: { kind: "real-name", hash: "a".repeat(64) } });
    expect(parsed).not.toHaveProperty("reporter");
    expect(JSON.stringify(parsed)).not.toContain("a".repeat(64));
  });

  it("accepts a merged supplement: same clue id, no assignments", () => {
    const merged = { ...decision, discipline: null, mergedInto: decision.clueId, reasons: [{ rule: 8, detail: "merged" }] };
    expect(RoutingDecision.safeParse(merged).success).toBe(true);
  });

  it.each([
    ["a merged decision with assignments", { mergedInto: decision.clueId }],
    ["a merged decision pointing elsewhere", { discipline: null, mergedInto: "01J9Z3K4M5N6P7Q8R9S0T1V2W9" }],
    ["a new clue without any track", { discipline: null }],
    ["no reasons", { reasons: [] }],
    ["a rule number outside 1–10", { reasons: [{ rule: 11, detail: "x" }] }],
    ["a clue id that is not a ULID", { clueId: "clue-1" }],
  ])("refuses %s", (_name, change) => {
    expect(RoutingDecision.safeParse({ ...decision, ...change }).success).toBe(false);
  });

  it("accepts a re-routing of its clue, and refuses one that merges", () => {
    const reroute = { of: decision.decisionId, cause: "classification" };
    const rerouted = { ...decision, decisionId: "01J9Z3K4M5N6P7Q8R9S0T1V2W6", reroute };
    expect(RoutingDecision.parse(rerouted).reroute).toEqual(reroute);
    const merged = { ...rerouted, discipline: null, mergedInto: decision.clueId };
    expect(RoutingDecision.safeParse(merged).error?.issues.map((issue) => issue.path.join("."))).toEqual(["reroute"]);
    expect(RoutingDecision.safeParse({ ...rerouted, reroute: { of: "x", cause: "classification" } }).success).toBe(false);
  });

  it("accepts a rule given by name", () => {
    expect(RoutingDecision.safeParse({ ...decision, reasons: [{ rule: "operator-override", detail: "x" }] }).success).toBe(true);
  });
});
