import { parseArgs } from "node:util";
import type { Kafka } from "kafkajs";
import type { Logger } from "pino";
import { createPublisher } from "../publisher.js";
import type { DeadLetterSummary } from "./dead-letter-view.js";
import { listDeadLetters, showDeadLetter } from "./dlq.js";
import { DlqNotFound } from "./dlq-state.js";
import { ReplayBusy, replayDeadLetters } from "./replay-dead-letters.js";

export const dlqUsage = `usage: dlq list <topic>
       dlq show <topic> <offset> [--partition P]
       dlq replay <topic> (--offset N [--partition P] | --all)

<topic> is the topic the records died on (clueline.clue.routed.v1; a trailing .dlq is fine), TOPIC_PREFIX
prepended as the services do. Brokers from KAFKA_BROKERS.
  list    every record in <topic>.dlq: offset, time, ce_id, ce_type, key, error, replayed, short reason
  show    one record: headers, the error in full, the value as JSON with sealed identities elided
  replay  put records back on <topic> (key, headers, value as they were; acks=all); what was replayed is
          committed by the group clueline-dlq-replay.<topic>, so nothing is put back twice

exit status: 0 done, 1 no such topic or record, or another replay is running, 2 bad arguments`;

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

function table(letters: DeadLetterSummary[]): string {
  const rows = [
    ["partition", "offset", "failed at", "ce_id", "ce_type", "key", "error", "replayed", "summary"],
    ...letters.map((l) => [
      String(l.partition),
      l.offset,
      l.failedAt,
      l.ceId ?? "-",
      l.ceType ?? "-",
      l.key ?? "-",
      l.errorCode ? `${l.errorClass} ${l.errorCode}` : l.errorClass,
      l.replayed ? "yes" : "no",
      l.summary,
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * The `dlq` command, with Kafka and the output streams passed in so a test runs it without a process.
 *
 * @example
 * process.exitCode = await runDlqCommand({ argv: ["list", "clueline.clue.routed.v1"], kafka, topicPrefix: "",
 *   logger, stdout: process.stdout, stderr: process.stderr });
 */
export async function runDlqCommand(options: Io & { argv: string[]; kafka: Kafka; topicPrefix: string; logger: Logger }) {
  const { stdout, stderr, kafka } = options;
  const parse = () =>
    parseArgs({
      args: options.argv,
      allowPositionals: true,
      options: { offset: { type: "string" }, partition: { type: "string" }, all: { type: "boolean" }, help: { type: "boolean" } },
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    stderr.write(`${(error as Error).message}\n${dlqUsage}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, name, offsetArg] = positionals;
  if (values.help) {
    stdout.write(`${dlqUsage}\n`);
    return 0;
  }
  const offset = offsetArg ?? values.offset;
  const isOffset = (text: string | undefined) => text === undefined || /^\d+$/.test(text);
  const usable =
    name !== undefined &&
    isOffset(offset) &&
    isOffset(values.partition) &&
    ((command === "list" && positionals.length === 2) ||
      (command === "show" && positionals.length === 3) ||
      (command === "replay" && positionals.length === 2 && (values.all === true) !== (offset !== undefined)));
  if (!usable) {
    stderr.write(`${dlqUsage}\n`);
    return 2;
  }
  const topic = options.topicPrefix + name.replace(/\.dlq$/, "");
  const partition = values.partition === undefined ? undefined : Number(values.partition);
  try {
    if (command === "list") {
      const letters = await listDeadLetters({ kafka, topic });
      const replayed = letters.filter((l) => l.replayed).length;
      stdout.write(`${topic}.dlq: ${letters.length} dead letter${letters.length === 1 ? "" : "s"}, ${replayed} replayed\n`);
      if (letters.length > 0) stdout.write(`${table(letters)}\n`);
    } else if (command === "show") {
      const detail = await showDeadLetter({ kafka, topic, offset: BigInt(offset as string), partition });
      stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
    } else {
      const publisher = createPublisher({ kafka, logger: options.logger });
      await publisher.connect();
      try {
        const select = values.all ? { all: true as const } : { offset: BigInt(offset as string), partition };
        const result = await replayDeadLetters({
          kafka,
          publisher,
          topic,
          select,
          onReplayed: (l) =>
            stdout.write(
              `replayed ${topic}.dlq/${l.partition}/${l.offset} ce_id=${l.ceId ?? "-"} key=${l.key ?? "-"} -> ${l.toTopic}\n`,
            ),
        });
        stdout.write(
          result.replayed === 0
            ? `nothing to replay in ${topic}.dlq (${result.alreadyReplayed} replayed before)\n`
            : `replayed ${result.replayed} of ${topic}.dlq to ${topic} (${result.alreadyReplayed} replayed before)\n`,
        );
      } finally {
        await publisher.close();
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof DlqNotFound || error instanceof ReplayBusy) {
      stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
