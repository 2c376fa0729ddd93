import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort } from "@clueline/testing";

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const kafkaHome = join(process.env.CLUELINE_CACHE ?? join(homedir(), ".cache/clueline"), "kafka-4.4.0");
const classpath = join(kafkaHome, "libs/*");

export interface OwnBroker {
  brokers: string[];
  dataDir: string;
  /** `kill -9`: the broker gets no chance to flush or close its logs. */
  kill(): Promise<void>;
  /** Starts the broker again over its existing log directory and waits until it serves a consumer group. */
  start(): Promise<void>;
  /** Kills the broker and deletes its data: nothing of it outlives the test. */
  destroy(): Promise<void>;
}

/**
 * A private single-node Kafka (KRaft, combined broker + controller, the settings infra/up.sh uses) from the
 * jars infra/fetch.sh cached, on free ports with its data in a temporary directory. The shared broker on
 * :19092 is used by other tests and people, so a fault test kills only this one.
 *
 * @example
 * const broker = await startOwnBroker(); // …; await broker.kill(); await broker.start(); …; await broker.destroy();
 */
export async function startOwnBroker(): Promise<OwnBroker> {
  const dataDir = await mkdtemp(join(tmpdir(), "clueline-faults-kafka-"));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const properties = join(dataDir, "server.properties");
  await mkdir(join(dataDir, "logs"));
  await writeFile(properties, serverProperties({ port, controllerPort, logDir: join(dataDir, "data") }));
  // Kafka's Uuid format; an id starting with "-" would read as an option to the storage tool.
  const clusterId = randomBytes(16).toString("base64url").replace(/^-/, "A");
  await run("java", [
    "-Xmx256m",
    `-Dlog4j2.configurationFile=${join(root, "infra/tools-log4j2.properties")}`,
    "-cp",
    classpath,
    "kafka.tools.StorageTool",
    "format",
    "--config",
    properties,
    "--cluster-id",
    clusterId,
  ]);
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const out = openSync(join(dataDir, "logs/kafka.out"), "a");
    child = spawn(
      "java",
      [
        "-Dclueline.faults=kafka",
        "-Xms384m",
        "-Xmx384m",
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-Djava.awt.headless=true",
        `-Dkafka.logs.dir=${join(dataDir, "logs")}`,
        `-Dlog4j2.configurationFile=${join(root, "infra/kafka-log4j2.properties")}`,
        "-cp",
        classpath,
        "kafka.Kafka",
        properties,
      ],
      { stdio: ["ignore", out, out] },
    );
    closeSync(out); // the child has its own copy
    const started = child;
    // Should the test process die first, its broker must not outlive it.
    process.once("exit", () => started.kill("SIGKILL"));
    // The readiness probe up.sh uses: a topic and a consumer group join, the two things the services need.
    await run("node", ["--no-warnings", join(root, "infra/kafka-ready.mjs"), `127.0.0.1:${port}`, "90"]);
  }

  async function kill(): Promise<void> {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGKILL");
    await exited;
  }

  await start();
  return {
    brokers: [`127.0.0.1:${port}`],
    dataDir,
    kill,
    start,
    async destroy() {
      await kill();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function serverProperties(options: { port: number; controllerPort: number; logDir: string }): string {
  return `process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${options.controllerPort}
listeners=PLAINTEXT://127.0.0.1:${options.port},CONTROLLER://127.0.0.1:${options.controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${options.port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${options.logDir}
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
offsets.topic.num.partitions=10
transaction.state.log.num.partitions=10
auto.create.topics.enable=false
num.partitions=3
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
background.threads=4
num.recovery.threads.per.data.dir=1
`;
}
