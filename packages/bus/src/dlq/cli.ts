// `npm run dlq -- list|show|replay <topic> …`: the only file of the dlq tool with side effects (environment, process,
// streams); what it does is in dlq-command.ts. Run with `tsx --conditions=source` so workspace packages resolve to src.
import { readFileSync } from "node:fs";
import pino from "pino";
import { createKafka, parseBrokers } from "../kafka.js";
import { dlqUsage, runDlqCommand } from "./dlq-command.js";

/** KAFKA_BROKERS as the services get it: the environment, else what infra/up.sh wrote for `npm start`. */
function brokersFromEnvironment(): string | undefined {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  try {
    const file = readFileSync(new URL("../../../../.data/infra.env", import.meta.url), "utf8");
    return file.match(/^KAFKA_BROKERS=(.+)$/m)?.[1]?.trim();
  } catch {
    return undefined;
  }
}

const argv = process.argv.slice(2);
if (argv.length === 0 || argv.includes("--help")) {
  process.stdout.write(`${dlqUsage}\n`);
  process.exit(argv.length === 0 ? 2 : 0);
}
const brokers = brokersFromEnvironment();
const topicPrefix = process.env.TOPIC_PREFIX ?? "";
if (!brokers || !/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/.test(brokers) || !/^[a-z0-9.-]*$/.test(topicPrefix)) {
  process.stderr.write(
    `set KAFKA_BROKERS=host:port[,host:port…] (and TOPIC_PREFIX=[a-z0-9.-]* if the services use one)\n${dlqUsage}\n`,
  );
  process.exit(2);
}
// kafkajs's own warnings to stderr; stdout is the command's output.
const logger = pino({ name: "dlq", level: process.env.LOG_LEVEL ?? "warn" }, pino.destination(2));
const kafka = createKafka({ brokers: parseBrokers(brokers), clientId: "clueline-dlq", logger });
process.exitCode = await runDlqCommand({
  argv,
  kafka,
  topicPrefix,
  logger,
  stdout: process.stdout,
  stderr: process.stderr,
});
