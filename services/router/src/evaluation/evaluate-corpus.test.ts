import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli.js";
import { exampleDirectory } from "../testing/example-directory.js";
import { parseLabelled, runEvaluation } from "./evaluate-cli.js";
import { evaluateCorpus } from "./evaluate-corpus.js";

const line = (id: string, text: string, category: string, nature: string, split = "heldout") =>
  JSON.stringify({ id, text, category, nature, split });

/** Six texts whose outcome on `exampleDirectory` is known by hand; the comment says what each routes to. */
const corpus = [
  line("1", "村支书天天开着镇里的车接送孩子上下学", "official-car-misuse", "discipline"), // an example: car, discipline
  line("2", "工地欠薪半年", "wage-arrears", "service"), // keyword: wages, service
  line("3", "小区门口的路灯坏了很久没人修", "official-car-misuse", "discipline"), // nothing: unclassified
  line("4", "工地上有人公车私用，还欠薪", "official-car-misuse", "discipline"), // two keywords: car first, both
  line("5", "在工地干了半年活，包工头到现在一分钱没给", "wage-arrears", "service", "train"), // an example: wages
  line("6", "老板跑路了，我们十几个工人年底的钱都拿不到", "official-car-misuse", "discipline"), // wages: service only
].join("\n");

async function output(run: (io: { stdout: PassThrough; stderr: PassThrough }) => Promise<number>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const code = await run({ stdout, stderr });
  return { code, out, err };
}

describe("evaluateCorpus", () => {
  const directory = exampleDirectory({ threshold: 0.3 });
  const { texts, bad } = parseLabelled(`${corpus}\n\n`);

  it("counts top category, nature, its confusion and the unclassified on the held-out part", () => {
    expect(bad).toEqual([]);
    const evaluation = evaluateCorpus({ texts: texts.filter((t) => t.split === "heldout"), directory });
    expect(evaluation).toMatchObject({ texts: 5, topRight: 3, natureRight: 2, unclassified: 1, disciplineAsServiceOnly: 1 });
    expect(evaluation.natureConfusion).toEqual({
      discipline: { discipline: 1, service: 1, both: 1, unclassified: 1 },
      service: { discipline: 0, service: 1, both: 0, unclassified: 0 },
    });
    expect(evaluation.categories).toEqual([
      { code: "official-car-misuse", labelled: 4, matched: 2, right: 2, precision: 1, recall: 0.5 },
      { code: "wage-arrears", labelled: 1, matched: 3, right: 1, precision: 1 / 3, recall: 1 },
    ]);
    expect(evaluation.misses).toEqual([
      { id: "3", label: "official-car-misuse", top: null },
      { id: "6", label: "official-car-misuse", top: "wage-arrears" },
    ]);
  });

  it("counts every split when none is chosen", () => {
    const evaluation = evaluateCorpus({ texts, directory });
    expect(evaluation).toMatchObject({ texts: 6, topRight: 4, natureRight: 3 });
    expect(evaluation.categories[1]).toEqual({
      code: "wage-arrears",
      labelled: 2,
      matched: 4,
      right: 2,
      precision: 0.5,
      recall: 1,
    });
  });

  it("prints the figures, and reports a bad line by number with exit status 1", async () => {
    const path = fileURLToPath(new URL("./fixtures/sample-labelled.jsonl", import.meta.url));
    const good = await output((io) => runEvaluation({ path, split: "heldout", directory, ...io }));
    expect([good.code, good.err]).toEqual([0, ""]);
    expect(good.out).toMatch(
      /^evaluation of .*sample-labelled\.jsonl \(heldout\), similarity threshold 0\.3: 36 texts\ntop category right {5}\d+\/36/,
    );
    expect(good.out).toContain("discipline routed as service only: ");
    expect(good.out).toContain("nature confusion (label → routed)");

    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const dir = await mkdtemp(`${(await import("node:os")).tmpdir()}/evaluate-`);
    await writeFile(`${dir}/bad.jsonl`, `${corpus}\n{"id":"7","text":"x"}\nnot json\n`);
    const broken = await output((io) => runEvaluation({ path: `${dir}/bad.jsonl`, split: undefined, directory, ...io }));
    expect(broken.code).toBe(1);
    expect(
      broken.err
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(": ")[0]),
    ).toEqual([`${dir}/bad.jsonl:7`, `${dir}/bad.jsonl:8`]);
    expect(broken.out).toContain(": 6 texts");
  });

  // Compiles the shipped directory (1,154 examples) three times: Seconds alone, but a CI machine under load has stretched it past vitest's 5 s default.
  it("runs as `route --evaluate <file> --split heldout` with the shipped directory, exit status 0", async () => {
    const path = fileURLToPath(new URL("./fixtures/sample-labelled.jsonl", import.meta.url));
    const run = await output((io) =>
      runCli({ argv: ["--evaluate", path, "--split", "heldout"], stdin: new PassThrough(), ...io }),
    );
    expect([run.code, run.err]).toEqual([0, ""]);
    // The shipped directory's own threshold when none is given.
    expect(run.out).toContain("(heldout), similarity threshold 0.12: 36 texts");
    const sweep = await output((io) =>
      runCli({ argv: ["--evaluate", path, "--threshold", "0.2", "--threshold", "0.35"], stdin: new PassThrough(), ...io }),
    );
    expect(sweep.out.match(/similarity threshold [\d.]+/g)).toEqual(["similarity threshold 0.2", "similarity threshold 0.35"]);
    for (const argv of [
      ["--split", "heldout"],
      ["--evaluate", path, "--threshold", "2"],
    ]) {
      const misuse = await output((io) => runCli({ argv, stdin: new PassThrough(), ...io }));
      expect(misuse.code).toBe(2);
    }
  }, 60_000);
});
