import { fileTypeFromBuffer } from "file-type";

/**
 * Names senders and libraries use for one type, mapped to the one clueline records (the IANA-registered name):
 * `file-type` itself reports M4A as `audio/x-m4a` and Ogg Opus as `audio/ogg; codecs=opus`.
 */
const ALIASES: Readonly<Record<string, string>> = {
  "audio/x-wav": "audio/wav",
  "audio/wave": "audio/wav",
  "audio/vnd.wave": "audio/wav",
  "audio/x-m4a": "audio/mp4",
  "audio/m4a": "audio/mp4",
  "audio/mp3": "audio/mpeg",
  "audio/x-mp3": "audio/mpeg",
  "audio/mpeg3": "audio/mpeg",
  "audio/x-aac": "audio/aac",
  "audio/aacp": "audio/aac",
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "application/x-pdf": "application/pdf",
};

/**
 * Containers whose first bytes do not say what they hold: an MP4 with a generic brand (`isom`, `mp42`, as phone
 * recorders and ffmpeg write audio-only files) is reported as `video/mp4`, a HEIF with the `mif1` brand as
 * `image/heif`. A caller that declares the narrower type of the same container is believed; neither is a type a
 * browser runs as active content.
 */
const NARROWER: Readonly<Record<string, readonly string[]>> = {
  "video/mp4": ["audio/mp4"],
  "image/heif": ["image/heic"],
};

/** `Audio/X-WAV; rate=8000` → `audio/wav`: parameters dropped, lower case, aliases resolved. */
export function canonicalMediaType(value: string): string {
  const bare = (value.split(";")[0] ?? "").trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/** What the bytes are, from their signature (magic numbers); `undefined` for text and unknown formats. */
export async function detectMediaType(body: Uint8Array): Promise<string | undefined> {
  const found = await fileTypeFromBuffer(body);
  return found ? canonicalMediaType(found.mime) : undefined;
}

export type MediaTypeJudgement =
  | { accepted: true; mediaType: string }
  | { accepted: false; declared: string; detected: string | undefined };

/**
 * Judges an upload by its bytes (DESIGN §8): it is accepted only when the detected type is the declared one (or a
 * declared narrowing of it, see {@link NARROWER}) and that type is in `allowed`; the accepted `mediaType` is then
 * what the bytes are, never the caller's spelling of it. HTML sent as `image/png`, an EXE as `audio/mpeg` or plain
 * text as anything are refused.
 *
 * @example
 * await judgeMediaType({ body, declared: "audio/x-wav", allowed: ["audio/wav"] }); // { accepted: true, mediaType: "audio/wav" }
 */
export async function judgeMediaType(options: {
  body: Uint8Array;
  declared: string;
  allowed: readonly string[];
}): Promise<MediaTypeJudgement> {
  const declared = canonicalMediaType(options.declared);
  const allowed = new Set(options.allowed.map(canonicalMediaType));
  const detected = await detectMediaType(options.body);
  const matches = detected !== undefined && (detected === declared || NARROWER[detected]?.includes(declared) === true);
  if (matches && allowed.has(declared)) return { accepted: true, mediaType: declared };
  return { accepted: false, declared, detected };
}
