import { describe, expect, it } from "vitest";
import { CONTACT_MARKER as C, createScrubber, REPORTER_MARKER as R } from "./scrubber.js";

const contactsOnly = createScrubber();

describe("createScrubber: contacts however written", () => {
  it.each([
    ["我电话13800138000，请回电", `我电话${C}，请回电`],
    ["手机 +86 138-0013-8000", `手机 ${C}`],
    ["手机0086 13800138000", `手机${C}`],
    ["手机86-138.0013.8000", `手机${C}`],
    ["电话１３８００１３８０００", `电话${C}`],
    ["电话幺三八零零幺三八零零零", `电话${C}`],
    ["电话一三八 〇〇一三 八〇〇〇", `电话${C}`],
    ["电话1 3 8/0_0,1 3（8）0-0.0", `电话${C}`],
    ["电话１３８－００１３－８０００。", `电话${C}。`],
    ["座机0571-87654321", `座机${C}`],
    ["座机(0571)8765-4321转808", `座机${C}`],
    ["座机（010）12345678，白天打", `座机${C}，白天打`],
    ["座机 021 6666 8888 ext.12", `座机 ${C}`],
    ["身份证11010519491231002X", `身份证${C}`],
    ["身份证号ABC110101199003074512", `身份证号ABC${C}`],
    ["身份证110105 1949 1231 002x号", `身份证${C}号`],
    ["老身份证110105491231002", `老身份证${C}`],
    ["邮箱 zhang.san@example.com", `邮箱 ${C}`],
    ["邮箱ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ联系", `邮箱${C}联系`],
    ["QQ：12345678", `QQ：${C}`],
    ["扣扣号 幺二三四五六七", `扣扣号 ${C}`],
    ["企鹅987654321找我", `企鹅${C}找我`],
    ["微信：zhang_san88", `微信：${C}`],
    ["加VX zs-2026abc", `加VX ${C}`],
    ["v信号是 Wxid_abc123", `v信号是 ${C}`],
    ["weixin:13800138000", `weixin:${C}`],
    ["拨打12345 13912345678", `拨打12345 ${C}`],
  ])("scrubs %s", (text, expected) => {
    expect(contactsOnly(text)).toBe(expected);
  });

  it.each([
    "2026年11月20日收取好处费3000元，批文编号2026-118号，拖了45天",
    "2026.05.01-2026.06.30期间多次往返，共计12次",
    "2026/11/20 09:30-11:00 在3号窗口",
    "已拨打12345和12388，无人处理",
    "区发〔2026〕12号文件第3条",
    "涉及金额1,300,000元，约130万",
    "工单号20261120-0001，共计3人",
    "统一社会信用代码91110108MA01ABCD2X的公司",
    "两个窗口，一二三楼都跑过",
    "微信群里说的，QQ群也有人说",
  ])("leaves ordinary numbers and words alone: %s", (text) => {
    expect(contactsOnly(text)).toBe(text);
  });
});

describe("createScrubber: the reporter's own identity", () => {
  const scrub = createScrubber({ name: "张三", phone: "0571-87654321", idNumber: "e12345678" });

  it.each([
    ["我是张三，家住城关镇", `我是${R}，家住城关镇`],
    ["我叫张 三", `我叫${R}`],
    ["举报人 张　三 反映", `举报人 ${R} 反映`],
    ["回电 +86 0571 8765 4321", `回电 ${C}`],
    ["回电87654321", "回电87654321"],
    ["护照E12345678", `护照${C}`],
    ["护照 e-1234-5678", `护照 ${C}`],
  ])("scrubs %s", (text, expected) => {
    expect(scrub(text)).toBe(expected);
  });

  it("finds a phone that is not a mobile, only as the reporter's own", () => {
    const text = "白天打8765 4321";
    expect(createScrubber({ name: "李四", phone: "87654321" })(text)).toBe(`白天打${C}`);
    expect(contactsOnly(text)).toBe(text);
  });

  it("does not look for a one-character name", () => {
    expect(createScrubber({ name: "李", phone: "13800138000" })("李局长")).toBe("李局长");
  });
});
