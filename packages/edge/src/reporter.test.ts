import { randomBytes } from "node:crypto";
import { WireReporter } from "@clueline/contracts";
import { createIdentitySealer, hashReceiptCode } from "@clueline/identity";
import { describe, expect, it } from "vitest";
import { ReporterInput, sealReporter } from "./reporter.js";

const sealer = createIdentitySealer({ keys: { k1: randomBytes(32) }, activeKeyId: "k1", hashKey: randomBytes(32) });
const code = () => "ABCD-EFGH-JKMN-PQRS-TVWX";

describe("reporter sealing", () => {
  it("seals a real-name reporter: merge hash + ciphertext, no plaintext, no receipt code", () => {
    const reporter = ReporterInput.parse({ kind: "real-name", name: "张三", phone: "+86 138-0013-8000" });
    const sealed = sealReporter({ reporter, sealer, complaintId: "c-1", receiptCode: code });
    expect(WireReporter.parse(sealed.wire)).toEqual(sealed.wire);
    expect(sealed.receiptCode).toBeUndefined();
    expect(JSON.stringify(sealed)).not.toMatch(/张三|138/);
    if (sealed.wire.kind !== "real-name") throw new Error("expected real-name");
    expect(sealed.wire.hash).toBe(sealer.mergeHash({ name: "x", phone: "13800138000" }));
    expect(sealer.open(sealed.wire.identity, { complaintId: "c-1" })).toMatchObject({ name: "张三" });
  });

  it("gives an anonymous reporter a receipt code and puts only its hash on the wire", () => {
    const sealed = sealReporter({ reporter: { kind: "anonymous" }, sealer, complaintId: "c-1", receiptCode: code });
    expect(sealed.receiptCode).toBe(code());
    expect(sealed.wire).toEqual({ kind: "anonymous", receiptHash: hashReceiptCode(code()) });
  });

  it("refuses a real-name reporter without contact, and bad contacts without echoing them", () => {
    const noContact = ReporterInput.safeParse({ kind: "real-name", name: "李四" });
    expect(noContact.error?.issues.map((issue) => issue.path.join("."))).toEqual(["phone"]);
    const badPhone = ReporterInput.safeParse({ kind: "real-name", name: "李四", phone: "call me at 1390000" });
    const badId = ReporterInput.safeParse({ kind: "real-name", name: "李四", idNumber: "110105/1949" });
    const messages = JSON.stringify([badPhone.error?.issues, badId.error?.issues]);
    expect(messages).not.toContain("1390000");
    expect(messages).not.toContain("110105");
    expect(messages).not.toContain("李四");
  });
});
