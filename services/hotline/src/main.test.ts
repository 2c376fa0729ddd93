import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultDirectoryPath } from "@clueline/directory";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const key = () => randomBytes(32).toString("base64");

describe("hotline main", () => {
  it("refuses to start on an invalid directory file, naming each problem, before it connects anything", async () => {
    const dir = await mkdtemp(join(tmpdir(), "clueline-hotline-"));
    try {
      const path = join(dir, "district.yaml");
      const shipped = await readFile(defaultDirectoryPath, "utf8");
      await writeFile(path, shipped.replace("transferTo: city-commission", "transferTo: nobody"));
      const result = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "services/hotline/src/main.ts"], {
        cwd: root,
        encoding: "utf8",
        timeout: 30_000,
        env: {
          PATH: process.env.PATH ?? "",
          LOG_LEVEL: "info",
          // Nothing listens here: the edge must stop on the directory before it tries the broker.
          KAFKA_BROKERS: "127.0.0.1:9",
          AUTH_JWKS: join(dir, "jwks.json"),
          AUTH_ISSUER: "clueline-test",
          IDENTITY_KEYS: `k1:${key()}`,
          IDENTITY_ACTIVE_KEY: "k1",
          IDENTITY_HASH_KEY: key(),
          DIRECTORY_FILE: path,
        },
      });
      expect(result.status).not.toBe(0);
      expect(result.stdout).toContain("directory file invalid");
      expect(result.stderr).toMatch(/policy\.transferTo \(line \d+\): unknown external body "nobody"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
