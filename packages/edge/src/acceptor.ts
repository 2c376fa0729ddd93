import type { OutgoingRecord, Publisher } from "@clueline/bus";
import type { SealedIdentity, Topic, WireReporter } from "@clueline/contracts";
import type { IdentitySealer } from "@clueline/identity";
import { type Caller, type FieldProblem, invalidRequest } from "@clueline/kit";
import type { Logger } from "pino";
import type { z } from "zod";
import { type CategoryCodes, unknownCategoryHints } from "./category-hints.js";
import { complaintIdFor } from "./complaint-id.js";
import { createFreeText, type ScrubField } from "./free-text.js";
import { fingerprintOf, runOnce } from "./idempotency.js";
import type { IdempotencyStore } from "./idempotency-store.js";
import type { ReceiptCodes } from "./receipt-code.js";
import { type ReporterInput, sealReporter } from "./reporter.js";

/**
 * What every received event shares, made here rather than taken from the caller. Channels copy its fields one by
 * one into their event: on Node 20, `{ ...base, channel, … }` with a dozen more fields took ~13 µs a request
 * (V8 adds each property after a spread on a slow path), the same object named field by field ~0.1 µs.
 */
export interface ReceivedBase {
  complaintId: string;
  receivedAt: string;
  reporter: WireReporter;
}

/**
 * One complaint to accept: its reporter (none for media exposures) and how the channel builds its event. `build`
 * passes every free-text field through `scrub` (DESIGN §8); the acceptor seals the originals of what that changed.
 */
export interface Submission<T> {
  reporter?: ReporterInput;
  /** Checked against the directory's taxonomy before anything is sealed or published. */
  categoryHints?: readonly string[];
  build(base: ReceivedBase, scrub: ScrubField): T;
}

/** What the acceptor adds to a built event: the originals of scrubbed free text, sealed to the complaint. */
export interface ReceivedEvent {
  sealedOriginal?: SealedIdentity;
}

/** The 202 body. `receiptCode` appears once, for an anonymous reporter, and is stored nowhere but in the answer. */
export interface Accepted {
  complaintId: string;
  receivedAt: string;
  receiptCode?: string;
}

export type BatchItem<T> = { index: number; submission: Submission<T> } | { index: number; errors: FieldProblem[] };
export type BatchItemResult =
  | ({ index: number; status: 202 } & Accepted)
  | { index: number; status: 400; errors: FieldProblem[] };

export interface Request {
  caller: Caller;
  idempotencyKey: string | undefined;
  /** Names the endpoint; part of the idempotency fingerprint, so one key cannot serve two endpoints. */
  operation: string;
  /** The validated body, fingerprinted for idempotency. */
  body: unknown;
  requestId?: string;
}

/**
 * The edge's one step that matters: seal the reporter, scrub the free text (the originals sealed beside it), build
 * the CloudEvent, publish it, and only when the
 * broker acknowledged (acks = all) return what the 202 says. A {@link RetryableOutage} from the publisher
 * propagates (the app answers 503) and no receipt code leaves the process. Each event's `ce_id` is its
 * complaint id: one complaint, one received event, so a republished retry is a duplicate by `ce_source + ce_id` too.
 *
 * @example
 * const acceptor = createAcceptor({ topic: hotlineReceivedTopic, topicName, source: "/clueline/hotline", ...deps });
 * const { value } = await acceptor.acceptOne({ caller, idempotencyKey, operation: "post-call", body, submission });
 */
export function createAcceptor<S extends z.ZodType<ReceivedEvent>>(options: {
  topic: Topic<S>;
  topicName: string;
  source: string;
  publisher: Pick<Publisher, "publishAll">;
  sealer: IdentitySealer;
  receiptCodes: ReceiptCodes;
  idempotency: IdempotencyStore;
  logger: Logger;
  clock: () => Date;
  /** The taxonomy of the directory in force; read once a request, so a batch is checked against one version. */
  categoryCodes: () => CategoryCodes;
}) {
  const { topic, sealer, receiptCodes } = options;

  function prepare(request: Request, submission: Submission<z.infer<S>>, index?: number) {
    const now = options.clock();
    const scope = { subject: request.caller.subject, idempotencyKey: request.idempotencyKey, index };
    const complaintId = complaintIdFor({ subject: scope.subject, idempotencyKey: scope.idempotencyKey, index, now });
    const { reporter } = submission;
    const sealed = reporter
      ? sealReporter({ reporter, sealer, complaintId, receiptCode: () => receiptCodes.issue(scope) })
      : { wire: { kind: "anonymous" } as const, receiptCode: undefined };
    const receivedAt = now.toISOString();
    const text = createFreeText(reporter);
    // Not parsed again here: the request was, and the build is typed. That every accepted request makes a valid
    // event is checked by the edges' unit tests, whose publisher parses each record (edge/testing.ts).
    const data = submission.build({ complaintId, receivedAt, reporter: sealed.wire }, text.scrub);
    const originals = text.originals();
    if (originals) data.sealedOriginal = sealer.sealOriginal(originals, { complaintId });
    const wire = topic.serialize(data, { source: options.source, id: complaintId, time: receivedAt });
    const record: OutgoingRecord = { topic: options.topicName, ...wire };
    const accepted: Accepted = { complaintId, receivedAt, ...(sealed.receiptCode ? { receiptCode: sealed.receiptCode } : {}) };
    return { record, accepted };
  }

  function run<T>(request: Request, work: () => Promise<T>) {
    return runOnce({
      store: options.idempotency,
      subject: request.caller.subject,
      key: request.idempotencyKey,
      fingerprint: () => fingerprintOf(request.operation, request.body),
      run: work,
    });
  }

  return {
    acceptOne(request: Request & { submission: Submission<z.infer<S>> }): Promise<{ value: Accepted; replayed: boolean }> {
      return run(request, async () => {
        // Inside `run`: a retry of a complaint already accepted replays its 202 even if the directory changed since.
        const unknown = unknownCategoryHints(request.submission.categoryHints, options.categoryCodes());
        if (unknown.length > 0) throw invalidRequest(unknown);
        const { record, accepted } = prepare(request, request.submission);
        await options.publisher.publishAll([record]);
        // The caller's subject (an operator, a service, `webhook:<sender>`) says who sent it; it never names a reporter.
        const fields = { complaintId: accepted.complaintId, subject: request.caller.subject, requestId: request.requestId };
        options.logger.info(fields, "complaint accepted");
        return accepted;
      });
    },
    /** Valid items are published as one batch; invalid ones are answered with their problems and publish nothing. */
    acceptBatch(
      request: Request & { items: BatchItem<z.infer<S>>[] },
    ): Promise<{ value: { accepted: number; refused: number; results: BatchItemResult[] }; replayed: boolean }> {
      return run(request, async () => {
        const codes = options.categoryCodes();
        const records: OutgoingRecord[] = [];
        const results: BatchItemResult[] = [];
        for (const item of request.items) {
          const errors = "errors" in item ? item.errors : unknownCategoryHints(item.submission.categoryHints, codes);
          if ("errors" in item || errors.length > 0) {
            results.push({ index: item.index, status: 400, errors });
            continue;
          }
          const { record, accepted } = prepare(request, item.submission, item.index);
          records.push(record);
          results.push({ index: item.index, status: 202, ...accepted });
        }
        // One publishAll: the records leave in one producer batch unless others' records already fill it.
        if (records.length > 0) await options.publisher.publishAll(records);
        options.logger.info(
          { accepted: records.length, refused: results.length - records.length, requestId: request.requestId },
          "batch accepted",
        );
        return { accepted: records.length, refused: results.length - records.length, results };
      });
    },
  };
}

export type Acceptor<S extends z.ZodType<ReceivedEvent>> = ReturnType<typeof createAcceptor<S>>;
