import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { runCli } from "../cli.js";
import { type CompiledDirectory, compileDirectory, loadDirectory } from "../directory/index.js";
import { parseJsonLines } from "./parse-json-lines.js";
import { formatSuggestions } from "./suggest-cli.js";
import { suggestExamples, TriagedText } from "./suggest-examples.js";

const directoryPath = fileURLToPath(new URL("./fixtures/suggest-directory.yaml", import.meta.url));
const triagedPath = fileURLToPath(new URL("./fixtures/triaged.jsonl", import.meta.url));

async function output(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli({ argv, stdin: new PassThrough(), stdout, stderr });
  return { code, out, err };
}

describe("suggestExamples", () => {
  let directory: CompiledDirectory;
  let rows: ReturnType<typeof parseJsonLines<typeof TriagedText>>["rows"];
  beforeAll(async () => {
    directory = compileDirectory(await loadDirectory(directoryPath));
    const parsed = parseJsonLines(await readFile(triagedPath, "utf8"), TriagedText);
    expect(parsed.bad).toEqual([]);
    rows = parsed.rows;
  });
  const car = (perCategory = 5) =>
    suggestExamples({ texts: rows, directory, perCategory }).categories.find((c) => c.code === "official-car-misuse");

  it("puts a missed, novel text before one the directory already routes here by similarity", () => {
    const suggestions = car()?.suggestions ?? [];
    const ids = suggestions.map((s) => s.id);
    expect(ids).toEqual(["missed-novel", "routed-elsewhere", "well-matched"]);
    const [novel, elsewhere, matched] = suggestions;
    expect(novel).toMatchObject({ routed: null, matchedHere: false });
    expect(elsewhere?.routed).toEqual({ code: "wage-arrears", keywords: ["欠薪"] });
    expect(matched?.routed?.code).toBe("official-car-misuse");
    expect(matched?.routed?.score).toBeGreaterThanOrEqual(0.3);
    expect(matched?.gain).toBeLessThan(elsewhere?.gain ?? 0);
    // Missed counts 1; routed here, half the distance from the examples taken together. Novelty adds the rest.
    expect(novel?.gain).toBeCloseTo(1 + 1 - (novel?.nearest?.score ?? 0), 3);
    expect(matched?.gain).toBeCloseTo((1 - (matched?.together ?? 0)) / 2 + 1 - (matched?.nearest?.score ?? 0), 3);
    expect(car(1)?.suggestions.map((s) => s.id)).toEqual(["missed-novel"]);
  });

  it("never suggests a near-duplicate of an example or of a text already suggested", () => {
    const category = car();
    const ids = category?.suggestions.map((s) => s.id) ?? [];
    // "near-duplicate" is "missed-novel" with its last word changed; "an-example" is an example verbatim.
    expect(ids).not.toContain("near-duplicate");
    expect(ids).not.toContain("an-example");
    expect(category).toMatchObject({ texts: 5, missed: 3, examples: 2, leftOut: { nearDuplicates: 2, tooLong: 0 } });
    // Alone, the near-duplicate is suggested: it was left out for its likeness to the text picked, not for itself.
    const alone = rows.filter((r) => r.value.id !== "missed-novel");
    const again = suggestExamples({ texts: alone, directory, perCategory: 5 }).categories[0];
    expect(again?.suggestions[0]?.id).toBe("near-duplicate");
  });

  it("returns unknown categories with their lines, and leaves out texts too long for an example", () => {
    const long = { line: 9, value: { text: "公".repeat(501), category: "official-car-misuse" } };
    const { categories, unknown } = suggestExamples({ texts: [...rows, long], directory, perCategory: 5 });
    expect(unknown).toEqual([{ code: "street-lights", lines: [7] }]);
    expect(categories.map((c) => c.code)).toEqual(["official-car-misuse", "wage-arrears"]);
    expect(categories[0]?.leftOut.tooLong).toBe(1);
    expect(categories[0]?.texts).toBe(6);
  });

  it("prints YAML items that paste under `examples:`, each under a one-line reason", () => {
    const { categories } = suggestExamples({ texts: rows, directory, perCategory: 5 });
    const printed = formatSuggestions(categories);
    const [carBlock] = printed.split("\n\n");
    const pasted = YAML.parse(`examples:\n${carBlock?.split("\n").slice(1).join("\n")}`);
    expect(pasted.examples).toEqual(categories[0]?.suggestions.map((s) => s.text));
    const reasons = carBlock?.split("\n").filter((l) => l.trimStart().startsWith("# ") && l.startsWith(" "));
    expect(reasons).toEqual([
      expect.stringMatching(
        /^ {6}# missed-novel, gain 1\.\d\d: now unclassified; its examples 0\.\d\d, nearest existing example 0\.\d\d: 卫生院/,
      ),
      expect.stringMatching(/# routed-elsewhere, gain 1\.\d\d: now routed as wage-arrears \(keyword 「欠薪」\); its examples /),
      expect.stringMatching(/# well-matched, gain \d\.\d\d: routed here \(0\.\d\d\); /),
    ]);
    expect(printed).toMatch(
      /^# official-car-misuse \(公车私用\): 5 texts, 3 not routed here first; 2 examples now; 3 suggested, 2 near-duplicates left out\n/,
    );
    expect(printed).toContain("      # line 6, gain ");
  });
});

describe("route --suggest-examples", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "suggest-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("prints the suggestions, reports unknown categories on stderr and exits 0", async () => {
    const run = await output(["--directory", directoryPath, "--suggest-examples", triagedPath, "--per-category", "2"]);
    expect(run.code).toBe(0);
    expect(run.err).toBe(`${triagedPath}: category "street-lights" is not in the directory; skipped 1 line (7)\n`);
    expect(run.out.match(/^ {6}- .*$/gm)).toEqual([
      "      - 局长让司机把公家越野车送他老婆去省城逛商场",
      "      - 所长把单位配的皮卡借给亲戚拉货，还说工人欠薪关他什么事",
      "      - 包工头欠薪半年，我们去找了好几次都说没钱",
    ]);
  });

  it("judges how texts route with --threshold instead of the directory's", async () => {
    const run = await output(["--directory", directoryPath, "--suggest-examples", triagedPath, "--threshold", "1"]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/# well-matched, gain 1\.\d\d: now unclassified;/);
  });

  it("reports bad lines by number and exits 1; an unreadable file exits 2", async () => {
    const path = join(dir, "bad.jsonl");
    await writeFile(path, `${await readFile(triagedPath, "utf8")}{"id":"x","text":"没有类别"}\nnot json\n\n`);
    const run = await output(["--directory", directoryPath, "--suggest-examples", path]);
    expect(run.code).toBe(1);
    expect(run.err.split("\n").filter(Boolean)).toEqual([
      expect.stringMatching(new RegExp(`^${path}:8: category: `)),
      expect.stringMatching(new RegExp(`^${path}:9: `)),
      expect.stringContaining('category "street-lights" is not in the directory'),
    ]);
    expect(run.out).toContain("- 局长让司机把公家越野车送他老婆去省城逛商场");

    const missing = await output(["--directory", directoryPath, "--suggest-examples", join(dir, "absent.jsonl")]);
    expect([missing.code, missing.out]).toEqual([2, ""]);
    expect(missing.err).toMatch(/^cannot read .*absent\.jsonl: /);
  });

  it("refuses misused options with exit status 2", async () => {
    for (const argv of [
      ["--suggest-examples", triagedPath, "--per-category", "0"],
      ["--suggest-examples", triagedPath, "--per-category", "2.5"],
      ["--per-category", "3"],
      ["--suggest-examples", triagedPath, "--evaluate", triagedPath],
      ["--suggest-examples", triagedPath, "--split", "train"],
      ["--suggest-examples", triagedPath, "--threshold", "0.1", "--threshold", "0.2"],
    ]) {
      const run = await output(argv);
      expect([argv, run.code, run.out]).toEqual([argv, 2, ""]);
      expect(run.err).toContain("usage: route");
    }
  });
});
