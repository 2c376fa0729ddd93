import { describe, expect, it } from "vitest";
import { createStatementNames, isStalePreparedStatement } from "./prepared-statements.js";

describe("createStatementNames", () => {
  it("names each text once, the same way every time, apart by prefix", () => {
    const nameOf = createStatementNames("r");
    expect(nameOf("SELECT $1")).toBe(nameOf("SELECT $1"));
    expect(nameOf("SELECT $1")).not.toBe(nameOf("SELECT $2"));
    expect(nameOf("SELECT $1")).toMatch(/^r[0-9a-f]{20}$/);
    expect(createStatementNames("c")("SELECT $1").slice(1)).toBe(nameOf("SELECT $1").slice(1));
  });
});

describe("isStalePreparedStatement", () => {
  it("knows PostgreSQL's refusals of a stale prepared statement, and nothing else", () => {
    expect(isStalePreparedStatement({ code: "26000", message: 'prepared statement "r1" does not exist' })).toBe(true);
    expect(isStalePreparedStatement({ code: "0A000", message: "cached plan must not change result type" })).toBe(true);
    expect(isStalePreparedStatement({ code: "0A000", message: "FOR UPDATE is not allowed with GROUP BY clause" })).toBe(false);
    expect(isStalePreparedStatement({ code: "23505", message: "duplicate key" })).toBe(false);
    expect(isStalePreparedStatement(undefined)).toBe(false);
  });

  it("looks through a wrapping error's cause", () => {
    const stale = Object.assign(new Error("cached plan must not change result type"), { code: "0A000" });
    expect(isStalePreparedStatement(new Error("database", { cause: stale }))).toBe(true);
    expect(isStalePreparedStatement(new Error("database", { cause: new Error("other") }))).toBe(false);
  });
});
