import { describe, expect, it } from "vitest";
import { mediaSamples } from "./media-samples.js";
import { canonicalMediaType, detectMediaType, judgeMediaType } from "./media-type.js";

describe("detectMediaType", () => {
  it.each([
    ["mp3WithId3", "audio/mpeg"],
    ["mp3FrameSync", "audio/mpeg"],
    ["wav", "audio/wav"],
    ["amr", "audio/amr"],
    ["oggVorbis", "audio/ogg"],
    ["oggOpus", "audio/ogg"],
    ["m4a", "audio/mp4"],
    ["mp4Generic", "video/mp4"],
    ["aacAdts", "audio/aac"],
    ["jpeg", "image/jpeg"],
    ["png", "image/png"],
    ["webp", "image/webp"],
    ["heic", "image/heic"],
    ["pdf", "application/pdf"],
    ["exe", "application/x-msdownload"],
  ] as const)("reads %s as %s from its first bytes", async (sample, type) => {
    expect(await detectMediaType(mediaSamples[sample])).toBe(type);
  });

  it("finds no type in HTML or plain text", async () => {
    expect(await detectMediaType(mediaSamples.html)).toBeUndefined();
    expect(await detectMediaType(mediaSamples.text)).toBeUndefined();
  });
});

describe("canonicalMediaType", () => {
  it("drops parameters and case and resolves aliases", () => {
    expect(canonicalMediaType("Audio/X-WAV; rate=8000")).toBe("audio/wav");
    expect(canonicalMediaType("audio/m4a")).toBe("audio/mp4");
    expect(canonicalMediaType("image/jpg")).toBe("image/jpeg");
    expect(canonicalMediaType("audio/ogg; codecs=opus")).toBe("audio/ogg");
    expect(canonicalMediaType("")).toBe("");
  });
});

describe("judgeMediaType", () => {
  const recordings = ["audio/mpeg", "audio/wav", "audio/x-wav", "audio/amr", "audio/ogg", "audio/mp4", "audio/aac"];
  const attachments = ["image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"];

  it("accepts each allowed type declared as its bytes are, recording the detected name", async () => {
    const cases = [
      [mediaSamples.mp3WithId3, "audio/mpeg", "audio/mpeg", recordings],
      [mediaSamples.wav, "audio/x-wav", "audio/wav", recordings],
      [mediaSamples.amr, "audio/amr", "audio/amr", recordings],
      [mediaSamples.oggOpus, "audio/ogg", "audio/ogg", recordings],
      [mediaSamples.m4a, "audio/m4a", "audio/mp4", recordings],
      [mediaSamples.aacAdts, "audio/aac", "audio/aac", recordings],
      [mediaSamples.jpeg, "image/jpg", "image/jpeg", attachments],
      [mediaSamples.png, "image/png", "image/png", attachments],
      [mediaSamples.webp, "image/webp", "image/webp", attachments],
      [mediaSamples.heic, "image/heic", "image/heic", attachments],
      [mediaSamples.pdf, "application/pdf", "application/pdf", attachments],
    ] as const;
    for (const [body, declared, mediaType, allowed] of cases) {
      expect(await judgeMediaType({ body, declared, allowed }), declared).toEqual({ accepted: true, mediaType });
    }
  });

  it("believes a declared audio/mp4 for a generic-brand MP4, whose first bytes cannot tell audio from video", async () => {
    const judged = await judgeMediaType({ body: mediaSamples.mp4Generic, declared: "audio/mp4", allowed: recordings });
    expect(judged).toEqual({ accepted: true, mediaType: "audio/mp4" });
    const asImage = await judgeMediaType({ body: mediaSamples.mp4Generic, declared: "image/heic", allowed: attachments });
    expect(asImage.accepted).toBe(false);
  });

  it("refuses bytes that are not what the caller declared, naming both types", async () => {
    expect(await judgeMediaType({ body: mediaSamples.html, declared: "image/png", allowed: attachments })).toEqual({
      accepted: false,
      declared: "image/png",
      detected: undefined,
    });
    expect(await judgeMediaType({ body: mediaSamples.exe, declared: "audio/mpeg", allowed: recordings })).toEqual({
      accepted: false,
      declared: "audio/mpeg",
      detected: "application/x-msdownload",
    });
    expect((await judgeMediaType({ body: mediaSamples.text, declared: "application/pdf", allowed: attachments })).accepted).toBe(
      false,
    );
    // Both allowed, but not the same: a PNG is not stored as a JPEG.
    expect(await judgeMediaType({ body: mediaSamples.png, declared: "image/jpeg", allowed: attachments })).toEqual({
      accepted: false,
      declared: "image/jpeg",
      detected: "image/png",
    });
  });

  it("refuses a type the endpoint does not allow even when the bytes agree", async () => {
    const judged = await judgeMediaType({ body: mediaSamples.pdf, declared: "application/pdf", allowed: recordings });
    expect(judged).toEqual({ accepted: false, declared: "application/pdf", detected: "application/pdf" });
  });
});
