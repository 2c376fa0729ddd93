import { describe, expect, it } from "vitest";
import { insertFromJson, jsonRecordset } from "./json-recordset.js";

describe("jsonRecordset", () => {
  it("declares each column with its type, in the order given", () => {
    expect(jsonRecordset("$3", { clue_id: "text", roles: "text[]", at: "timestamptz" })).toBe(
      "jsonb_to_recordset($3::jsonb) as r(clue_id text, roles text[], at timestamptz)",
    );
  });
});

describe("insertFromJson", () => {
  it("names each column once for the insert, the select and the declaration", () => {
    expect(insertFromJson("t", "$1", { a: "text", b: "date" })).toBe(
      "insert into t (a, b) select a, b from jsonb_to_recordset($1::jsonb) as r(a text, b date)",
    );
  });

  it("adds computed columns after the given ones, their expressions in the select", () => {
    expect(insertFromJson("t", "$2", { a: "text", at: "timestamptz" }, { state: "'assigned'", updated_at: "at" })).toBe(
      "insert into t (a, at, state, updated_at) select a, at, 'assigned', at from jsonb_to_recordset($2::jsonb) as r(a text, at timestamptz)",
    );
  });
});
