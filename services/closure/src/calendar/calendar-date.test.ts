import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { epochDayOf, fromEpochDay, shanghaiDateOf, toCalendarDate, weekdayOf } from "./calendar-date.js";
import { InvalidCalendarDate } from "./errors.js";

describe("toCalendarDate", () => {
  it("accepts a real YYYY-MM-DD date", () => {
    expect(toCalendarDate("2026-02-28")).toBe("2026-02-28");
  });

  it.each(["2026-02-29", "2026-13-01", "2026-2-1", "2026-02-14T00:00:00Z", "0099-01-01", ""])("refuses %j", (text) => {
    expect(() => toCalendarDate(text)).toThrow(InvalidCalendarDate);
  });

  it("reads an instant on the Shanghai wall clock, not in UTC or the host zone", () => {
    // 2026-03-06 is a Friday in UTC but already Saturday 00:30 in Beijing.
    expect(toCalendarDate(new Date("2026-03-06T16:30:00Z"))).toBe("2026-03-07");
    expect(toCalendarDate(new Date("2026-03-06T15:59:59Z"))).toBe("2026-03-06");
  });
});

describe("shanghaiDateOf", () => {
  it("refuses an invalid Date", () => {
    expect(() => shanghaiDateOf(new Date("nope"))).toThrow(InvalidCalendarDate);
  });

  it("equals the UTC date eight hours later (China has had no daylight saving since 1991)", () => {
    const instants = fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2040, 0, 1) });
    fc.assert(
      fc.property(instants, (ms) => {
        expect(shanghaiDateOf(new Date(ms))).toBe(new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10));
      }),
    );
  });
});

describe("epoch days", () => {
  it("round-trip and give UTC weekdays", () => {
    expect(fromEpochDay(epochDayOf("2026-02-14"))).toBe("2026-02-14");
    expect(weekdayOf(epochDayOf("2026-02-14"))).toBe(6);
    expect(weekdayOf(epochDayOf("2026-01-04"))).toBe(0);
  });

  it("refuse days outside four-digit years", () => {
    expect(() => fromEpochDay(epochDayOf("9999-12-31") + 1)).toThrow(RangeError);
  });
});
