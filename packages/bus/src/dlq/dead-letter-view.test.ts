import { describe, expect, it } from "vitest";
import type { ConsumedRecord } from "../consumed-record.js";
import { dlqHeaders } from "../dead-letter.js";
import { detailDeadLetter, elideSealedIdentity, errorSummary, replayedFromHeader, toReplayRecord } from "./dead-letter-view.js";

const seal = { alg: "A256GCM", keyId: "k1", iv: "aXY", tag: "dGFn", ciphertext: "Y2lwaGVy" };
const deadLetter = (overrides: Partial<ConsumedRecord> = {}): ConsumedRecord => ({
  topic: "p.clueline.clue.routed.v1.dlq",
  partition: 0,
  offset: "4",
  key: "clue-1",
  value: Buffer.from(JSON.stringify({ complaint: { reporter: { kind: "real-name", identity: seal }, text: "t" } })),
  timestamp: "1764655200000",
  headers: {
    ce_id: "e-1",
    ce_type: "clueline.clue.routed",
    [dlqHeaders.errorClass]: "DatabaseError",
    [dlqHeaders.errorCode]: "23514",
    [dlqHeaders.errorMessage]: 'new row for relation "clues" violates check constraint "no_such_clue"',
    [dlqHeaders.problems]: "[]",
    [dlqHeaders.topic]: "p.clueline.clue.routed.v1",
    [dlqHeaders.offset]: "17",
  },
  ...overrides,
});

describe("dead letter views", () => {
  it("elides reporter.identity and any other sealed blob, never opening them", () => {
    const value = { reporter: { identity: seal, kind: "real-name" }, items: [{ note: seal }], other: { identity: "kept" } };
    expect(elideSealedIdentity(value)).toEqual({
      reporter: { identity: "[sealed, elided (key k1)]", kind: "real-name" },
      items: [{ note: "[sealed, elided (key k1)]" }],
      other: { identity: "kept" },
    });
    expect(elideSealedIdentity({ reporter: { identity: "unexpected shape" } })).toEqual({
      reporter: { identity: "[sealed, elided]" },
    });
  });

  it("shows the error in full and the value without its seal; a value that is not JSON is not shown", () => {
    const detail = detailDeadLetter(deadLetter(), true);
    expect(detail.error).toMatchObject({ class: "DatabaseError", code: "23514", problems: [] });
    expect(JSON.stringify(detail)).not.toContain(seal.ciphertext);
    expect(detailDeadLetter(deadLetter({ value: Buffer.from("not json 13800138000") }), false).value).toEqual({
      notJson: true,
      bytes: 20,
    });
  });

  it("summarizes by problems when there are some, else by the message, in one short line", () => {
    expect(errorSummary(deadLetter(), 30)).toBe('new row for relation "clues"…');
    const poison = deadLetter({ headers: { [dlqHeaders.problems]: JSON.stringify([{ path: "text", reason: "required" }]) } });
    expect(errorSummary(poison)).toBe("text: required");
  });

  it("replays to the original topic with the original headers, the dead letter's own replaced by where it came from", () => {
    const replay = toReplayRecord(deadLetter());
    expect(replay.topic).toBe("p.clueline.clue.routed.v1");
    expect(replay.key).toBe("clue-1");
    expect(replay.headers).toEqual({
      ce_id: "e-1",
      ce_type: "clueline.clue.routed",
      [replayedFromHeader]: "p.clueline.clue.routed.v1.dlq/0/4",
    });
  });
});
