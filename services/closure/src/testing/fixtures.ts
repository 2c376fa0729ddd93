import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ClueRouted, RoutedComplaint, RoutingDecision } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { defaultDirectoryPath, parseDirectoryFile } from "@clueline/directory";
import { createIdentitySealer, createReceiptCode, hashReceiptCode, type IdentitySealer } from "@clueline/identity";
import { ulid } from "ulid";
import { createWorkingCalendar, loadChineseDaysSource, type WorkingCalendar } from "../calendar/index.js";
import type { ConductWatch } from "../conduct/conduct-watch.js";
import { createDeadlineClock, type DeadlineClock, defaultDeadlinePolicy } from "../deadlines/deadline-clock.js";
import type { DisciplinePolicy } from "../deadlines/discipline-clocks.js";
import { closureDirectoryOf } from "../directory.js";
import { createLedger } from "../ledger/ledger.js";
import { createSupervisionClocks } from "../supervision/supervision-clocks.js";

/** A settable clock: tests move time by hand instead of waiting. Starts on a Monday morning in Beijing. */
export function createTestClock(start = "2026-03-02T10:00:00+08:00") {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set(instant: string | Date) {
      now = new Date(instant);
    },
    advanceHours(hours: number) {
      now = new Date(now.getTime() + hours * 3_600_000);
    },
  };
}

/** The statutory calendar of chinese-days with no operator file. */
export const testCalendar = () => createWorkingCalendar({ base: loadChineseDaysSource() });

export const testDeadlines = (calendar: WorkingCalendar = testCalendar()) =>
  createDeadlineClock({ calendar, policy: defaultDeadlinePolicy });

/** The shipped directory as the closure reads it: town-chengguan's leader is leader-executive-deputy-mayor. */
export const testDirectory = () =>
  closureDirectoryOf(parseDirectoryFile({ path: defaultDirectoryPath, text: readFileSync(defaultDirectoryPath, "utf8") }));

/** Supervision orders' answer clock and leaders, from the shipped directory. */
export const testSupervision = (deadlines: DeadlineClock = testDeadlines()) => {
  const directory = testDirectory();
  return createSupervisionClocks({ deadlines, directory: () => directory });
};

/** A sealer with a fresh key ring, as an edge and the closure share it. */
export const testSealer = () =>
  createIdentitySealer({ keys: { k1: randomBytes(32) }, activeKeyId: "k1", hashKey: randomBytes(32) });

/** A ledger on `db` with the statutory policy, the commission "dc", a hand-moved clock and a fresh sealer. */
export function createTestLedger(
  db: Database,
  options: {
    clock?: ReturnType<typeof createTestClock>;
    calendar?: WorkingCalendar;
    sealer?: IdentitySealer;
    discipline?: () => DisciplinePolicy;
    /** Rule 10's watch, for a test of service failures; none by default. */
    conduct?: ConductWatch;
  } = {},
) {
  const { clock = createTestClock(), sealer = testSealer() } = options;
  const deadlines = testDeadlines(options.calendar ?? testCalendar());
  const directory = testDirectory();
  const ledger = createLedger({
    db,
    deadlines,
    commissionUnit: "dc",
    sealer,
    clock: clock.now,
    bodies: () => directory,
    ...(options.discipline ? { discipline: options.discipline } : {}),
    ...(options.conduct ? { conduct: options.conduct } : {}),
  });
  return { ledger, clock, deadlines, sealer, supervision: testSupervision(deadlines) };
}

/** A sealed identity's shape, with no identity in it: closure stores it and never opens it in these tests. */
export const sealedPlaceholder = { alg: "A256GCM", keyId: "k1", iv: "AAAA", tag: "AAAA", ciphertext: "AAAA" } as const;

/** What a test may vary in a routed record: decision fields and the complaint's channel, time and reporter. */
export type RoutedOverrides = Partial<
  Pick<RoutingDecision, "clueId" | "nature" | "categories" | "subjects" | "discipline" | "service" | "transfer" | "mergedInto">
> &
  Partial<Pick<RoutedComplaint, "complaintId" | "channel" | "receivedAt" | "reporter" | "text" | "sealedOriginal" | "evidence">>;

/**
 * A record of `clueline.clue.routed.v1` as the router publishes it: by default a discipline clue led by
 * town-chengguan, assisted by team-1, the commission informed, from a real-name hotline caller.
 */
export function routedFixture(overrides: RoutedOverrides = {}): ClueRouted {
  const complaintId = overrides.complaintId ?? `c-${ulid()}`;
  const decision: RoutingDecision = {
    decisionId: ulid(),
    complaintId,
    clueId: overrides.clueId ?? ulid(),
    nature: overrides.nature ?? "discipline",
    categories: overrides.categories ?? ["bribe-demand"],
    subjects: overrides.subjects ?? { departments: [], towns: ["chengguan"] },
    discipline:
      overrides.discipline === undefined
        ? { lead: "town-chengguan", assist: ["team-1"], informed: ["dc"] }
        : overrides.discipline,
    service: overrides.service ?? null,
    transfer: overrides.transfer ?? null,
    mergedInto: overrides.mergedInto ?? null,
    reasons: [{ rule: 4, detail: "town subject chengguan" }],
    decidedAt: "2026-03-02T01:59:00.000Z",
  };
  const complaint: RoutedComplaint = {
    complaintId,
    channel: overrides.channel ?? "hotline",
    receivedAt: overrides.receivedAt ?? "2026-03-02T01:58:00.000Z",
    text: overrides.text ?? "反映城关镇某站所工作人员办事索要好处费",
    reporter: overrides.reporter ?? { kind: "real-name", hash: "a".repeat(64), identity: { ...sealedPlaceholder } },
    ...(overrides.sealedOriginal ? { sealedOriginal: overrides.sealedOriginal } : {}),
    evidence: overrides.evidence ?? [],
    origin: { line: "12388", callId: `call-${complaintId}` },
  };
  return { decision, complaint };
}

/** An anonymous reporter with a fresh receipt code; the fixture carries only its hash, as the edge sends it. */
export function anonymousReporter() {
  const code = createReceiptCode();
  return { code, reporter: { kind: "anonymous", receiptHash: hashReceiptCode(code) } as const };
}

export const eventKey = () => ({ source: "/clueline/router", id: ulid() });
