import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { InfraInfo } from "@clueline/testing";
import { readTopic } from "@clueline/testing";
import { PGlite } from "@electric-sql/pglite";
import type { Kafka } from "kafkajs";

/** An identity a run submitted: what must not appear in plain text anywhere the run wrote. */
export interface SubmittedIdentity {
  name: string;
  phone?: string;
  idNumber?: string;
}

/** One place the sweep read: a topic, the services' log, a table, an object. */
export interface SweptPlace {
  where: string;
  text: string;
}

/**
 * Chinese numerals as digits, as the scrubber reads them: everyday, 幺 and 两, formal (壹贰叁), traditional (兩貳參陸)
 * and spoken (洞 for 0, 拐 for 7; here read as digits anywhere, which can only make the sweep stricter).
 */
const chineseDigits: Record<string, string> = Object.fromEntries(
  ["零〇洞", "一幺壹", "二两兩贰貳", "三叁叄參", "四肆", "五伍", "六陆陸", "七拐柒", "八捌", "九玖"].flatMap((numerals, digit) =>
    [...numerals].map((numeral) => [numeral, String(digit)]),
  ),
);

/**
 * The digits of a text however they were written (full-width, Chinese numerals, separators of any kind): a phone or
 * ID number hidden in free text shows up here as its digit run. Every other character is dropped, so digits from
 * neighbouring numbers join; for an 11- or 17-digit number a chance match stays negligible at the sizes swept.
 */
export function digitsOf(text: string): string {
  return [...text.normalize("NFKC")].map((char) => chineseDigits[char] ?? (/[0-9]/.test(char) ? char : "")).join("");
}

/** Where, if anywhere, a place shows an identity: its name, or its phone's or ID number's digits. */
export function revealed(place: SweptPlace, identity: SubmittedIdentity): string | undefined {
  const compact = place.text.normalize("NFKC").replace(/\s+/g, "");
  if (compact.includes(identity.name.replace(/\s+/g, ""))) return `${place.where}: the name of ${identity.name.slice(0, 1)}…`;
  const digits = digitsOf(place.text);
  const phone = identity.phone ? digitsOf(identity.phone).slice(-11) : undefined;
  if (phone && digits.includes(phone)) return `${place.where}: a phone ending ${phone.slice(-2)}`;
  const id = identity.idNumber ? digitsOf(identity.idNumber).slice(0, 17) : undefined;
  if (id && id.length >= 15 && digits.includes(id)) return `${place.where}: an ID number ending ${id.slice(-2)}`;
  return undefined;
}

/** Every record of every topic under the run's prefix, dead-letter topics included: headers, key and value. */
export async function sweepTopics(options: { kafka: Kafka; prefix: string }): Promise<SweptPlace[]> {
  const admin = options.kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((name) => name.startsWith(options.prefix));
    const places: SweptPlace[] = [];
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const count = offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
      if (count === 0) continue;
      const records = await readTopic({ kafka: options.kafka, topic, count, timeoutMs: 20_000 });
      const text = records.map((r) => `${r.key} ${JSON.stringify(r.headers)} ${r.value?.toString() ?? ""}`).join("\n");
      places.push({ where: `topic ${topic} (${records.length} records)`, text });
    }
    return places;
  } finally {
    await admin.disconnect();
  }
}

/** Every row of every table in a PGlite database the run left on disk (the closure ledger, the router's state). */
export async function sweepPglite(options: { label: string; dataDir: string }): Promise<SweptPlace[]> {
  const db = await PGlite.create(options.dataDir);
  try {
    const { rows: tables } = await db.query<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const places: SweptPlace[] = [];
    for (const { schema, name } of tables) {
      const { rows } = await db.query(`select * from "${schema}"."${name}"`);
      places.push({ where: `${options.label} table ${schema}.${name} (${rows.length} rows)`, text: JSON.stringify(rows) });
    }
    return places;
  } finally {
    await db.close();
  }
}

/** Every object written to the bucket since `since`, with its metadata. */
export async function sweepBucket(options: { s3: InfraInfo["s3"]; since: Date }): Promise<SweptPlace[]> {
  const { s3 } = options;
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  const places: SweptPlace[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (!object.Key || (object.LastModified && object.LastModified < options.since)) continue;
        const got = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: object.Key }));
        const body = Buffer.from(await (got.Body?.transformToByteArray() ?? new Uint8Array())).toString("utf8");
        places.push({ where: `object ${object.Key}`, text: `${JSON.stringify(got.Metadata ?? {})} ${body}` });
      }
      token = page.NextContinuationToken;
    } while (token);
    return places;
  } finally {
    client.destroy();
  }
}
