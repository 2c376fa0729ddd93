import { type CompiledDirectory, compileDirectory, parseDirectory } from "../directory/index.js";

/**
 * A tiny directory with examples, for tests of rule 1: one conduct category that escalates, one service
 * category with an owner, each with two examples and a keyword. `threshold` sets `policy.similarityThreshold`.
 *
 * @example
 * const directory = exampleDirectory({ threshold: 0.2 });
 */
export function exampleDirectory(options: { threshold?: number } = {}): CompiledDirectory {
  const threshold = options.threshold === undefined ? "" : `\n  similarityThreshold: ${options.threshold}`;
  return compileDirectory(
    parseDirectory(
      `
version: 1
units:
  - { id: dc, kind: district-commission, name: 区纪委监委 }
  - { id: town-chengguan, kind: town-committee, name: 城关镇纪委, town: chengguan }
departments:
  - { id: dept-biz, name: 区营商环境办公室, aliases: [营商办] }
  - { id: dept-hrss, name: 区人力资源和社会保障局, aliases: [人社局] }
towns:
  - { id: chengguan, name: 城关镇, aliases: [城关] }
external:
  - { id: city-commission, name: 市纪委监委 }
categories:
  - code: official-car-misuse
    name: 公车私用
    kind: conduct
    keywords: [公车私用]
    escalate: true
    examples: [卫生院院长周末开着单位的车回老家办私事, 村支书天天开着镇里的车接送孩子上下学]
  - code: wage-arrears
    name: 拖欠农民工工资
    kind: service
    keywords: [欠薪]
    owner: dept-hrss
    examples: [在工地干了半年活，包工头到现在一分钱没给, 老板跑路了，我们十几个工人年底的钱都拿不到]
policy:
  seniorRanks: [county]
  transferRanks: [city]
  transferTo: city-commission
  serviceFallback: dept-biz
  serviceOverseer: dept-biz
  repeatWindowDays: 30
  repeatEscalateAt: 3
  mergeWindowDays: 7
  mediaReachEscalateAt: 100000${threshold}
`,
      "yaml",
    ),
  );
}
