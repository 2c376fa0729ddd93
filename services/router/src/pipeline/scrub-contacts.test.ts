import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SCRUBBED, scrubContacts } from "./scrub-contacts.js";

describe("scrubContacts", () => {
  it.each([
    ["我电话13800138000，请回电", `我电话${SCRUBBED}，请回电`],
    ["手机 +86 138-0013-8000", `手机 ${SCRUBBED}`],
    ["身份证11010519491231002X", `身份证${SCRUBBED}`],
    ["座机0571-87654321", `座机${SCRUBBED}`],
    ["邮箱 zhang.san@example.com", `邮箱 ${SCRUBBED}`],
  ])("removes contact numbers from %s", (text, expected) => {
    expect(scrubContacts(text)).toBe(expected);
  });

  it("keeps what routing and inspectors need: amounts, dates, document numbers", () => {
    const text = "2026年3月收取好处费5000元，批文编号2026-118号，拖了45天";
    expect(scrubContacts(text)).toBe(text);
  });

  it("never leaves an 11-digit mobile number in any text (property)", () => {
    const mobile = fc.tuple(fc.constantFrom("13", "15", "18", "19"), fc.stringMatching(/^\d{9}$/)).map(([a, b]) => a + b);
    fc.assert(
      fc.property(fc.string(), mobile, fc.string(), (before, phone, after) => {
        const scrubbed = scrubContacts(`${before.replace(/\d/g, "")}${phone}${after.replace(/\d/g, "")}`);
        expect(scrubbed).not.toContain(phone);
      }),
    );
  });
});
