import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { defaultDirectoryPath } from "./default-directory-path.js";
import type { Directory } from "./directory.js";
import { createDirectoryHolder, type DirectoryLogger } from "./directory-holder.js";
import { DirectoryInvalid } from "./directory-invalid.js";

const original = await readFile(defaultDirectoryPath, "utf8");
/** The holder keeps whatever its user compiles a directory into; here the directory itself. */
const compile = (directory: Directory) => directory;

describe("createDirectoryHolder", () => {
  let dir: string;
  let path: string;
  let logs: Array<{ level: string; fields: object; message: string }>;
  let logger: DirectoryLogger;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "clueline-directory-"));
    path = join(dir, "district.yaml");
    await writeFile(path, original);
    logs = [];
    logger = {
      info: (fields, message) => logs.push({ level: "info", fields, message }),
      warn: (fields, message) => logs.push({ level: "warn", fields, message }),
    };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("refuses to start on an invalid file", async () => {
    await writeFile(path, original.replace("transferTo: city-commission", "transferTo: nobody"));
    await expect(createDirectoryHolder({ path, logger, compile })).rejects.toBeInstanceOf(DirectoryInvalid);
  });

  it("refuses to start on a missing file, naming it", async () => {
    const missing = join(dir, "absent.yaml");
    const error = await createDirectoryHolder({ path: missing, logger, compile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryInvalid);
    expect((error as DirectoryInvalid).source).toBe(missing);
    expect((error as DirectoryInvalid).message).toContain(`cannot read ${missing}`);
  });

  it("keeps what compile made of the file, built once per version", async () => {
    const built: number[] = [];
    const holder = await createDirectoryHolder({
      path,
      logger,
      compile: (directory) => {
        built.push(directory.policy.repeatEscalateAt);
        return new Set(directory.categories.map((c) => c.code));
      },
    });
    expect(holder.current().has("bribe-demand")).toBe(true);
    await holder.reload();
    await writeFile(path, original.replace("repeatEscalateAt: 3", "repeatEscalateAt: 4"));
    await holder.reload();
    expect(built).toEqual([3, 4]);
  });

  it("does nothing when the file did not change", async () => {
    const holder = await createDirectoryHolder({ path, logger, compile });
    const before = holder.current();
    expect(await holder.reload()).toEqual({ status: "unchanged" });
    expect(holder.current()).toBe(before);
  });

  it("swaps in a changed valid file whole", async () => {
    const holder = await createDirectoryHolder({ path, logger, compile });
    await writeFile(path, original.replace("repeatEscalateAt: 3", "repeatEscalateAt: 4"));
    const result = await holder.reload();
    expect(result.status).toBe("reloaded");
    expect(holder.current().policy.repeatEscalateAt).toBe(4);
    expect(logs.map((l) => l.message)).toEqual(["directory reloaded"]);
  });

  it("keeps the good directory when the new file is invalid, and reports every problem", async () => {
    const holder = await createDirectoryHolder({ path, logger, compile });
    const good = holder.current();
    await writeFile(
      path,
      original
        .replace("transferTo: city-commission", "transferTo: nobody")
        .replace("repeatWindowDays: 30", "repeatWindowDays: 0"),
    );
    const result = await holder.reload();
    expect(result.status).toBe("rejected");
    if (result.status === "rejected")
      expect(result.problems.map((p) => p.path)).toEqual(["policy.transferTo", "policy.repeatWindowDays"]);
    expect(holder.current()).toBe(good);
    expect(logs[0]).toMatchObject({ level: "warn", message: expect.stringContaining("keeping the directory in force") });
  });

  it("keeps the good directory when the file disappears", async () => {
    const holder = await createDirectoryHolder({ path, logger, compile });
    const good = holder.current();
    await rm(path);
    expect((await holder.reload()).status).toBe("rejected");
    expect(holder.current()).toBe(good);
  });

  it("serializes concurrent reloads: the last file written wins", async () => {
    const holder = await createDirectoryHolder({ path, logger, compile });
    await writeFile(path, original.replace("mergeWindowDays: 7", "mergeWindowDays: 5"));
    const results = await Promise.all([holder.reload(), holder.reload()]);
    expect(results.map((r) => r.status)).toEqual(["reloaded", "unchanged"]);
    expect(holder.current().policy.mergeWindowDays).toBe(5);
  });

  it("reloads by itself when watching", async () => {
    const holder = await createDirectoryHolder({ path, logger, compile });
    const stop = holder.watch({ intervalMs: 10 });
    try {
      await writeFile(path, original.replace("mediaReachEscalateAt: 100000", "mediaReachEscalateAt: 50000"));
      await vi.waitFor(() => expect(holder.current().policy.mediaReachEscalateAt).toBe(50000), { timeout: 3000, interval: 20 });
    } finally {
      stop();
    }
  });
});
