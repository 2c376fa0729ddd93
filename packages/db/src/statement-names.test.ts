import { describe, expect, it } from "vitest";
import { createStatementNames } from "./statement-names.js";

describe("createStatementNames", () => {
  it("names each text once, the same way every time, apart by prefix", () => {
    const nameOf = createStatementNames("r");
    expect(nameOf("SELECT $1")).toBe(nameOf("SELECT $1"));
    expect(nameOf("SELECT $1")).not.toBe(nameOf("SELECT $2"));
    expect(nameOf("SELECT $1")).toMatch(/^r[0-9a-f]{20}$/);
    expect(createStatementNames("c")("SELECT $1").slice(1)).toBe(nameOf("SELECT $1").slice(1));
  });
});
