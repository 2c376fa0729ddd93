import { readFileSync } from "node:fs";
import type { RoutingDecision } from "@clueline/contracts";
import type { Scope } from "@clueline/kit";
import type { ServiceName } from "../../e2e/system-under-test.js";

/** The scenario file's shape (test/scenario/work-loop.json) and what a run needs and gives back. */
export type ClueName = "evidence" | "discipline" | "supervised" | "extended" | "returned" | "supplemented";
/** `reassigned`: the unit the commission gave a returned clue to (改派), known once the decision is made. */
export type Role = "lead" | "assist" | "informed" | "reassigned";
export type FileName = "recording" | "inquiryRecord";

/**
 * A complaint as an edge takes it. A real-name reporter without contacts is the run's own reporter: the runner gives
 * it a phone built from the run's id (see `runReporterPhone`), the same for every complaint of the run.
 */
export interface ComplaintSpec {
  service: ServiceName;
  path: string;
  attach?: FileName;
  body: Record<string, unknown>;
}
export interface ClueSpec extends ComplaintSpec {
  label: string;
  expect: { routing: { disciplineLead: string; assist?: string[]; informed?: string[] } };
}
export interface WorkLoopStep {
  label: string;
  do: string;
  clue: ClueName;
  as?: Role;
  events?: string[];
  audit?: string[];
  expect?: Record<string, unknown>;
  [field: string]: unknown;
}
export interface WorkLoopScenario {
  files: Record<FileName, { contentType: string; base64: string }>;
  clues: Record<ClueName, ClueSpec>;
  steps: WorkLoopStep[];
}

export const workLoopScenario = JSON.parse(
  readFileSync(new URL("../work-loop.json", import.meta.url), "utf8"),
) as WorkLoopScenario;

export interface Answer {
  status: number;
  text: string;
  bytes: Uint8Array;
  headers: Headers;
}
export interface WorkLoopDeps {
  /** One HTTP request with a token of these scopes; `bytes` sends a raw body (an upload) instead of JSON. */
  call(request: {
    service: ServiceName;
    path: string;
    scopes: Scope[];
    method?: string;
    body?: unknown;
    bytes?: Uint8Array;
    headers?: Record<string, string>;
  }): Promise<Answer>;
  /**
   * Runs the closure's deadline scan this far ahead of the machine's clock from now on (0: in step with it). A run
   * starts at 0, so an earlier run's last move cannot fire this run's fresh clocks at once.
   */
  setScanClockAhead(aheadMs: number): Promise<void>;
  log(line: string): void;
  /** Unique per run: call ids and idempotency keys carry it. */
  runId: string;
  /** How long to wait for a consumer or a scan turn; a restarted closure rejoins its group first. */
  patienceMs?: number;
}
export interface OpenedClue {
  clueId: string;
  decision: RoutingDecision;
  units: Record<Role, string | undefined>;
}
export interface WorkLoopResult {
  clues: Record<ClueName, OpenedClue>;
  /** What each step (and each clue's opening) must have published, for the Kafka checks. */
  published: { label: string; clueId: string; events: string[]; audit: string[] }[];
}

export class WorkLoopStepFailed extends Error {
  override readonly name = "WorkLoopStepFailed";
  constructor(
    readonly step: string,
    detail: string,
  ) {
    super(`${step}: ${detail}`);
  }
}
