import type { ConsumedRecord, OutgoingRecord, Publisher } from "@clueline/bus";
import {
  createDeadlineClock,
  createLedger,
  createRoutedHandler,
  createWorkingCalendar,
  defaultDeadlinePolicy,
  loadChineseDaysSource,
} from "@clueline/closure";
import { topicNames } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { defaultDirectoryPath, loadDirectory } from "@clueline/directory";
import { categoryCodesOf } from "@clueline/edge";
import { createTestEdgeDeps } from "@clueline/edge/testing";
import { createApp as createHotline } from "@clueline/hotline";
import { createApp as createIntake } from "@clueline/intake";
import { createApp as createMedia } from "@clueline/media";
import { compileDirectory, createBatchRouter, createChannelBatchHandler, createMemoryRouterState } from "@clueline/router";
import pino from "pino";

/** A publisher that keeps what it is given; the edges' own memory publisher checks received events only. */
function createCollectingPublisher(): Publisher & { records: OutgoingRecord[] } {
  const records: OutgoingRecord[] = [];
  return {
    records,
    async publish(record) {
      records.push(record);
    },
    async publishAll(batch) {
      records.push(...batch);
    },
    async connect() {},
    async close() {},
  };
}

const asConsumed = (record: OutgoingRecord, offset: number): ConsumedRecord => ({
  topic: record.topic,
  partition: 0,
  offset: String(offset),
  key: record.key,
  value: record.value === null ? null : Buffer.from(record.value),
  headers: record.headers,
  timestamp: String(Date.now()),
});

export type EdgeName = "hotline" | "intake" | "media";

/**
 * The three edges, the router's batch handler and the closure's routed-record handler wired in one process, on the
 * services' own code (their apps, the shipped directory, memory router state, a real ledger on `db`): what the
 * brokers carry between them is handed over as the records each publishes. For properties that span the path
 * from an HTTP body to a ledger row without the minutes a real system takes to start.
 */
export async function createInProcessPipeline(options: { db: Database }) {
  const logger = pino({ level: "silent" });
  // One directory for the edges' check of categoryHints and the router's rules, as DIRECTORY_FILE gives both.
  const shipped = await loadDirectory(defaultDirectoryPath);
  const categoryCodes = categoryCodesOf(shipped);
  const edgeDeps = createTestEdgeDeps({ publisher: createCollectingPublisher(), categoryCodes: () => categoryCodes });
  const edgePublisher = edgeDeps.publisher as ReturnType<typeof createCollectingPublisher>;
  const edges: Record<EdgeName, { request: (path: string, init: RequestInit) => Response | Promise<Response> }> = {
    hotline: createHotline({ ...edgeDeps, topics: topicNames, recordingMaxBytes: 1 << 20 }),
    intake: createIntake({ ...edgeDeps, topics: topicNames, attachmentMaxBytes: 1 << 20 }),
    media: createMedia({
      ...edgeDeps,
      topics: topicNames,
      attachmentMaxBytes: 1 << 20,
      // No webhook senders: the property posts through the token-authenticated route only.
      webhook: { senders: [], windowSeconds: 300, replay: { claim: async () => false, release: async () => {} } },
    }),
  };

  const directory = compileDirectory(shipped);
  const routerPublisher = createCollectingPublisher();
  const routeRecords = createChannelBatchHandler({
    routeBatch: createBatchRouter({ state: createMemoryRouterState(), directory: () => directory }),
    publisher: routerPublisher,
    topicPrefix: "",
    prepareTopics: async () => {},
  });
  const calendar = createWorkingCalendar({ base: loadChineseDaysSource() });
  const deadlines = createDeadlineClock({ calendar, policy: defaultDeadlinePolicy });
  const ledger = createLedger({
    db: options.db,
    deadlines,
    commissionUnit: "dc",
    sealer: edgeDeps.sealer,
    clock: () => new Date(),
  });
  const applyRouted = createRoutedHandler({ ledger });
  let offset = 0;

  return {
    edges,
    /**
     * Takes every received event the edges published since the last call through the router and into the ledger.
     * Answers what the router refused as poison and the clue id of each complaint it routed.
     */
    async drain(): Promise<{ poisoned: number; clueOf: Map<string, string> }> {
      const received = edgePublisher.records.splice(0).map((record) => asConsumed(record, offset++));
      const { poisoned } = await routeRecords(received, { logger, attempt: 1 });
      const clueOf = new Map<string, string>();
      for (const record of routerPublisher.records.splice(0)) {
        if (record.topic !== topicNames.clueRouted) continue;
        await applyRouted(asConsumed(record, offset++), { logger, attempt: 1 });
        const { decision } = JSON.parse(String(record.value)) as { decision: { complaintId: string; clueId: string } };
        clueOf.set(decision.complaintId, decision.clueId);
      }
      return { poisoned: poisoned.length, clueOf };
    },
  };
}
