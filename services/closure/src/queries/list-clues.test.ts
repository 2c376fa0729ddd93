import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./list-clues.js";

describe("clue list cursors", () => {
  it("round-trip a position and refuse anything else", () => {
    expect(decodeCursor(encodeCursor("12345"))).toBe("12345");
    expect(decodeCursor(undefined)).toBeNull();
    expect(decodeCursor("not-a-cursor")).toBeNull();
    expect(decodeCursor(Buffer.from("v1:1; drop table clues").toString("base64url"))).toBeNull();
    expect(decodeCursor(encodeCursor(String(Number.MAX_SAFE_INTEGER)))).toBe(String(Number.MAX_SAFE_INTEGER));
    expect(decodeCursor(encodeCursor("9999999999999999999"))).toBeNull(); // past PostgreSQL's bigint
  });
});
