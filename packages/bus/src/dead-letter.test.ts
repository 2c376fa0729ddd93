import { PoisonRecord } from "@clueline/contracts/errors";
import { describe, expect, it } from "vitest";
import type { ConsumedRecord } from "./consumed-record.js";
import { dlqHeaders, toDeadLetter } from "./dead-letter.js";

const record: ConsumedRecord = {
  topic: "clueline.clue.routed.v1",
  partition: 2,
  offset: "41",
  key: "01ARZ3NDEKTSV4RRFFQ69G5FAV",
  value: Buffer.from('{"text":"..."}'),
  headers: { ce_id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" },
  timestamp: "0",
};

describe("toDeadLetter", () => {
  it("keeps a poison record's own message and problems, which name rules, not values", () => {
    const error = new PoisonRecord("complaint cannot be normalized", { problems: [{ path: "text", reason: "required" }] });
    const dead = toDeadLetter({ record, error, groupId: "router" });
    expect(dead.topic).toBe("clueline.clue.routed.v1.dlq");
    expect(dead.headers[dlqHeaders.errorMessage]).toBe("complaint cannot be normalized");
    expect(JSON.parse(dead.headers[dlqHeaders.problems] ?? "")).toEqual([{ path: "text", reason: "required" }]);
    expect(dead.value).toBe(record.value);
  });

  it("withholds a driver's message, which can quote the refused value, and keeps its class and code", () => {
    const error = Object.assign(new Error('invalid input syntax for type integer: "张三 13800138000"'), {
      name: "error",
      code: "22P02",
    });
    const dead = toDeadLetter({ record, error, groupId: "closure" });
    const headers = JSON.stringify(dead.headers);
    expect(headers).not.toContain("13800138000");
    expect(headers).not.toContain("张三");
    expect(dead.headers[dlqHeaders.errorClass]).toBe("DatabaseError");
    expect(dead.headers[dlqHeaders.errorCode]).toBe("22P02");
    expect(dead.headers[dlqHeaders.errorMessage]).toBe("DatabaseError 22P02 (message withheld: it may quote the record)");
  });
});
