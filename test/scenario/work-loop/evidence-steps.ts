import type { Scope } from "@clueline/kit";
import type { FileName } from "./scenario.js";
import { type StepKind, sha256 } from "./step-context.js";

/** Evidence: the reporter's listed and downloaded (SHA-256 checked, audited), a unit's own added. */
export const evidenceSteps: Record<string, StepKind> = {
  "list-evidence": async (ctx, step) => {
    const expect = step.expect ?? {};
    const clueId = ctx.clues[step.clue].clueId;
    const unitId = ctx.unitOf(step);
    const list = await ctx.json<{ items: { source: string; sha256: string }[] }>(
      step.label,
      ctx.deps.call({ service: "closure", path: `/v1/clues/${clueId}/evidence`, scopes: [`unit:${unitId}`] }),
      200,
    );
    const count = (source: string) => list.items.filter((item) => item.source === source).length;
    ctx.check(step.label, "the evidence listed", { reporter: count("reporter"), unit: count("unit") }, expect);
    ctx.deps.log(
      `  ${unitId} lists evidence: ${count("reporter")} from the reporter, ${count("unit")} from units  (${step.label})`,
    );
  },
  "download-evidence": async (ctx, step) => {
    const expect = step.expect ?? {};
    const clueId = ctx.clues[step.clue].clueId;
    const unitId = ctx.unitOf(step);
    const file = ctx.files[step.file as FileName];
    const evidenceId = ctx.state.evidence.get(step.file as FileName);
    const reason = typeof step.reason === "string" ? `?reason=${encodeURIComponent(step.reason)}` : "";
    const scopes: Scope[] = step.piiRead ? [`unit:${unitId}`, "pii:read"] : [`unit:${unitId}`];
    const got = await ctx.deps.call({ service: "closure", path: `/v1/clues/${clueId}/evidence/${evidenceId}${reason}`, scopes });
    ctx.check(step.label, "the download's HTTP status", got.status, expect.status);
    if (got.status === 200) {
      ctx.check(step.label, "the downloaded bytes' SHA-256", sha256(got.bytes), sha256(file.bytes));
      // RFC 9530: the digest the closure checked the bytes against before sending them.
      const digest = `sha-256=:${Buffer.from(sha256(file.bytes), "hex").toString("base64")}:`;
      ctx.check(step.label, "the Repr-Digest header", got.headers.get("repr-digest"), digest);
    }
    ctx.deps.log(
      `  ${unitId}${step.piiRead ? " (pii:read)" : ""} downloads ${step.file}: HTTP ${got.status}${got.status === 200 ? `, ${got.bytes.byteLength} bytes, SHA-256 ${sha256(got.bytes).slice(0, 12)}… as recorded` : ""}  (${step.label})`,
    );
  },
  "add-evidence": async (ctx, step) => {
    const expect = step.expect ?? {};
    const clueId = ctx.clues[step.clue].clueId;
    const unitId = ctx.unitOf(step);
    const file = ctx.files[step.file as FileName];
    const added = await ctx.json<{ evidenceId: string; sha256: string; source: string }>(
      step.label,
      ctx.deps.call({
        service: "closure",
        path: `/v1/clues/${clueId}/evidence`,
        scopes: [`unit:${unitId}`],
        bytes: file.bytes,
        headers: { "content-type": file.contentType, "x-clueline-sha256": sha256(file.bytes) },
      }),
      expect.status as number,
    );
    ctx.check(step.label, "the stored SHA-256", [added.source, added.sha256], ["unit", sha256(file.bytes)]);
    ctx.state.evidence.set(step.file as FileName, added.evidenceId);
    ctx.deps.log(`  ${unitId} adds ${step.file} (${file.contentType}) → evidence ${added.evidenceId}  (${step.label})`);
  },
};
