import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === "node_modules" || entry === "dist" ? [] : sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") ? [path] : [];
  });
}

/** Drops comment lines (JSDoc examples may show `process.env`), keeping code. */
function withoutComments(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
    .join("\n");
}

function workspaces(kind: "packages" | "services"): string[] {
  return readdirSync(join(root, kind)).filter((name) =>
    statSync(join(root, kind, name, "src"), { throwIfNoEntry: false })?.isDirectory(),
  );
}

/** Every `@clueline/...` specifier a workspace's non-test source imports, with the importing file. */
function cluelineImports(kind: "packages" | "services", name: string): { file: string; specifier: string }[] {
  return sourceFiles(join(root, kind, name, "src")).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/from\s+"(@clueline\/[^"]+)"|import\(\s*"(@clueline\/[^"]+)"\s*\)/g)].map(
      (match) => ({
        file: relative(root, file),
        specifier: (match[1] ?? match[2]) as string,
      }),
    ),
  );
}

describe("dependencies point services → packages → contracts", () => {
  it("contracts import no other clueline code", () => {
    expect(cluelineImports("packages", "contracts")).toEqual([]);
  });

  it("the bus transport never imports topic or domain code, only the envelope and error classes", () => {
    const allowed = new Set(["@clueline/contracts/errors", "@clueline/contracts/envelope"]);
    expect(cluelineImports("packages", "bus").filter((i) => !allowed.has(i.specifier))).toEqual([]);
  });

  it("packages never import services", () => {
    const services = new Set(workspaces("services").map((name) => `@clueline/${name}`));
    const offending = workspaces("packages").flatMap((name) =>
      cluelineImports("packages", name).filter((i) => services.has(i.specifier.split("/").slice(0, 2).join("/"))),
    );
    expect(offending).toEqual([]);
  });

  it("services never import one another", () => {
    const services = workspaces("services");
    expect(services.length).toBeGreaterThanOrEqual(5);
    const offending = services.flatMap((name) =>
      cluelineImports("services", name).filter((i) => {
        const target = i.specifier.split("/")[1];
        return target !== name && services.includes(target as string);
      }),
    );
    expect(offending).toEqual([]);
  });

  it("main.ts is the only file of a service that reads process.env", () => {
    const offending = workspaces("services").flatMap((name) =>
      sourceFiles(join(root, "services", name, "src"))
        .filter((file) => !/(main|cli|deadline-cli)\.ts$/.test(file) && !file.includes("/bench/"))
        .filter((file) => /process\.env/.test(withoutComments(readFileSync(file, "utf8"))))
        .map((file) => relative(root, file)),
    );
    expect(offending).toEqual([]);
  });
});

describe("a service that verifies tokens cannot mint them (DESIGN §8)", () => {
  it("only test helpers import the signer; kit's main entry, which services use, does not export it", () => {
    const minting = /^@clueline\/kit\/(token-signer|test-tokens)$/;
    const isTestHelper = (file: string) => /\/(testing\/|testing\.ts$|test-support\.ts$)/.test(file);
    const imports = [
      ...workspaces("services").flatMap((name) => cluelineImports("services", name)),
      ...workspaces("packages").flatMap((name) => cluelineImports("packages", name)),
    ];
    expect(imports.filter((i) => minting.test(i.specifier) && !isTestHelper(i.file))).toEqual([]);
    expect(imports.some((i) => minting.test(i.specifier))).toBe(true);
    expect(readFileSync(join(root, "packages/kit/src/index.ts"), "utf8")).not.toMatch(/token-signer|test-tokens/);
  });
});

/** Each relative import of the closure's non-test source, as folder → folder under `src/`. */
function closureFolderImports(): { from: string; to: string; file: string }[] {
  const src = join(root, "services", "closure", "src");
  return sourceFiles(src).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)].map((match) => {
      const target = relative(src, join(dirname(file), match[1] as string));
      return {
        from: relative(src, file).split("/")[0] as string,
        to: target.split("/")[0] as string,
        file: relative(root, file),
      };
    }),
  );
}

describe("the closure's folders depend one way (issue #16)", () => {
  const imports = closureFolderImports();
  const between = (from: string, to: string[]) => imports.filter((i) => i.from === from && to.includes(i.to));

  it("reads the imports it checks", () => {
    expect(between("ledger", ["deadlines"]).length).toBeGreaterThan(0);
  });

  it("deadline computation is pure: it imports no ledger, scan, supervision or HTTP code", () => {
    expect(between("deadlines", ["ledger", "deadline-scan", "supervision", "http", "queries"])).toEqual([]);
  });

  it("read models never import the HTTP layer", () => {
    expect(between("queries", ["http"])).toEqual([]);
  });

  it("the ledger imports neither the API, its read models nor the scan that calls it", () => {
    expect(between("ledger", ["http", "queries", "deadline-scan"])).toEqual([]);
  });
});
