import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { MigrationFolderInvalid, readMigrations } from "./read-migrations.js";

let folder: string | undefined;
afterEach(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function folderWith(files: Record<string, string>): Promise<URL> {
  folder = await mkdtemp(join(tmpdir(), "clueline-migrations-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
  return pathToFileURL(`${folder}/`);
}

describe("readMigrations", () => {
  it("reads NNN_name.sql files in version order, and ignores what is not SQL", async () => {
    const url = await folderWith({
      "002_second.sql": "create table b (x int);",
      "001_first_one.sql": "create table a (x int);",
      "README.md": "how to add one",
    });
    expect(await readMigrations(url)).toEqual([
      { version: 1, name: "first_one", sql: "create table a (x int);" },
      { version: 2, name: "second", sql: "create table b (x int);" },
    ]);
  });

  it("refuses a misnamed file, a version twice and a gap, naming the file", async () => {
    const refusal = async (files: Record<string, string>) => {
      const error = await readMigrations(await folderWith(files)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MigrationFolderInvalid);
      return (error as MigrationFolderInvalid).file;
    };
    expect(await refusal({ "001_a.sql": "", "2_b.sql": "" })).toBe("2_b.sql");
    expect(await refusal({ "001_a.sql": "", "002_b.sql": "", "002_c.sql": "" })).toBe("002_c.sql");
    expect(await refusal({ "001_a.sql": "", "003_c.sql": "" })).toBe("003_c.sql");
    expect(await refusal({ "001_Upper.sql": "" })).toBe("001_Upper.sql");
  });
});
