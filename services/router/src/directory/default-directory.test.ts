import { defaultDirectoryPath, loadDirectory } from "@clueline/directory";
import { describe, expect, it } from "vitest";
import { compileDirectory } from "./compile-directory.js";

const source = await loadDirectory(defaultDirectoryPath);
const directory = compileDirectory(source);
const subjects = (text: string) => directory.findSubjects(text).map((m) => `${m.value.kind}:${m.value.id}`);

describe("the default directory", () => {
  it("describes a district of 40 towns and subdistricts, each with its committee", () => {
    expect(directory.towns.size).toBe(40);
    expect(source.towns.filter((t) => t.name.endsWith("街道")).length).toBeGreaterThanOrEqual(10);
    for (const town of source.towns) expect(directory.townCommittee.get(town.id), town.id).toBeDefined();
    const committees = source.units.filter((u) => u.kind === "town-committee");
    for (const unit of committees) expect(unit.name).toMatch(/(镇纪委|街道纪工委)$/);
  });

  it("has one district commission and about eight stationed teams (综合派驻) covering the departments", () => {
    expect(directory.districtCommission).toBe("dc");
    const teams = source.units.filter((u) => u.kind === "stationed-team");
    expect(teams).toHaveLength(8);
    for (const team of teams) if (team.kind === "stationed-team") expect(team.covers.length).toBeGreaterThanOrEqual(3);
    const internal = source.departments.filter((d) => d.external === undefined).map((d) => d.id);
    expect(internal.filter((id) => !directory.coveringTeam.has(id))).toEqual(["dept-statistics"]);
  });

  it("transfers vertically managed offices out of the district", () => {
    const external = source.departments.filter((d) => d.external !== undefined).map((d) => `${d.id}→${d.external}`);
    expect(external).toEqual(expect.arrayContaining(["dept-tax→city-commission", "dept-power→grid-discipline"]));
  });

  it("has the DESIGN §5 policy defaults", () => {
    expect(source.policy).toEqual({
      seniorRanks: ["county", "department-head", "town-secretary"],
      transferRanks: ["city"],
      transferTo: "city-commission",
      serviceFallback: "dept-biz",
      serviceOverseer: "dept-biz",
      repeatWindowDays: 30,
      repeatEscalateAt: 3,
      mergeWindowDays: 7,
      mediaReachEscalateAt: 100000,
      similarityThreshold: 0.12,
      supervisionAnswerWorkingDays: 5,
      conductFromService: { enabled: true, windowDays: 30, overdue: 3, dissatisfied: 3, returnsUpheld: 2 },
      disciplineDisposalDays: 30,
      disciplineConclusionDays: { "talk-or-letter": 30, "preliminary-check": 90 },
    });
  });

  it.each([
    ["市监局窗口审批拖着不批", ["department:dept-market"]],
    ["发改委和人社局", ["department:dept-devreform", "department:dept-hrss"]],
    ["住建局的人说去找城关镇", ["department:dept-housing", "town:chengguan"]],
    ["西关街道办事处", ["town:xiguan"]],
    ["太乙宫镇和太乙", ["town:taiyigong", "town:taiyigong"]],
    ["区营商环境办公室", ["department:dept-biz"]],
    ["办税服务厅", ["department:dept-tax"]],
    ["东关街道城管执法队员", ["town:dongguan", "department:dept-urban"]],
    ["不动产登记中心办证难", ["department:dept-resources"]],
    ["小区花园里的人民路上", []],
  ])("finds the subjects of %s", (text, expected) => {
    expect(subjects(text)).toEqual(expected);
  });

  it("keeps conduct and service kinds apart and gives every escalating category the conduct kind", () => {
    const byCode = new Map(source.categories.map((c) => [c.code, c]));
    for (const code of [
      "bribe-demand",
      "sloth",
      "shirking",
      "inaction",
      "formalism",
      "gifts",
      "banquets",
      "official-car-misuse",
    ]) {
      expect(byCode.get(code)?.kind, code).toBe("conduct");
    }
    for (const code of [
      "approval-delay",
      "unpaid-accounts",
      "credit-repair",
      "financing",
      "utility-fees",
      "policy-not-delivered",
    ]) {
      expect(byCode.get(code)?.kind, code).toBe("service");
      expect(byCode.get(code)?.owner, code).toBeDefined();
    }
    expect(source.categories.filter((c) => c.escalate).map((c) => c.code)).toEqual(
      expect.arrayContaining(["illegal-fundraising", "bid-rigging", "bribery"]),
    );
  });

  it.each([
    ["群众反映窗口工作人员庸、懒、散、慢", ["sloth"]],
    ["严查职能部门明放暗不放、明减暗不减", ["formalism"]],
    ["企业反映中介费用高、需要提交多套材料", ["repeated-paperwork", "intermediary-fees"]],
    ["涉企乱罚款、乱收费，还搞重复执法、粗暴执法", ["arbitrary-charges", "improper-enforcement"]],
    ["前几年发生非法集资，影响恶劣", ["illegal-fundraising"]],
    ["开辟信用修复绿色通道", ["credit-repair"]],
    ["融资难、融资贵问题依然存在", ["financing"]],
    ["新官不理旧账，拖欠企业账款三年", ["new-official-old-debt", "unpaid-accounts"]],
    ["ＡＢＣ公司反映干部索要好处费", ["bribe-demand"]],
  ])("classifies %s", (text, codes) => {
    expect(directory.findCategories(text).map((hit) => hit.category.code)).toEqual(codes);
  });
});
