import { bearerFor, createMemoryEvidenceStore, mediaSamples } from "@clueline/edge/testing";
import { sha256Hex } from "@clueline/evidence";
import { describe, expect, it } from "vitest";
import { buildHotline } from "./test-support.js";

const writer = await bearerFor(["complaint:write"]);
const audio = mediaSamples.mp3WithId3;

function upload(app: ReturnType<typeof buildHotline>["app"], body: Uint8Array, headers: Record<string, string>) {
  return app.request("/v1/recordings", { method: "POST", body, headers: { authorization: writer, ...headers } });
}

describe("POST /v1/recordings", () => {
  it("stores audio and answers with its evidence id and SHA-256", async () => {
    const evidence = createMemoryEvidenceStore();
    const { app } = buildHotline({ evidence });
    const response = await upload(app, audio, { "content-type": "audio/mpeg", "x-clueline-sha256": sha256Hex(audio) });
    expect(response.status).toBe(201);
    const stored = (await response.json()) as { evidenceId: string; sha256: string; size: number };
    expect(stored).toMatchObject({ sha256: sha256Hex(audio), size: audio.byteLength, contentType: "audio/mpeg" });
    expect(evidence.objects.get(stored.evidenceId)?.body).toEqual(audio);
  });

  it("refuses a wrong checksum (422), other content types (415), empty (400) and oversized (413) uploads", async () => {
    const evidence = createMemoryEvidenceStore();
    const { app } = buildHotline({ evidence, recordingMaxBytes: 1024 });
    expect((await upload(app, audio, { "content-type": "audio/mpeg", "x-clueline-sha256": "0".repeat(64) })).status).toBe(422);
    expect((await upload(app, audio, { "content-type": "application/pdf" })).status).toBe(415);
    expect((await upload(app, new Uint8Array(), { "content-type": "audio/wav" })).status).toBe(400);
    expect((await upload(app, new Uint8Array(2048), { "content-type": "audio/wav" })).status).toBe(413);
    expect(evidence.objects.size).toBe(0);
  });

  it("needs complaint:write, and replays an upload under the same Idempotency-Key", async () => {
    const evidence = createMemoryEvidenceStore();
    const { app } = buildHotline({ evidence });
    const reader = await bearerFor(["downstream:read"]);
    const denied = await app.request("/v1/recordings", {
      method: "POST",
      body: audio,
      headers: { authorization: reader, "content-type": "audio/mpeg" },
    });
    expect(denied.status).toBe(403);
    const headers = { "content-type": "audio/mpeg", "idempotency-key": "rec-1" };
    const first = await (await upload(app, audio, headers)).json();
    expect(await (await upload(app, audio, headers)).json()).toEqual(first);
    expect((await upload(app, mediaSamples.mp3FrameSync, headers)).status).toBe(409);
    expect(evidence.objects.size).toBe(1);
  });

  it("stores every recording format under the type its bytes show, whatever alias the caller used", async () => {
    const evidence = createMemoryEvidenceStore();
    const { app } = buildHotline({ evidence });
    const cases = [
      [mediaSamples.mp3FrameSync, "audio/mpeg", "audio/mpeg"],
      [mediaSamples.wav, "audio/x-wav", "audio/wav"],
      [mediaSamples.amr, "audio/amr", "audio/amr"],
      [mediaSamples.oggVorbis, "audio/ogg", "audio/ogg"],
      [mediaSamples.m4a, "audio/mp4", "audio/mp4"],
      [mediaSamples.mp4Generic, "audio/mp4", "audio/mp4"],
      [mediaSamples.aacAdts, "audio/aac", "audio/aac"],
    ] as const;
    for (const [body, declared, detected] of cases) {
      const response = await upload(app, body, { "content-type": declared });
      expect(response.status, declared).toBe(201);
      const { evidenceId, contentType } = (await response.json()) as { evidenceId: string; contentType: string };
      expect(contentType).toBe(detected);
      expect(evidence.objects.get(evidenceId)?.contentType).toBe(detected);
    }
  });

  it("refuses with 415 bytes that are not what the Content-Type says, naming both types, and stores nothing", async () => {
    const evidence = createMemoryEvidenceStore();
    const { app } = buildHotline({ evidence });
    const exe = await upload(app, mediaSamples.exe, { "content-type": "audio/mpeg" });
    expect(exe.status).toBe(415);
    const problem = (await exe.json()) as { type: string; detail: string };
    expect(problem.type).toContain("media-type-mismatch");
    expect(problem.detail).toContain("audio/mpeg");
    expect(problem.detail).toContain("application/x-msdownload");
    const text = await upload(app, mediaSamples.text, { "content-type": "audio/wav" });
    expect(text.status).toBe(415);
    expect(await text.text()).not.toContain("城关镇");
    expect((await upload(app, mediaSamples.wav, { "content-type": "audio/mpeg" })).status).toBe(415);
    expect(evidence.objects.size).toBe(0);
  });
});
