import { describe, expect, it } from "vitest";
import {
  isReplayed,
  markReplayed,
  markReplayedUpTo,
  noReplayMarks,
  parseReplayMarks,
  serializeReplayMarks,
} from "./replay-marks.js";

describe("replay marks", () => {
  it("keeps single replays above the offset and folds them in once the gap before them is closed", () => {
    let marks = markReplayed(noReplayMarks(), [3n, 5n]);
    expect(marks).toEqual({ next: 0n, singles: [3n, 5n] });
    expect([0n, 3n, 4n, 5n].map((offset) => isReplayed(marks, offset))).toEqual([false, true, false, true]);
    marks = markReplayed(marks, [0n, 1n, 2n]);
    expect(marks).toEqual({ next: 4n, singles: [5n] });
    marks = markReplayed(marks, [4n]);
    expect(marks).toEqual({ next: 6n, singles: [] });
  });

  it("moves the offset to the end of a full replay, keeping singles beyond it", () => {
    const marks = markReplayed(noReplayMarks(), [2n, 9n]);
    expect(markReplayedUpTo(marks, 5n)).toEqual({ next: 5n, singles: [9n] });
    expect(markReplayedUpTo(marks, 9n)).toEqual({ next: 10n, singles: [] });
    expect(markReplayedUpTo({ next: 7n, singles: [] }, 5n)).toEqual({ next: 7n, singles: [] });
  });

  it("round-trips through the committed offset and metadata, and reads no commit or foreign metadata as nothing", () => {
    const marks = { next: 4n, singles: [6n, 8n] };
    expect(parseReplayMarks({ offset: "4", metadata: serializeReplayMarks(marks) })).toEqual(marks);
    expect(parseReplayMarks({ offset: "-1", metadata: null })).toEqual(noReplayMarks());
    expect(parseReplayMarks({ offset: "3", metadata: "written by someone else" })).toEqual({ next: 3n, singles: [] });
  });
});
