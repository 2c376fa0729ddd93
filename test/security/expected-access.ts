import type { ServiceName } from "../e2e/system-under-test.js";
import { type CallerName, isTokenCaller, type TokenCaller } from "./callers.js";

/** Real ids from the seeded clue, and made-up ones where any id will do. */
export interface SweepIds {
  clueId: string;
  assignmentId: string;
  complaintId: string;
  taskId: string;
  month: string;
  /** The seeded call's recording: what the reporter sent. */
  evidenceId: string;
  /** No clock of the fresh clue is missed, so no order exists: a well-formed id of none. */
  orderId: string;
  /** Likewise no extension request. */
  requestId: string;
  /** Nothing was returned (退回) on the fresh clue: a well-formed id of none. */
  returnId: string;
}

/** What is sent besides the method and path; the body is JSON (`{}` for a POST unless given). */
export interface SweepRequest {
  query?: string;
  body?: unknown;
}

/** A refusal: 403, or 404 where a different status would tell the caller that a clue exists (DESIGN §8). */
export type Refusal = 401 | 403 | 404;

/** An operation anyone may call, with or without a token: probes and metrics that carry counts only. */
export interface PublicExpectation {
  rule: string;
  auth: "public";
  allowedStatus: number;
  request?: (ids: SweepIds) => SweepRequest;
}

export interface GuardedExpectation {
  /** The rule, in DESIGN §8's or the operation's own documented words. */
  rule: string;
  /** `hmac`: the media webhook, which a signature authenticates and a bearer token cannot. */
  auth: "bearer" | "hmac";
  /** Token callers that pass authorization; a 400/404/409/415 for a dummy request still counts as passing. */
  allow: readonly TokenCaller[];
  /** The exact status an allowed caller gets, where the request is real enough to decide it. */
  allowedStatus?: number;
  /** What every other token caller gets; a caller without a valid token always gets 401. */
  refusal: Refusal;
  /** Callers refused with another status than `refusal`. */
  except?: Partial<Record<TokenCaller, Refusal>>;
  request?: (ids: SweepIds) => SweepRequest;
}

export type Expectation = PublicExpectation | GuardedExpectation;

/** `<service> <METHOD> <path as in the OpenAPI document>`. */
export type OperationKey = `${ServiceName} ${"GET" | "POST" | "PUT" | "PATCH" | "DELETE"} /${string}`;

const complaintWriters = ["complaint:write", "complaint:write pii:read"] as const;
const commission = ["commission", "commission pii:read"] as const;
const chengguan = ["unit:town-chengguan", "unit:town-chengguan pii:read"] as const;
const xiliu = ["unit:town-xiliu", "unit:town-xiliu pii:read"] as const;
const leaders = ["leader:leader-executive-deputy-mayor", "leader:leader-organization-head"] as const;

/** Token callers that may see the seeded clue: it is led by town-chengguan; the commission sees every clue. */
export const seesSeededClue: readonly TokenCaller[] = [...commission, ...chengguan];

/**
 * Every operation of the five OpenAPI documents and who may call it. A new operation fails the sweep until it
 * is classified here.
 */
export const expectedAccess: Record<OperationKey, Expectation> = {
  "hotline POST /v1/calls": { rule: "edge: complaint:write", auth: "bearer", allow: complaintWriters, refusal: 403 },
  "hotline POST /v1/calls/batch": { rule: "edge: complaint:write", auth: "bearer", allow: complaintWriters, refusal: 403 },
  "hotline POST /v1/recordings": { rule: "edge: complaint:write", auth: "bearer", allow: complaintWriters, refusal: 403 },
  "intake POST /v1/reports": { rule: "edge: complaint:write", auth: "bearer", allow: complaintWriters, refusal: 403 },
  "intake POST /v1/attachments": { rule: "edge: complaint:write", auth: "bearer", allow: complaintWriters, refusal: 403 },
  "media POST /v1/exposures": { rule: "edge: media:write", auth: "bearer", allow: ["media:write"], refusal: 403 },
  "media POST /v1/attachments": { rule: "edge: media:write", auth: "bearer", allow: ["media:write"], refusal: 403 },
  "media POST /v1/webhooks/exposures": {
    rule: "HMAC signature instead of a token: no token, however strong, gets in without one",
    auth: "hmac",
    allow: [],
    refusal: 401,
  },

  "router GET /v1/decisions/{complaintId}": {
    rule: "router /v1/*: commission",
    auth: "bearer",
    allow: commission,
    allowedStatus: 200,
    refusal: 403,
  },
  "router POST /v1/directory/reload": { rule: "router /v1/*: commission", auth: "bearer", allow: commission, refusal: 403 },

  "closure GET /v1/clues": {
    rule: "a unit lists its own clues, the commission all; nobody else lists any",
    auth: "bearer",
    allow: [...commission, ...chengguan, ...xiliu],
    allowedStatus: 200,
    refusal: 403,
  },
  "closure GET /v1/clues/{clueId}": {
    rule: "a unit sees only clues assigned to it, the commission all; 404 exactly as for no such clue",
    auth: "bearer",
    allow: seesSeededClue,
    allowedStatus: 200,
    refusal: 404,
  },
  "closure GET /v1/clues/{clueId}/reporter": {
    rule: "pii:read with commission, or a discipline body leading the discipline track (town-chengguan here), or complaint:write with a call-back due; audited",
    auth: "bearer",
    allow: ["commission pii:read", "unit:town-chengguan pii:read"],
    allowedStatus: 200,
    refusal: 403,
    // pii:read passes the scope check; then the clue is hidden from those the table does not let open it (no
    // call-back is due), with the 404 of a clue that does not exist.
    except: { "pii:read": 404, "unit:town-xiliu pii:read": 404, "complaint:write pii:read": 404 },
  },
  "closure GET /v1/clues/{clueId}/evidence": {
    rule: "a clue's evidence is listed to whoever sees the clue; 404 exactly as for no such clue",
    auth: "bearer",
    allow: seesSeededClue,
    allowedStatus: 200,
    refusal: 404,
  },
  "closure GET /v1/clues/{clueId}/evidence/{evidenceId}": {
    rule: "the reporter's recording downloads only for those who may open the reporter's identity; audited",
    auth: "bearer",
    allow: ["commission pii:read", "unit:town-chengguan pii:read"],
    allowedStatus: 200,
    refusal: 404,
    // They see the clue and its evidence listed; what the reporter sent is refused to them.
    except: { commission: 403, "unit:town-chengguan": 403 },
  },
  "closure POST /v1/clues/{clueId}/evidence": {
    rule: "a unit working the clue (or the commission) adds material; a unit not on the clue finds no such clue",
    auth: "bearer",
    allow: [...commission, ...chengguan],
    // The sweep's body is JSON, not a file type taken: refused, so nothing is stored.
    allowedStatus: 415,
    refusal: 404,
  },
  "closure POST /v1/assignments/{assignmentId}/actions": {
    rule: "only the unit holding the assignment acts; anyone else finds no such assignment",
    auth: "bearer",
    allow: chengguan,
    // `conclude` on an assignment still `assigned`: valid, and refused by the lifecycle, so nothing changes.
    allowedStatus: 409,
    refusal: 404,
    request: () => ({ body: { action: "conclude", result: "substantiated", summary: "sweep" } }),
  },
  "closure POST /v1/clues/{clueId}/reply": {
    rule: "a lead unit replies; a unit not on the clue finds no such clue",
    auth: "bearer",
    allow: chengguan,
    // The clue is open: the lifecycle refuses the reply, so nothing changes.
    allowedStatus: 409,
    refusal: 403,
    except: { "unit:town-xiliu": 404, "unit:town-xiliu pii:read": 404 },
    request: () => ({ body: { reply: "sweep" } }),
  },
  "closure POST /v1/clues/{clueId}/classify": {
    rule: "the commission classifies (分办); a unit that cannot see the clue finds no such clue, others are refused",
    auth: "bearer",
    allow: commission,
    // The seeded clue is a discipline clue: a category matched, so the classification is refused and nothing changes.
    allowedStatus: 409,
    refusal: 403,
    except: { "unit:town-xiliu": 404, "unit:town-xiliu pii:read": 404 },
    request: () => ({ body: { category: "bribe-demand" } }),
  },
  "closure GET /v1/classifications": {
    rule: "the commission's [text, category] pairs: commission only",
    auth: "bearer",
    allow: commission,
    allowedStatus: 200,
    refusal: 403,
  },
  "closure GET /v1/stream": {
    rule: "a unit streams its own clues; the commission names any unit",
    auth: "bearer",
    allow: [...commission, ...chengguan],
    allowedStatus: 200,
    refusal: 403,
    request: () => ({ query: "unit=town-chengguan" }),
  },
  "closure GET /v1/call-backs": {
    rule: "call-backs: complaint:write (hotline operators) and the commission",
    auth: "bearer",
    allow: [...complaintWriters, ...commission],
    allowedStatus: 200,
    refusal: 403,
  },
  "closure POST /v1/call-backs/{taskId}/result": {
    rule: "call-back results: complaint:write",
    auth: "bearer",
    allow: complaintWriters,
    refusal: 403,
    request: () => ({ body: { result: "satisfied" } }),
  },
  "closure POST /v1/receipts/lookup": {
    rule: "receipt look-ups: complaint:write (an intake edge on the reporter's behalf)",
    auth: "bearer",
    allow: complaintWriters,
    allowedStatus: 404,
    refusal: 403,
    request: () => ({ body: { code: "sweep-no-such-receipt-code" } }),
  },
  "closure GET /v1/rates": {
    rule: "three rates: a unit its own, commission and downstream:read all",
    auth: "bearer",
    allow: [...commission, ...chengguan, ...xiliu, "downstream:read"],
    allowedStatus: 200,
    refusal: 403,
    request: (ids) => ({ query: `month=${ids.month}` }),
  },
  "closure GET /v1/supervision-orders": {
    rule: "supervision orders: the commission all, a unit those addressed to it, a leader those escalated to it",
    auth: "bearer",
    allow: [...commission, ...chengguan, ...xiliu, ...leaders],
    allowedStatus: 200,
    refusal: 403,
  },
  "closure POST /v1/supervision-orders/{orderId}/answer": {
    rule: "only the unit an order is addressed to answers it; the sweep's id names no order, so every caller finds none",
    auth: "bearer",
    allow: [],
    refusal: 404,
    request: () => ({ body: { explanation: "sweep", promisedOn: "2199-12-31" } }),
  },
  "closure POST /v1/assignments/{assignmentId}/extension-requests": {
    rule: "only the unit holding the assignment asks for more time; anyone else finds no such assignment",
    auth: "bearer",
    allow: chengguan,
    // The assignment is not accepted, so it has no conclusion clock: refused, and nothing changes.
    allowedStatus: 409,
    refusal: 404,
    request: () => ({ body: { kind: "conclude", workingDays: 1, reason: "sweep" } }),
  },
  "closure GET /v1/extension-requests": {
    rule: "extension requests: the commission all, a unit its own",
    auth: "bearer",
    allow: [...commission, ...chengguan, ...xiliu],
    allowedStatus: 200,
    refusal: 403,
  },
  "closure POST /v1/extension-requests/{requestId}/decision": {
    rule: "the commission decides extension requests; the sweep's id names none",
    auth: "bearer",
    allow: commission,
    allowedStatus: 404,
    refusal: 403,
    request: () => ({ body: { decision: "refuse" } }),
  },
  "closure GET /v1/returns": {
    rule: "returns (退回): the commission all, a unit those its units made",
    auth: "bearer",
    allow: [...commission, ...chengguan, ...xiliu],
    allowedStatus: 200,
    refusal: 403,
  },
  "closure GET /v1/returns/{returnId}": {
    rule: "one return: the commission any, a unit its own; the sweep's id names none, so units and the commission find none",
    auth: "bearer",
    allow: [],
    refusal: 403,
    except: {
      commission: 404,
      "commission pii:read": 404,
      "unit:town-chengguan": 404,
      "unit:town-chengguan pii:read": 404,
      "unit:town-xiliu": 404,
      "unit:town-xiliu pii:read": 404,
    },
  },
  "closure POST /v1/returns/{returnId}/decision": {
    rule: "the commission decides returns (uphold, 改派); the sweep's id names none, and a unit finds none of its own",
    auth: "bearer",
    allow: commission,
    allowedStatus: 404,
    refusal: 403,
    except: {
      "unit:town-chengguan": 404,
      "unit:town-chengguan pii:read": 404,
      "unit:town-xiliu": 404,
      "unit:town-xiliu pii:read": 404,
    },
    request: () => ({ body: { decision: "uphold" } }),
  },
  "closure POST /v1/clues/{clueId}/redo": {
    rule: "the commission sends a concluded clue back (发回重办); a unit that cannot see the clue finds no such clue",
    auth: "bearer",
    allow: commission,
    // The seeded clue is open: the lifecycle refuses the redo, so nothing changes.
    allowedStatus: 409,
    refusal: 403,
    except: { "unit:town-xiliu": 404, "unit:town-xiliu pii:read": 404 },
    request: () => ({ body: { basis: "review", reason: "sweep" } }),
  },
  "closure GET /health/calendar": {
    rule: "public like /readyz: counts of calendar-pending deadlines only",
    auth: "public",
    allowedStatus: 200,
  },
  "closure GET /metrics/calendar": { rule: "public like /metrics", auth: "public", allowedStatus: 200 },
  "closure GET /v1/ranking": {
    rule: "red/black ranking: commission and downstream:read",
    auth: "bearer",
    allow: [...commission, "downstream:read"],
    allowedStatus: 200,
    refusal: 403,
    request: (ids) => ({ query: `month=${ids.month}` }),
  },
};

/** Routes the kit gives every service outside its OpenAPI document, served to anyone: probes, metrics, the API description. */
export const publicPaths = ["/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"] as const;

/** What one caller must get: "allow" (past authorization), or the refusal status. */
export function expectedFor(expectation: Expectation, caller: CallerName): "allow" | Refusal {
  if (expectation.auth === "public") return "allow";
  if (!isTokenCaller(caller)) return 401;
  if (expectation.allow.includes(caller)) return "allow";
  return expectation.except?.[caller] ?? expectation.refusal;
}
