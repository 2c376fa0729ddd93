import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultDirectoryPath } from "./default-directory-path.js";
import { DirectoryInvalid } from "./directory-invalid.js";
import { parseDirectory } from "./parse-directory.js";

const base = `
version: 1
units:
  - { id: dc, kind: district-commission, name: 区纪委监委 }
  - { id: town-chengguan, kind: town-committee, name: 城关镇纪委, town: chengguan }
departments:
  - { id: dept-biz, name: 区营商环境办公室 }
towns:
  - { id: chengguan, name: 城关镇 }
external:
  - { id: city-commission, name: 市纪委监委 }
categories: []
policy:
  seniorRanks: []
  transferRanks: []
  transferTo: city-commission
  serviceFallback: dept-biz
  serviceOverseer: dept-biz
  repeatWindowDays: 30
  repeatEscalateAt: 3
  mergeWindowDays: 7
  mediaReachEscalateAt: 100000
`;

const problemsOf = (text: string) => {
  try {
    parseDirectory(text, "yaml");
  } catch (error) {
    if (error instanceof DirectoryInvalid) return error.problems.map((p) => `${p.path}: ${p.reason}`);
    throw error;
  }
  return [];
};

describe("leaders (包抓领导) and the supervision answer period", () => {
  it("loads an older file without them, with no leaders and 5 working days", () => {
    const directory = parseDirectory(base, "yaml");
    expect(directory.leaders).toEqual([]);
    expect(directory.policy.supervisionAnswerWorkingDays).toBe(5);
  });

  it("refuses unknown units, a unit overseen twice and repeated leader ids", () => {
    const text = `${base}
leaders:
  - { id: leader-1, name: 区委副书记, oversees: [dc, town-nowhere] }
  - { id: leader-1, name: 区长, oversees: [town-chengguan, dc] }
`;
    expect(problemsOf(text)).toEqual([
      'leaders[0].oversees[1]: unknown unit "town-nowhere"',
      'leaders[1].id: duplicate id "leader-1" (also leaders[0])',
      'leaders[1].oversees[1]: unit "dc" is already overseen by "leader-1"',
    ]);
  });

  it("refuses a leader overseeing nothing and an answer period of 0", () => {
    const text = `${base.replace("mediaReachEscalateAt: 100000", "mediaReachEscalateAt: 100000\n  supervisionAnswerWorkingDays: 0")}
leaders:
  - { id: leader-1, name: 区委副书记, oversees: [] }
`;
    const problems = problemsOf(text);
    expect(problems.some((p) => p.startsWith("policy.supervisionAnswerWorkingDays"))).toBe(true);
    expect(problems.some((p) => p.startsWith("leaders[0].oversees"))).toBe(true);
  });

  it("the shipped directory names a leader for every discipline unit", () => {
    const directory = parseDirectory(readFileSync(defaultDirectoryPath, "utf8"), "yaml");
    const overseen = new Set(directory.leaders.flatMap((leader) => leader.oversees));
    expect(directory.units.filter((unit) => !overseen.has(unit.id)).map((unit) => unit.id)).toEqual([]);
    expect(directory.policy.supervisionAnswerWorkingDays).toBe(5);
  });
});
