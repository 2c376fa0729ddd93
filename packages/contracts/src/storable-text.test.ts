import { describe, expect, it } from "vitest";
import { StorableText } from "./storable-text.js";

const Field = StorableText.trim().min(1).max(20);

describe("StorableText", () => {
  it.each([
    ["NUL", "a\u0000b"],
    ["a lone high surrogate", "a\ud800b"],
    ["a lone low surrogate", "\udc00"],
    ["BEL", "a\u0007"],
    ["a C1 control", "a\u009fb"],
    ["DEL", "a\u007f"],
    ["a carriage return on its own", "a\rb"],
    ["vertical tab", "a\u000bb"],
  ])("refuses %s, without echoing the value", (_, value) => {
    const result = Field.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.message).toBe(
      "must be well-formed Unicode without control characters (tab and newline allowed)",
    );
    expect(JSON.stringify(result.error?.issues)).not.toContain(JSON.stringify(value).slice(1, -1));
  });

  it.each([
    ["tab and newline", "第一行\n\t第二行"],
    ["an emoji (a surrogate pair)", "很好😀"],
    ["CJK and full-width text", "反映ＡＢＣ１２３"],
  ])("accepts %s", (_, value) => {
    expect(Field.parse(value)).toBe(value);
  });

  it("turns CRLF into LF before checking, and still trims and measures", () => {
    expect(Field.parse(" 第一行\r\n第二行 ")).toBe("第一行\n第二行");
    expect(Field.safeParse("  ").success).toBe(false);
  });
});
