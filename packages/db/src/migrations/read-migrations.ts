import { readdir, readFile } from "node:fs/promises";

/** One file of a service's `migrations/` folder: `NNN_name.sql`, applied once, in order, never edited once released. */
export interface Migration {
  version: number;
  name: string;
  /** The file's text: any number of statements, run as one script in the migration's transaction. */
  sql: string;
}

/** A migrations folder that cannot be applied as it is: a misnamed file, a version twice, a gap. */
export class MigrationFolderInvalid extends Error {
  override readonly name = "MigrationFolderInvalid";
  readonly file: string;
  constructor(options: { file: string; problem: string }) {
    super(`${options.file}: ${options.problem}`);
    this.file = options.file;
  }
}

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/**
 * The migrations of a folder, by version. Every `.sql` file must be named `NNN_name.sql` and the versions must run
 * 1, 2, 3… without a gap: a file silently skipped, or two branches both adding version 10, would leave databases
 * that claim a version they do not have. Other files (a README) are ignored.
 *
 * @example
 * const migrations = await readMigrations(new URL("../../migrations/", import.meta.url));
 */
export async function readMigrations(folder: URL): Promise<Migration[]> {
  const files = (await readdir(folder)).filter((file) => file.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new MigrationFolderInvalid({ file, problem: "expected NNN_name.sql (three digits, lower-case name)" });
    const version = Number(match[1]);
    if (version !== migrations.length + 1)
      throw new MigrationFolderInvalid({ file, problem: `expected version ${migrations.length + 1} next` });
    migrations.push({ version, name: match[2] as string, sql: await readFile(new URL(file, folder), "utf8") });
  }
  return migrations;
}
