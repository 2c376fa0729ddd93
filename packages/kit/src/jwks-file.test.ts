import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createTestTokens } from "./test-tokens.js";
import { createTokenVerifier } from "./token-verifier.js";

describe("a JWKS file", () => {
  it("keeps the keys in force when the changed file is unusable, and says so", async () => {
    const tokens = createTestTokens();
    const path = join(mkdtempSync(join(tmpdir(), "jwks-")), "jwks.json");
    writeFileSync(path, JSON.stringify(tokens.jwks));
    const lines: string[] = [];
    const logger = pino({ level: "error" }, { write: (line: string) => void lines.push(line) });
    let clock = Date.now();
    const verifier = createTokenVerifier({ ...tokens.verification, jwks: path, logger, now: () => clock });
    const token = await tokens.issue({ scopes: [] });

    writeFileSync(path, JSON.stringify({ keys: [tokens.keys[0]?.privateJwk] }));
    clock += 5_000;
    expect(await verifier.verify(token)).toBeDefined();
    expect(lines.join("")).toContain("private or symmetric");

    writeFileSync(path, "{ not json");
    clock += 5_000;
    expect(await verifier.verify(token)).toBeDefined();
    expect(lines).toHaveLength(2);
  });

  it("refuses to start without a usable file", () => {
    const tokens = createTestTokens();
    expect(() => createTokenVerifier({ ...tokens.verification, jwks: join(tmpdir(), "no-such-jwks.json") })).toThrow(/ENOENT/);
  });
});
