import { describe, expect, it } from "vitest";
import { DirectoryInvalid, type DirectoryProblem } from "./directory-invalid.js";
import { parseDirectory } from "./parse-directory.js";

/** The example of DESIGN §5, with the department its team covers added (the example leaves it out). */
const small = `
version: 1
units:
  - { id: dc, kind: district-commission, name: 区纪委监委 }
  - { id: team-1, kind: stationed-team, name: 第一派驻纪检监察组, covers: [dept-market, dept-emergency] }
  - { id: town-chengguan, kind: town-committee, name: 城关镇纪委, town: chengguan }
departments:
  - { id: dept-market, name: 区市场监督管理局, aliases: [市场监管局, 市监局] }
  - { id: dept-emergency, name: 区应急管理局, aliases: [应急局] }
  - { id: dept-tax, name: 区税务局, aliases: [税务局], external: city-commission }
  - { id: dept-biz, name: 区营商环境办公室, aliases: [营商办] }
towns:
  - { id: chengguan, name: 城关镇, aliases: [城关] }
external:
  - { id: city-commission, name: 市纪委监委 }
categories:
  - { code: bribe-demand, name: 吃拿卡要, kind: conduct, keywords: [吃拿卡要, 索要, 好处费, 红包], escalate: false }
  - { code: illegal-fundraising, name: 非法集资, kind: conduct, keywords: [非法集资], escalate: true }
  - { code: approval-delay, name: 审批拖延, kind: service, keywords: [审批慢, 拖着不批, 迟迟不批], owner: dept-biz }
policy:
  seniorRanks: [county, department-head, town-secretary]
  transferRanks: [city]
  transferTo: city-commission
  serviceFallback: dept-biz
  serviceOverseer: dept-biz
  repeatWindowDays: 30
  repeatEscalateAt: 3
  mergeWindowDays: 7
  mediaReachEscalateAt: 100000
`;

/** One problem per line or so; the expected list in the test below follows it line by line. */
const broken = `version: 2
units:
  - { id: dc, kind: district-commission, name: 区纪委监委 }
  - { id: dc2, kind: district-commission, name: 又一个纪委 }
  - { id: team-1, kind: stationed-team, name: 第一组, covers: [dept-market, dept-ghost] }
  - { id: team-2, kind: stationed-team, name: 第二组, covers: [dept-market, dept-tax] }
  - { id: Town_X, kind: town-committee, name: 城关镇纪委, town: chengguan }
  - { id: town-nowhere, kind: town-committee, name: 无镇纪委, town: nowhere }
  - { id: office-1, kind: inspection-office, name: 巡察办 }
departments:
  - { id: dept-market, name: 区市场监督管理局, aliases: [市监局] }
  - { id: dept-market, name: 重复的局 }
  - { id: dept-tax, name: 区税务局, aliases: [税务局], external: province-commission }
  - { id: dept-biz, name: 区营商环境办公室, aliases: [营商办, 市监局] }
towns:
  - { id: chengguan, name: 城关镇, aliases: [城关] }
  - { id: mafang, name: 马坊镇 }
external:
  - { id: city-commission, name: 市纪委监委 }
categories:
  - { code: bribe-demand, name: 吃拿卡要, kind: conduct, keywords: [吃拿卡要, 索要, 索要], escalate: "yes" }
  - { code: approval-delay, name: 审批拖延, kind: service, keywords: [审批慢], owner: dept-ghost }
  - { code: slow, name: 慢, kind: service, keywords: [], escalate: true }
  - { code: approval-delay, name: 重复, kind: conduct, keywords: [拖延], owner: dept-biz }
policy:
  seniorRanks: [county, city]
  transferRanks: [city]
  transferTo: province-commission
  serviceFallback: dept-ghost
  serviceOverseer: dept-biz
  repeatWindowDays: 0
  repeatEscalateAt: 3
  mergeWindowDays: 7
  mediaReachEscalateAt: 100000
  escalateAll: true
`;

function problemsOf(text: string, format: "yaml" | "json" = "yaml"): DirectoryProblem[] {
  try {
    parseDirectory(text, format);
  } catch (error) {
    if (error instanceof DirectoryInvalid) return [...error.problems];
    throw error;
  }
  throw new Error("expected the directory to be refused");
}

describe("parseDirectory", () => {
  it("accepts the DESIGN §5 example once the department it covers exists", () => {
    const directory = parseDirectory(small, "yaml");
    expect(directory.units).toHaveLength(3);
    expect(directory.departments.find((d) => d.id === "dept-tax")?.external).toBe("city-commission");
    expect(directory.towns[0]?.aliases).toEqual(["城关"]);
  });

  it("refuses the DESIGN §5 example as printed, naming the one dangling reference", () => {
    const printed = small.replace("  - { id: dept-emergency, name: 区应急管理局, aliases: [应急局] }\n", "");
    expect(problemsOf(printed)).toEqual([{ path: "units[1].covers[1]", reason: 'unknown department "dept-emergency"', line: 5 }]);
  });

  it("accepts the same directory as JSON", async () => {
    const { parse } = await import("yaml");
    expect(parseDirectory(JSON.stringify(parse(small)), "json")).toEqual(parseDirectory(small, "yaml"));
  });

  it("gives a file without conductFromService the DESIGN §5 defaults, and lets one turn rule 10 off or tune it", () => {
    expect(parseDirectory(small, "yaml").policy.conductFromService).toEqual({
      enabled: true,
      windowDays: 30,
      overdue: 3,
      dissatisfied: 3,
      returnsUpheld: 2,
    });
    const policy = (conduct: string) =>
      parseDirectory(small.replace("policy:\n", `policy:\n  conductFromService: ${conduct}\n`), "yaml").policy.conductFromService;
    expect(policy("{ enabled: false }")).toMatchObject({ enabled: false, overdue: 3 });
    expect(policy("{ windowDays: 14, overdue: 5 }")).toMatchObject({
      enabled: true,
      windowDays: 14,
      overdue: 5,
      dissatisfied: 3,
    });
    expect(problemsOf(small.replace("policy:\n", "policy:\n  conductFromService: { overdue: 0 }\n"))).toEqual([
      expect.objectContaining({ path: "policy.conductFromService.overdue" }),
    ]);
  });

  it("gives a file without the discipline clocks the DESIGN §5 periods, and lets one set them", () => {
    expect(small).not.toContain("discipline");
    const { policy } = parseDirectory(small, "yaml");
    expect(policy.disciplineDisposalDays).toBe(30);
    expect(policy.disciplineConclusionDays).toEqual({ "talk-or-letter": 30, "preliminary-check": 90 });
    const set = parseDirectory(
      small.replace(
        "policy:\n",
        "policy:\n  disciplineDisposalDays: 15\n  disciplineConclusionDays: { preliminary-check: 60 }\n",
      ),
      "yaml",
    ).policy;
    expect(set.disciplineDisposalDays).toBe(15);
    expect(set.disciplineConclusionDays).toEqual({ "talk-or-letter": 30, "preliminary-check": 60 });
    expect(problemsOf(small.replace("policy:\n", "policy:\n  disciplineConclusionDays: { hold: 10 }\n"))).toEqual([
      expect.objectContaining({ path: "policy.disciplineConclusionDays" }),
    ]);
    expect(problemsOf(small.replace("policy:\n", "policy:\n  disciplineDisposalDays: 0\n"))).toEqual([
      expect.objectContaining({ path: "policy.disciplineDisposalDays" }),
    ]);
  });

  it("allows a service category without owner (serviceFallback applies)", () => {
    const directory = parseDirectory(small.replace(", owner: dept-biz }", " }"), "yaml");
    expect(directory.categories.find((c) => c.code === "approval-delay")?.owner).toBeUndefined();
  });

  it("reports every problem of a badly broken file at once, each with its path, reason and line", () => {
    expect(problemsOf(broken)).toEqual([
      { path: "version", line: 1, reason: "version must be 1" },
      { path: "units[1].kind", line: 4, reason: "a second district-commission unit; there must be exactly one" },
      { path: "units[2].covers[1]", line: 5, reason: 'unknown department "dept-ghost"' },
      { path: "units[3].covers[0]", line: 6, reason: 'department "dept-market" is already covered by "team-1"' },
      { path: "units[3].covers[1]", line: 6, reason: 'department "dept-tax" is external (transferred out), no team covers it' },
      { path: "units[4].id", line: 7, reason: "id must match [a-z0-9-]+" },
      { path: "units[5].town", line: 8, reason: 'unknown town "nowhere"' },
      { path: "units[6].kind", line: 9, reason: expect.stringContaining("district-commission") },
      { path: "departments[1].id", line: 12, reason: 'duplicate id "dept-market" (also departments[0])' },
      { path: "departments[2].external", line: 13, reason: 'unknown external body "province-commission"' },
      { path: "departments[3].aliases[1]", line: 14, reason: '"市监局" already names departments[0]' },
      { path: "towns[1]", line: 17, reason: 'town "mafang" has no town-committee unit' },
      { path: "categories[0].escalate", line: 21, reason: expect.stringContaining("boolean") },
      { path: "categories[0].keywords[2]", line: 21, reason: 'duplicate keyword "索要"' },
      { path: "categories[1].owner", line: 22, reason: 'unknown department "dept-ghost"' },
      { path: "categories[2].keywords", line: 23, reason: "a category needs at least one keyword" },
      { path: "categories[2].escalate", line: 23, reason: "only conduct categories can escalate" },
      { path: "categories[3].code", line: 24, reason: 'duplicate code "approval-delay" (also categories[1])' },
      { path: "categories[3].owner", line: 24, reason: "only service categories have an owner" },
      { path: "policy", line: 26, reason: expect.stringContaining("escalateAll") },
      { path: "policy.transferRanks[0]", line: 27, reason: expect.stringContaining('rank "city" is also in seniorRanks') },
      { path: "policy.transferTo", line: 28, reason: 'unknown external body "province-commission"' },
      { path: "policy.serviceFallback", line: 29, reason: 'unknown department "dept-ghost"' },
      { path: "policy.repeatWindowDays", line: 31, reason: expect.stringContaining(">=1") },
    ]);
  });

  it.each([
    [
      "no district commission",
      small.replace("  - { id: dc, kind: district-commission, name: 区纪委监委 }\n", ""),
      "units",
      "needs exactly one district-commission unit",
    ],
    [
      "a town without its committee",
      small.replace("  - { id: town-chengguan, kind: town-committee, name: 城关镇纪委, town: chengguan }\n", ""),
      "towns[0]",
      "no town-committee",
    ],
    [
      "a unit id shared with a department",
      small.replace("id: team-1,", "id: dept-biz,"),
      "departments[3].id",
      'duplicate id "dept-biz"',
    ],
    [
      "an alias naming a department and a town",
      small.replace("aliases: [营商办]", "aliases: [营商办, 城关]"),
      "towns[0].aliases[0]",
      '"城关" already names departments[3]',
    ],
    ["a missing policy", small.slice(0, small.indexOf("policy:")), "policy", "expected object"],
    ["a negative merge window", small.replace("mergeWindowDays: 7", "mergeWindowDays: -1"), "policy.mergeWindowDays", ">=0"],
    [
      "a fractional repeat threshold",
      small.replace("repeatEscalateAt: 3", "repeatEscalateAt: 2.5"),
      "policy.repeatEscalateAt",
      "int",
    ],
    [
      "an unknown serviceOverseer",
      small.replace("serviceOverseer: dept-biz", "serviceOverseer: dept-none"),
      "policy.serviceOverseer",
      'unknown department "dept-none"',
    ],
  ])("refuses %s", (_name, text, path, reason) => {
    expect(problemsOf(text)).toContainEqual(expect.objectContaining({ path, reason: expect.stringContaining(reason) }));
  });

  it("refuses text that is not YAML, with the line", () => {
    const problems = problemsOf("version: 1\nunits: [\n  - x");
    expect(problems[0]).toMatchObject({ path: "(root)", reason: expect.stringContaining("not YAML") });
    expect(problems[0]?.line).toBeGreaterThan(0);
  });

  it("refuses a YAML mapping with a repeated key instead of silently keeping the last", () => {
    expect(problemsOf(small.replace("version: 1\n", "version: 1\nversion: 1\n"))[0]?.reason).toContain("not YAML");
  });

  it("refuses text that is not JSON", () => {
    expect(problemsOf("{ version: 1", "json")).toEqual([{ path: "(root)", reason: expect.stringContaining("not JSON") }]);
  });

  it("says what to fix in the error message", () => {
    expect(() => parseDirectory(small.replace("transferTo: city-commission", "transferTo: nobody"), "yaml")).toThrow(
      /policy\.transferTo \(line \d+\): unknown external body "nobody"/,
    );
  });
});

describe("parseDirectory: examples and the similarity threshold", () => {
  it("accepts categories with examples and a threshold, and refuses bad ones by path", () => {
    const withExamples = small
      .replace(", owner: dept-biz }", ", owner: dept-biz, examples: [营业执照变更的材料交齐一个多月了，窗口一直说还在审核] }")
      .replace("mediaReachEscalateAt: 100000", "mediaReachEscalateAt: 100000\n  similarityThreshold: 0.25");
    const directory = parseDirectory(withExamples, "yaml");
    expect(directory.categories[2]?.examples).toEqual(["营业执照变更的材料交齐一个多月了，窗口一直说还在审核"]);
    expect(directory.categories[0]?.examples).toBeUndefined();
    expect(directory.policy.similarityThreshold).toBe(0.25);
    const bad = withExamples
      .replace("similarityThreshold: 0.25", "similarityThreshold: 1.5")
      .replace("examples: [营业执照", 'examples: ["  ", 营业执照');
    expect(problemsOf(bad).map((p) => p.path)).toEqual(["categories[2].examples[0]", "policy.similarityThreshold"]);
  });
});
