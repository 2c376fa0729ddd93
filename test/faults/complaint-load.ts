import { setTimeout as sleep } from "node:timers/promises";

/** What the clients saw: the complaint ids that got a 202, and everything that did not go smoothly. */
export interface LoadResult {
  /** Idempotency-Key → complaint id, for every complaint that got a 202. */
  accepted: Map<string, string>;
  /** 503 answers, each retried with the same key and body as a client would. */
  retried503: number;
  /** Requests that failed without an answer (connection refused or reset), retried the same way. */
  retriedNetwork: number;
  /** Answers that are neither 202 nor 503: none are expected. */
  refused: { key: string; status: number; body: string }[];
  /** Complaints still without a 202 when their retry budget ran out. */
  gaveUp: string[];
  durationMs: number;
}

export interface ComplaintLoad {
  /** How many complaints have been sent at least once. */
  readonly started: number;
  /** False once the last complaint was sent. */
  readonly sending: boolean;
  done: Promise<LoadResult>;
}

const towns = [
  "城关镇",
  "东关街道",
  "西关街道",
  "马坊镇",
  "石佛镇",
  "柳林镇",
  "白鹿镇",
  "郭杜镇",
  "王曲镇",
  "细柳镇",
  "韦曲街道",
  "龙首街道",
];
const departments = ["区市场监督管理局", "区住房和城乡建设局", "区人力资源和社会保障局", "区交通运输局"];
const conduct = [
  "工作人员办理宅基地审批时索要好处费",
  "干部上班时间公车私用接送孩子",
  "站所负责人工作日中午公款吃喝",
  "村干部虚报加班费发福利",
];

/** Every tenth complaint is real-name, from one of twenty reporters who each keep writing about one town: merges. */
function complaintOf(index: number): { service: "hotline" | "intake"; path: string; body: Record<string, unknown> } {
  const reporterNo = Math.floor(index / 10) % 20;
  const realName = index % 10 === 0;
  const town = towns[(realName ? reporterNo : index) % towns.length] as string;
  const text =
    index % 3 === 0
      ? `${departments[index % departments.length]}窗口办理执照变更材料齐全却迟迟不批（第${index}号）。`
      : `反映${town}${conduct[index % conduct.length]}（第${index}号）。`;
  const reporter = realName
    ? { kind: "real-name", name: `测试举报人${reporterNo}`, phone: `1390000${String(1000 + reporterNo)}` }
    : { kind: "anonymous" };
  if (index % 2 === 0) {
    const at = new Date().toISOString();
    const line = index % 4 === 0 ? "12388" : "12345";
    return {
      service: "hotline",
      path: "/v1/calls",
      body: { line, callId: `F-${index}`, operatorId: "op-faults", startedAt: at, endedAt: at, reporter, summary: text },
    };
  }
  return { service: "intake", path: "/v1/reports", body: { form: "web", reporter, text } };
}

/**
 * Open-loop load into hotline and intake: complaint `i` leaves at `i / ratePerSecond` unless `concurrency`
 * requests are already in flight (after a stall the load catches up at full concurrency). It sends `minCount`
 * complaints and goes on while `keepGoing()` says so, so faults that take long to recover from still happen under
 * load; never more than `maxCount`. Each request carries an Idempotency-Key; a 503 or a lost connection is
 * retried with the same key and body after a growing pause, for up to `retryBudgetMs`, as a client would.
 *
 * @example
 * const load = startComplaintLoad({ urls, token, minCount: 2_000, maxCount: 8_000, ratePerSecond: 100,
 *   concurrency: 64 });
 * const result = await load.done;
 */
export function startComplaintLoad(options: {
  urls: { hotline: string; intake: string };
  token: string;
  minCount: number;
  maxCount: number;
  keepGoing?: () => boolean;
  ratePerSecond: number;
  concurrency: number;
  retryBudgetMs?: number;
}): ComplaintLoad {
  const result: LoadResult = { accepted: new Map(), retried503: 0, retriedNetwork: 0, refused: [], gaveUp: [], durationMs: 0 };
  const budget = options.retryBudgetMs ?? 180_000;
  let started = 0;
  let sending = true;

  async function send(index: number): Promise<void> {
    const { service, path, body } = complaintOf(index);
    const key = `faults-${index}`;
    const giveUpAt = Date.now() + budget;
    for (let attempt = 0; Date.now() < giveUpAt; attempt++) {
      if (attempt > 0) await sleep(Math.min(2_000, 100 * 2 ** attempt));
      const response = await fetch(options.urls[service] + path, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${options.token}`, "idempotency-key": key },
        body: JSON.stringify(body),
      }).catch(() => undefined);
      if (!response) {
        result.retriedNetwork += 1;
        continue;
      }
      const text = await response.text();
      if (response.status === 202) {
        result.accepted.set(key, (JSON.parse(text) as { complaintId: string }).complaintId);
        return;
      }
      if (response.status === 503) {
        result.retried503 += 1;
        continue;
      }
      result.refused.push({ key, status: response.status, body: text.slice(0, 300) });
      return;
    }
    result.gaveUp.push(key);
  }

  async function run(): Promise<LoadResult> {
    const t0 = Date.now();
    const inFlight = new Set<Promise<void>>();
    for (let index = 0; index < options.maxCount && (index < options.minCount || options.keepGoing?.()); index++) {
      const due = t0 + (index * 1000) / options.ratePerSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      const request = send(index).finally(() => inFlight.delete(request));
      inFlight.add(request);
      started = index + 1;
    }
    sending = false;
    await Promise.all(inFlight);
    result.durationMs = Date.now() - t0;
    return result;
  }

  return {
    get started() {
      return started;
    },
    get sending() {
      return sending;
    },
    done: run(),
  };
}
