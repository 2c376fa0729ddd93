import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { Database } from "@clueline/db";
import { mediaSamples } from "@clueline/edge/testing";
import { createEvidenceStore, sha256Hex } from "@clueline/evidence";
import type { Scope } from "@clueline/kit";
import { createCapturingLogger, testInfra } from "@clueline/testing";
import { ulid } from "ulid";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventKey, routedFixture } from "../testing/fixtures.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";

const IDENTITY = { name: "钱多多", phone: "13711112222", idNumber: "110105199203034321" };
/** Small enough that a test can cross it; the service's default is the edges' 50 MB. */
const MAX_BYTES = 64 * 1024;

type Item = {
  evidenceId: string;
  source: string;
  kind: string;
  contentType: string | null;
  size: number | null;
  sha256: string;
  addedBy: Record<string, string>;
  addedAt: string;
  downloadable: boolean;
};

describe.each(testDatabaseEngines())("clue evidence on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let t: ReturnType<typeof createTestApp>;
  let lines: string[];
  let clueId: string;
  let recording: { evidenceId: string; sha256: string };

  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    const capturing = createCapturingLogger("closure");
    lines = capturing.lines;
    t = createTestApp(db, { logger: capturing.logger, evidenceMaxBytes: MAX_BYTES });
    await t.evidence.reporter.ensureBucket();
    // What the hotline edge stored and the complaint cited: a call recording, in the reporter's own voice.
    recording = await t.evidence.reporter.put({ body: mediaSamples.wav, contentType: "audio/wav" });
    const complaintId = `c-${ulid()}`;
    const routed = routedFixture({
      complaintId,
      // Led by the stationed team, assisted by a town committee, the commission and a department informed.
      discipline: { lead: "team-1", assist: ["town-a"], informed: ["dc", "dept-market"] },
      subjects: { departments: ["dept-market"], towns: ["a"] },
      reporter: { kind: "real-name", hash: "d".repeat(64), identity: t.sealer.seal(IDENTITY, { complaintId }) },
      evidence: [{ evidenceId: recording.evidenceId, sha256: recording.sha256 }],
    });
    await t.ledger.applyRouted({ key: eventKey(), routed });
    clueId = routed.decision.clueId;
  });
  afterEach(() => handle.drop());

  const path = (suffix = "") => `/v1/clues/${clueId}/evidence${suffix}`;
  const upload = (scopes: Scope[], bytes: Uint8Array, type: string, query = "") =>
    t.call(scopes, `${path()}${query}`, { method: "POST", bytes, headers: { "content-type": type } });
  const list = async (scopes: Scope[]) => {
    const response = await t.call(scopes, path());
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Item[] }).items;
  };
  const audits = async () =>
    (await db.query<{ payload: unknown }>("select payload from ledger_log where stream = 'audit' order by seq, part")).rows.map(
      (row) => (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>,
    );

  it("keeps a unit's material apart from the reporter's, lists both with their custody facts, serves the bytes", async () => {
    const added = await upload(["unit:team-1"], mediaSamples.pdf, "application/pdf");
    expect(added.status).toBe(201);
    const item = (await added.json()) as Item;
    expect(item).toMatchObject({
      source: "unit",
      kind: "document",
      contentType: "application/pdf",
      size: mediaSamples.pdf.byteLength,
      sha256: sha256Hex(mediaSamples.pdf),
      addedBy: { source: "unit", unitId: "team-1", actor: "as-unit:team-1" },
      downloadable: true,
    });
    // Its key is server-made and under the units' own prefix, never beside the edges' objects.
    const { rows } = await db.query<{ object_key: string }>("select object_key from clue_evidence where evidence_id = $1", [
      item.evidenceId,
    ]);
    expect(rows[0]?.object_key).toMatch(new RegExp(`/units/evidence/${item.evidenceId}$`));

    const items = await list(["unit:team-1"]);
    expect(items.map((i) => [i.source, i.evidenceId])).toEqual([
      ["reporter", recording.evidenceId],
      ["unit", item.evidenceId],
    ]);
    expect(items[0]).toMatchObject({
      kind: "audio",
      contentType: "audio/wav",
      size: mediaSamples.wav.byteLength,
      sha256: recording.sha256,
      addedBy: { source: "reporter", channel: "hotline" },
      addedAt: "2026-03-02T01:58:00.000Z",
      downloadable: false, // team-1 without pii:read
    });
    expect((await list(["unit:team-1", "pii:read"]))[0]?.downloadable).toBe(true);

    const got = await t.call(["unit:town-a"], path(`/${item.evidenceId}`));
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(mediaSamples.pdf);
    expect(got.headers.get("content-type")).toBe("application/pdf");
    expect(got.headers.get("content-disposition")).toBe(`attachment; filename="${item.evidenceId}.pdf"`);
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(got.headers.get("repr-digest")).toBe(`sha-256=:${Buffer.from(item.sha256, "hex").toString("base64")}:`);

    const reporterSent = await t.call(["unit:team-1", "pii:read"], path(`/${recording.evidenceId}?reason=核实录音`));
    expect(reporterSent.status).toBe(200);
    expect(new Uint8Array(await reporterSent.arrayBuffer())).toEqual(mediaSamples.wav);
    expect(reporterSent.headers.get("content-type")).toBe("audio/wav");

    expect(await audits()).toEqual([
      expect.objectContaining({
        action: "evidence.read",
        actor: "as-unit:town-a",
        target: { kind: "clue", id: clueId },
        evidenceId: item.evidenceId,
      }),
      expect.objectContaining({
        action: "evidence.read",
        actor: "as-unit:team-1+pii:read",
        evidenceId: recording.evidenceId,
        reason: "核实录音",
      }),
    ]);
  });

  it("answers a unit not on the clue, and callers of no unit, exactly as for a clue that does not exist", async () => {
    const item = (await (await upload(["commission"], mediaSamples.png, "image/png")).json()) as Item;
    expect(item.addedBy).toMatchObject({ unitId: "dc" });
    const missing = `/v1/clues/${ulid()}/evidence`;
    const outsiders: Scope[][] = [
      ["unit:town-b"],
      ["unit:town-b", "pii:read"],
      ["complaint:write"],
      ["downstream:read"],
      ["pii:read"],
    ];
    for (const scopes of outsiders) {
      for (const target of [path(), path(`/${item.evidenceId}`), path(`/${recording.evidenceId}`)]) {
        const response = await t.call(scopes, target);
        expect(response.status, `${scopes} ${target}`).toBe(404);
        const shape = ({ type, title, status }: Record<string, unknown>) => ({ type, title, status });
        const absent = shape((await (await t.call(scopes, missing)).json()) as Record<string, unknown>);
        expect(shape((await response.json()) as Record<string, unknown>)).toEqual(absent);
      }
      expect((await upload(scopes, mediaSamples.png, "image/png")).status, `${scopes} upload`).toBe(404);
    }
    // A piece of evidence of another clue is not this clue's.
    expect((await t.call(["commission"], path(`/${ulid()}`))).status).toBe(404);
    expect(await audits()).toEqual([]);
  });

  it("serves the reporter's material only to those who may open the reporter's identity; a unit's to all who see the clue", async () => {
    const item = (await (await upload(["unit:town-a"], mediaSamples.jpeg, "image/jpeg")).json()) as Item;
    const reporterItem = path(`/${recording.evidenceId}`);
    const unitItem = path(`/${item.evidenceId}`);
    const cases: [Scope[], number, number][] = [
      [["commission", "pii:read"], 200, 200],
      [["unit:team-1", "pii:read"], 200, 200], // the discipline body leading the clue
      [["commission"], 403, 200],
      [["unit:team-1"], 403, 200],
      [["unit:town-a", "pii:read"], 403, 200], // assisting
      [["unit:dc", "pii:read"], 403, 200], // informed
      [["unit:dept-market", "pii:read"], 403, 200], // informed, and the department the complaint is about
    ];
    for (const [scopes, reporterStatus, unitStatus] of cases) {
      const reporterAnswer = await t.call(scopes, reporterItem);
      expect(reporterAnswer.status, `${scopes} reporter's`).toBe(reporterStatus);
      if (reporterStatus === 403) {
        expect(reporterAnswer.headers.get("content-type")).toBe("application/problem+json");
        expect((await reporterAnswer.json()) as { slug?: string; type?: string }).toMatchObject({ status: 403 });
      }
      expect((await t.call(scopes, unitItem)).status, `${scopes} unit's`).toBe(unitStatus);
      const listed = await list(scopes);
      expect(listed.map((i) => i.downloadable)).toEqual([reporterStatus === 200, true]);
    }
    const reads = (await audits()).map((a) => `${a.actor} ${a.evidenceId === recording.evidenceId ? "reporter" : "unit"}`);
    expect(reads).toHaveLength(cases.filter((c) => c[1] === 200).length + cases.length);
    expect(reads.filter((r) => r.endsWith("reporter")).sort()).toEqual([
      "as-commission+pii:read reporter",
      "as-unit:team-1+pii:read reporter",
    ]);
  });

  it("lets only units working the clue (and the commission) add material", async () => {
    expect((await upload(["unit:dc"], mediaSamples.png, "image/png")).status).toBe(403); // informed only
    expect((await upload(["unit:dept-market"], mediaSamples.png, "image/png")).status).toBe(403);
    expect((await upload(["unit:team-1", "unit:town-a"], mediaSamples.png, "image/png")).status).toBe(400); // which unit?
    const named = await upload(["unit:team-1", "unit:town-a"], mediaSamples.png, "image/png", "?unit=town-a");
    expect(named.status).toBe(201);
    expect(((await named.json()) as Item).addedBy).toMatchObject({ unitId: "town-a" });
    expect((await upload(["unit:team-1"], mediaSamples.png, "image/png", "?unit=town-a")).status).toBe(403);
  });

  it("judges the type from the bytes, refuses other types with 415 and bodies over the cap with 413, storing nothing", async () => {
    const refused: [Uint8Array, string, number][] = [
      [mediaSamples.html, "image/png", 415], // HTML posing as an image
      [mediaSamples.exe, "audio/mpeg", 415],
      [mediaSamples.text, "application/pdf", 415],
      [mediaSamples.png, "text/html", 415], // a type not taken at all
      [mediaSamples.png, "application/octet-stream", 415],
      [mediaSamples.png, "image/jpeg", 415], // a real PNG declared as something else
      [new Uint8Array(0), "image/png", 400],
      [new Uint8Array(MAX_BYTES + 1).fill(0x20), "application/pdf", 413],
    ];
    for (const [bytes, type, status] of refused) {
      const response = await upload(["unit:team-1"], bytes, type);
      expect(response.status, `${type} (${bytes.byteLength} bytes)`).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
    const stated = await t.call(["unit:team-1"], path(), {
      method: "POST",
      bytes: mediaSamples.png,
      headers: { "content-type": "image/png", "x-clueline-sha256": "0".repeat(64) },
    });
    expect(stated.status).toBe(422);
    expect((await db.query("select 1 from clue_evidence")).rows).toHaveLength(0);
    // A narrower name of the same container is believed, and recorded as the canonical type.
    const wav = await upload(["unit:team-1"], mediaSamples.wav, "audio/x-wav");
    expect(wav.status).toBe(201);
    expect(((await wav.json()) as Item).contentType).toBe("audio/wav");
  });

  it("refuses to serve bytes that no longer match the recorded SHA-256, logging ids only", async () => {
    const item = (await (await upload(["unit:team-1"], mediaSamples.png, "image/png")).json()) as Item;
    const { rows } = await db.query<{ object_key: string }>("select object_key from clue_evidence where evidence_id = $1", [
      item.evidenceId,
    ]);
    // Tampering in the bucket itself, by someone who also rewrites the hash kept with the object: the ledger's
    // record is what the download is checked against.
    const { s3 } = testInfra();
    const raw = createEvidenceStore(s3).client;
    const forged = new Uint8Array(mediaSamples.png);
    forged[forged.length - 1] = 0x00; // the sample ends in padding of 0x55
    const rewrite = (key: string, body: Uint8Array, type: string) =>
      raw.send(
        new PutObjectCommand({
          Bucket: s3.bucket,
          Key: key,
          Body: body,
          ContentType: type,
          Metadata: { sha256: sha256Hex(body) },
        }),
      );
    await rewrite(String(rows[0]?.object_key), forged, "image/png");
    const tampered = await t.call(["unit:team-1"], path(`/${item.evidenceId}`));
    expect(tampered.status).toBe(409);
    expect(tampered.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await tampered.json()) as { title: string };
    expect(problem.title).toContain("SHA-256");
    expect(await audits()).toEqual([]);

    // The reporter's recording, overwritten in place with other audio.
    const recorded = await t.evidence.reporter.get(recording.evidenceId);
    await rewrite(recorded.key, mediaSamples.amr, "audio/amr");
    const swapped = await t.call(["commission", "pii:read"], path(`/${recording.evidenceId}`));
    expect(swapped.status).toBe(409);
    expect(await audits()).toEqual([]);

    const errors = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.level === 50);
    expect(errors.map((e) => [e.evidenceId, e.clueId])).toEqual([
      [item.evidenceId, clueId],
      [recording.evidenceId, clueId],
    ]);
    raw.destroy();
  });

  it("never logs, lists or audits the reporter's identity", async () => {
    await upload(["unit:team-1"], mediaSamples.pdf, "application/pdf");
    const answers = [
      await (await t.call(["commission", "pii:read"], path())).text(),
      await (await t.call(["unit:team-1", "pii:read"], path(`/${recording.evidenceId}`))).text(),
      await (await t.call(["unit:town-a"], path(`/${recording.evidenceId}`))).text(),
    ];
    const written = [lines.join("\n"), JSON.stringify(await audits()), answers.join("\n")].join("\n");
    for (const value of Object.values(IDENTITY)) expect(written).not.toContain(value);
    expect(lines.some((line) => line.includes("unit evidence stored"))).toBe(true);
  });
});
