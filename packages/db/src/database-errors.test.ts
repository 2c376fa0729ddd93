import { RetryableOutage } from "@clueline/contracts/errors";
import { describe, expect, it } from "vitest";
import { classifyDatabaseError, isDatabaseOutage, isStalePreparedStatement, sqlStateOf } from "./database-errors.js";

const serverError = (code: string, routine = "") => Object.assign(new Error("any text at all"), { code, routine });

describe("isStalePreparedStatement", () => {
  it("knows PostgreSQL's refusals of a stale prepared statement by SQLSTATE and routine, and nothing else", () => {
    expect(isStalePreparedStatement(serverError("26000"))).toBe(true);
    expect(isStalePreparedStatement(serverError("0A000", "RevalidateCachedQuery"))).toBe(true);
    // Another unsupported feature (FOR UPDATE with GROUP BY, say) is a bug in the statement, not a stale plan.
    expect(isStalePreparedStatement(serverError("0A000", "CheckSelectLocking"))).toBe(false);
    expect(isStalePreparedStatement(serverError("23505"))).toBe(false);
    expect(isStalePreparedStatement(undefined)).toBe(false);
  });

  it("looks through a wrapping error's cause", () => {
    expect(isStalePreparedStatement(new Error("database", { cause: serverError("26000") }))).toBe(true);
    expect(isStalePreparedStatement(new Error("database", { cause: new Error("other") }))).toBe(false);
  });
});

describe("classifyDatabaseError", () => {
  it("makes an outage of connection, resource, shutdown, conflict and network errors", () => {
    for (const code of ["08006", "53300", "57P01", "40001", "40P01", "26000"]) {
      const outage = classifyDatabaseError(serverError(code));
      expect(outage, code).toBeInstanceOf(RetryableOutage);
      expect((outage as RetryableOutage).dependency).toBe("database");
    }
    expect(classifyDatabaseError(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }))).toBeInstanceOf(RetryableOutage);
  });

  it("passes a statement's own errors through unchanged, whatever their message says", () => {
    for (const error of [
      serverError("23505"),
      serverError("42P01"),
      new Error("Connection terminated unexpectedly"),
      Object.assign(new TypeError("bad argument"), { code: "ERR_INVALID_ARG_TYPE" }),
    ]) {
      expect(classifyDatabaseError(error)).toBe(error);
    }
  });

  it("keeps an outage as it is, and says so to isDatabaseOutage", () => {
    const outage = new RetryableOutage("database");
    expect(classifyDatabaseError(outage)).toBe(outage);
    expect(isDatabaseOutage(outage)).toBe(true);
    expect(isDatabaseOutage(serverError("22P02"))).toBe(false);
  });
});

describe("sqlStateOf", () => {
  it("reads five-character SQLSTATEs only", () => {
    expect(sqlStateOf(serverError("40P01"))).toBe("40P01");
    expect(sqlStateOf({ code: "ECONNRESET" })).toBeUndefined();
    expect(sqlStateOf({ code: "EPIPE" })).toBeUndefined();
    expect(sqlStateOf("40P01")).toBeUndefined();
  });
});
