/**
 * The first bytes of real files of each type the edges accept, and of some they must refuse, padded to a few
 * hundred bytes: for tests of type detection and of uploads. Each header is laid out as its format specifies.
 */
type Part = string | readonly number[] | Uint8Array;

function bytes(...parts: Part[]): Uint8Array {
  const joined = Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "latin1") : Buffer.from(part))));
  return new Uint8Array(joined); // a plain Uint8Array, as a request body arrives, not a Buffer
}

const padding = (length: number, fill = 0x55) => new Uint8Array(length).fill(fill);

/** An ISO-BMFF `ftyp` box: size, "ftyp", major brand, minor version, compatible brands. */
function ftyp(major: string, compatible: string[]): Uint8Array {
  const size = 16 + 4 * compatible.length;
  return bytes([0, 0, 0, size], "ftyp", major, [0, 0, 2, 0], ...compatible);
}

/** An MPEG-1 Layer III frame header: sync, 128 kbit/s, 44.1 kHz, joint stereo. */
const MP3_FRAME = [0xff, 0xfb, 0x90, 0x64];

export const mediaSamples = {
  /** An ID3v2.4 tag of 10 bytes (size is syncsafe), then the first MPEG audio frame. */
  mp3WithId3: bytes("ID3", [4, 0, 0, 0, 0, 0, 10], padding(10, 0), MP3_FRAME, padding(400)),
  mp3FrameSync: bytes(MP3_FRAME, padding(400)),
  /** RIFF/WAVE with a PCM `fmt ` chunk: mono, 8 kHz, 16 bit, as telephony recorders write. */
  wav: bytes(
    "RIFF",
    [0x24, 0x10, 0, 0],
    "WAVE",
    "fmt ",
    [16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0],
    "data",
    [0, 0x10, 0, 0],
    padding(400),
  ),
  /** AMR narrow-band (RFC 4867 storage format), then a 12.2 kbit/s frame header. */
  amr: bytes("#!AMR\n", [0x3c], padding(400)),
  /** An Ogg page (capture pattern, version 0, BOS flag) carrying a Vorbis identification header. */
  oggVorbis: bytes("OggS", [0, 2], padding(8, 0), [1, 0, 0, 0], padding(8, 0), [1, 30], [1], "vorbis", padding(400)),
  oggOpus: bytes("OggS", [0, 2], padding(8, 0), [1, 0, 0, 0], padding(8, 0), [1, 19], "OpusHead", [1, 1], padding(400)),
  /** MP4 audio as iTunes and most recorders write it: major brand `M4A `. */
  m4a: bytes(ftyp("M4A ", ["M4A ", "mp42", "isom"]), padding(400)),
  /** MP4 with a generic brand, as ffmpeg and Android's MediaRecorder write audio-only files too. */
  mp4Generic: bytes(ftyp("isom", ["isom", "iso2", "mp41"]), padding(400)),
  /** An ADTS frame header: sync, MPEG-4, no CRC, AAC LC, 44.1 kHz, stereo. */
  aacAdts: bytes([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc], padding(400)),
  jpeg: bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], "JFIF\0", [1, 1, 0, 0, 1, 0, 1, 0, 0], padding(400)),
  png: bytes(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13],
    "IHDR",
    [0, 0, 1, 0, 0, 0, 1, 0, 8, 2, 0, 0, 0],
    padding(400),
  ),
  webp: bytes("RIFF", [0xa0, 0x01, 0, 0], "WEBP", "VP8 ", [0x94, 0x01, 0, 0], padding(400)),
  /** HEIC as an iPhone writes it: major brand `heic`. */
  heic: bytes(ftyp("heic", ["mif1", "heic"]), padding(400)),
  pdf: bytes("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", padding(400, 0x20)),
  /** What must never be stored as evidence of another type. */
  html: bytes("<!DOCTYPE html><html><body><script>document.cookie</script></body></html>"),
  text: bytes("举报：城关镇审批窗口迟迟不批。plain text, no file format at all"),
  /** A PE executable: the DOS header's `MZ`, `e_lfanew` at 0x3c pointing at the `PE\0\0` signature. */
  exe: bytes("MZ", [0x90, 0], padding(56, 0), [0x40, 0, 0, 0], "PE\0\0", [0x4c, 0x01], padding(400, 0)),
} as const;
