import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchingTextOf } from "./matching-text.js";
import { createScrubber } from "./scrubber.js";

/**
 * One digit as a reporter might write it: ASCII, full-width, a Chinese numeral (幺 and 两 included), formal (壹贰叁),
 * traditional (兩貳參陸) or spoken (洞 for 0, 拐 for 7; never a number's first digit, which keeps each run of them
 * next to a digit written otherwise, as it is when read out).
 */
const NUMERALS = ["零〇洞", "一幺壹", "二两兩贰貳", "三叁叄參", "四肆", "五伍", "六陆陸", "七拐柒", "八捌", "九玖"];
const SPOKEN = /[洞拐]/;
const digitAs = (digit: string, first: boolean) =>
  fc.constantFrom(
    digit,
    String.fromCharCode(0xff10 + Number(digit)),
    ...[...(NUMERALS[Number(digit)] as string)].filter((numeral) => !(first && SPOKEN.test(numeral))),
  );
/** Punctuation, symbols and spaces of every kind; up to three of them between two digits. */
const SEPARATORS = [
  " ",
  ".",
  "-",
  "/",
  ",",
  "(",
  ")",
  "_",
  "\u3000",
  "－",
  "．",
  "（",
  "）",
  "—",
  "·",
  "：",
  "。",
  "*",
  "|",
  "+",
  "、",
  "~",
  "#",
];
const separator = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.array(fc.constantFrom(...SEPARATORS), { minLength: 1, maxLength: 3 }).map((chars) => chars.join("")),
  },
  // One line break, a spaced double dash, invisible format characters (zero-width space, word joiner, BOM, soft hyphen).
  { weight: 1, arbitrary: fc.constantFrom("\n", " \n", " - - ", "\u200b", "\u2060", "\ufeff", "\u00ad", "-\u200b") },
);

/** Renders a digit string with a random writing for each digit and random separators between some of them. */
function written(digits: string): fc.Arbitrary<string> {
  return fc
    .tuple(...[...digits].map((digit, i) => fc.tuple(digitAs(digit, i === 0), fc.option(separator, { freq: 3, nil: "" }))))
    .map((parts) => parts.map(([digit, gap], index) => (index === parts.length - 1 ? digit : digit + gap)).join(""));
}
const digitString = (length: number) => fc.stringMatching(new RegExp(`^[0-9]{${length}}$`));
const pad = (value: number) => String(value).padStart(2, "0");
const birthDate = fc.tuple(
  fc.integer({ min: 1930, max: 2010 }),
  fc.integer({ min: 1, max: 12 }),
  fc.integer({ min: 1, max: 28 }),
);
/** Provinces' codes (11 Beijing … 65 Xinjiang) and four more digits: the area part of an ID number. */
const PROVINCES = "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65".split(" ");
const area = fc.tuple(fc.constantFrom(...PROVINCES), digitString(4)).map(([province, rest]) => province + rest);

/** Each contact form: the digits that must not survive, and how it appears in the text. */
const mobile = fc
  .tuple(fc.constantFrom("13", "15", "17", "18", "19"), digitString(9), fc.constantFrom("", "+86", "0086", "86", "+86 ", "(+86)"))
  .chain(([head, tail, prefix]) => written(head + tail).map((text) => ({ digits: head + tail, text: prefix + text })));
/** A landline with its area code: trunk 0 and no country code, or a country code and the area code without its 0. */
const landline = fc
  .tuple(
    fc.constantFrom("010", "021", "0571", "0351", "0898"),
    fc.integer({ min: 2, max: 9 }),
    digitString(6),
    fc.constantFrom("", "", "+86", "+86 ", "0086 ", "86-", "(+86)", "+86 ("),
  )
  .chain(([code, first, rest, country]) => {
    const digits = `${country ? code.slice(1) : code}${first}${code.length === 3 ? `${rest}0` : rest}`;
    return written(digits).map((text) => ({ digits, text: country + text }));
  });
const id18 = fc
  .tuple(area, birthDate, digitString(3), fc.constantFrom("0", "7", "X", "x"))
  .chain(([a, [y, m, d], seq, check]) => {
    const digits = `${a}${y}${pad(m)}${pad(d)}${seq}`;
    return written(digits).map((text) => ({ digits, text: text + check }));
  });
const id15 = fc.tuple(area, birthDate, digitString(3)).chain(([a, [y, m, d], seq]) => {
  const digits = `${a}${String(y).slice(2)}${pad(m)}${pad(d)}${seq}`;
  return written(digits).map((text) => ({ digits, text }));
});
const qq = fc
  .tuple(
    fc.constantFrom("QQ", "qq", "ＱＱ", "扣扣", "企鹅", "QQ号：", "qq ", "QQ 号 ", "qq（", "QQ-", "QQ号是："),
    fc.integer({ min: 10_000, max: 99_999_999_999 }),
  )
  .chain(([keyword, number]) => written(String(number)).map((text) => ({ digits: String(number), text: keyword + text })));
const contact = fc.oneof(mobile, landline, id18, id15, qq);

/** Ids written in letters: e-mail (any part full-width) and WeChat ids after each of their keywords. */
const fullWidthSome = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((wide) =>
      [...text]
        .map((char, i) => (wide[i] && char > " " && char <= "~" ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char))
        .join(""),
    );
const email = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9._]{0,15}$/),
    fc.stringMatching(/^[a-z0-9]{1,10}$/),
    fc.constantFrom("com", "cn", "com.cn"),
  )
  .chain(([local, domain, tld]) => {
    const id = `${local}@${domain}.${tld}`;
    const spelt = fc.tuple(fullWidthSome(id), fc.constantFrom("@", " @ ", "＠", "﹫"), fc.constantFrom(".", "。", "．"));
    return spelt.map(([text, at, dot]) => ({ id, text: text.replace(/[@＠]/, at).replace(/[.．](?=[^@＠]*$)/g, dot) }));
  });
const wechat = fc
  .tuple(
    fc.constantFrom(
      ...["微信", "微信号：", "wx:", "WX ", "weixin", "VX", "v信", "V信号是"],
      ...["微信 号 ", "微信（", "WeChat ID: ", "加我V：", "wechat:", "v "],
    ),
    fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{5,19}$/),
  )
  .chain(([keyword, id]) => fullWidthSome(id).map((text) => ({ id, text: keyword + text })));
/** WeChat's default ids, with or without a keyword: taken whole, "wx" included. */
const wxid = fc
  .tuple(fc.constantFrom("", "微信", "加 "), fc.stringMatching(/^[a-z0-9]{10,16}$/))
  .map(([keyword, rest]) => ({ id: `wxid_${rest}`, text: `${keyword}wxid_${rest}` }));

/**
 * Text with no contact in it: CJK without numerals, ASCII letters without q, v and w (which would spell the QQ and
 * WeChat keywords, after which any letters make an id), punctuation, and short numbers with their units.
 */
const word = fc.oneof(
  fc.constantFrom("反映", "城关镇", "工作人员", "办事", "吃拿卡要", "请回电", "我的", "窗口", "审批", "好处费", "拖了很久"),
  fc.stringMatching(/^[A-PR-UX-Za-pr-ux-z]{1,6}$/),
  fc.constantFrom("，", "。", "：", "、", " ", "\n"),
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.constantFrom("元", "年", "月", "日", "人", "次", "号", "天"))
    .map(([n, unit]) => `${n}${unit}`),
);
const plain = fc.array(word, { maxLength: 12 }).map((words) => words.join(""));
const digitsOf = (text: string) => matchingTextOf(text).text.replace(/\D/g, "");

describe("createScrubber (property)", () => {
  it("leaves no contact's digits in the text, however it is written and wherever it stands", () => {
    const scrub = createScrubber();
    fc.assert(
      fc.property(plain.map(digitsFree), contact, plain.map(digitsFree), (before, { digits, text }, after) => {
        const scrubbed = scrub(`${before}${text}${after}`);
        expect(digitsOf(scrubbed)).not.toContain(digits);
      }),
      { numRuns: 2_000 },
    );
  });

  it("leaves no e-mail address or WeChat id in the text", () => {
    const scrub = createScrubber();
    const cjk = plain.map((text) => text.replace(/[\x21-\x7e]/g, ""));
    fc.assert(
      fc.property(cjk, fc.oneof(email, wechat, wxid), cjk, (before, { id, text }, after) => {
        const scrubbed = matchingTextOf(scrub(`${before}${text}${after}`)).text.toLowerCase();
        expect(scrubbed).not.toContain(id.toLowerCase());
      }),
      { numRuns: 1_000 },
    );
  });

  it("leaves none of the reporter's own phone or ID number, though neither looks like a contact", () => {
    const ownPhone = fc.tuple(fc.integer({ min: 2, max: 9 }), digitString(6)).map(([first, rest]) => `${first}${rest}`);
    const ownId = fc.stringMatching(/^[A-Z][0-9]{6,9}$/);
    fc.assert(
      fc.property(plain.map(digitsFree), ownPhone, ownId, fc.boolean(), (around, phone, idNumber, lower) => {
        const scrub = createScrubber({ name: "赵钱孙", phone, idNumber });
        const idText = lower ? idNumber.toLowerCase() : idNumber;
        const scrubbed = scrub(`${around}${[...phone].join(" ")}，证件${idText.slice(0, 3)}-${idText.slice(3)}${around}`);
        expect(digitsOf(scrubbed)).not.toContain(phone);
        expect(digitsOf(scrubbed)).not.toContain(idNumber.slice(1));
      }),
    );
  });

  it("leaves none of the reporter's own landline, given with its area code and written with or without it", () => {
    const area = fc.constantFrom("10", "21", "571", "351", "898");
    const given = fc.constantFrom("0{area}-{local}", "+86 {area} {local}", "(0{area}){local}", "0086{area}{local}");
    const text = fc.constantFrom("{local}", "0{area}{local}", "+86 {area} {local}", "86-{area}-{local}", "({area}) {local}");
    fc.assert(
      fc.property(
        fc.tuple(area, fc.integer({ min: 2, max: 9 }), digitString(6)),
        given,
        text,
        plain.map(digitsFree),
        ([code, first, rest], phone, form, around) => {
          const local = `${first}${code.length === 2 ? `${rest}0` : rest}`;
          const fill = (template: string) => template.replace("{area}", code).replace("{local}", local);
          const scrub = createScrubber({ name: "赵钱孙", phone: fill(phone) });
          const scrubbed = scrub(`${around}电话${fill(form).replace(/(\d{4})(?=\d{4}$)/, "$1 ")}${around}`);
          expect(digitsOf(scrubbed)).not.toContain(local);
        },
      ),
    );
  });

  it("leaves the reporter's name nowhere, written whole or with gaps between its characters", () => {
    const nameChar = fc.constantFrom(..."张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英");
    const name = fc.array(nameChar, { minLength: 2, maxLength: 4 }).map((chars) => chars.join(""));
    const gap = fc.constantFrom("", " ", "\u3000", "  ", "·", ".", "-", "・", "\u200b", " · ");
    fc.assert(
      fc.property(plain, name, gap, fc.boolean(), plain, (before, reporterName, between, dotted, after) => {
        // The identity itself may carry a middle dot, as transliterated names do (阿卜杜·热合曼).
        const given = dotted ? `${reporterName.slice(0, 1)}·${reporterName.slice(1)}` : reporterName;
        const scrub = createScrubber({ name: given, phone: "13800138000" });
        const scrubbed = scrub(`${before}${[...reporterName].join(between)}${after}`);
        expect(matchingTextOf(scrubbed).text.replace(/[\s.-]/g, "")).not.toContain(reporterName);
      }),
    );
  });

  it("changes nothing in a text without contacts", () => {
    const scrub = createScrubber({ name: "赵钱孙", phone: "13800138000", idNumber: "110105194912310021" });
    fc.assert(
      fc.property(plain, (text) => {
        expect(scrub(text)).toBe(text);
      }),
      { numRuns: 2_000 },
    );
  });
});

/** Around a contact, no digits: digits glued to it would make another, longer number. */
function digitsFree(text: string): string {
  return text.replace(/[0-9]/g, "");
}
