// The second half of `npm run demo`: inspectors act on their units' clues in the closure service, an operator
// records a call-back, an anonymous reporter follows up with a receipt code, and the clues' states are shown.

async function waitForClue({ call, tokenFor, clueId }) {
  for (let attempt = 0; attempt < 60; attempt++) {
    const { status, body } = await call("closure", `/v1/clues/${clueId}`, { tokenFor });
    if (status === 200) return body;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`clue ${clueId} did not reach the closure ledger in 30 s`);
}

async function act({ call, tokenFor, assignmentId, action }) {
  const { status, body } = await call("closure", `/v1/assignments/${assignmentId}/actions`, {
    method: "POST",
    tokenFor,
    body: action,
  });
  if (status !== 200) throw new Error(`${action.action} on ${assignmentId}: HTTP ${status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * Waits until the ledger has applied the complaint: the clue it opened, or (rule 8) the supplement it merged into an
 * existing clue, which a run on the same data meets when the same real-name reporter calls again.
 */
async function waitForComplaint({ call, tokenFor, clueId, complaintId }) {
  for (let attempt = 0; attempt < 60; attempt++) {
    const clue = await waitForClue({ call, tokenFor, clueId });
    if (clue.complaintId === complaintId || clue.history.some((entry) => entry.payload.complaintId === complaintId)) return clue;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`complaint ${complaintId} did not reach clue ${clueId} in the closure ledger in 30 s`);
}

/** What the lead does next from the state the ledger reports: a reopened lead disposes of the clue again. */
const nextActions = {
  assigned: ["accept", "dispose", "progress", "conclude"],
  accepted: ["dispose", "progress", "conclude"],
  "in-progress": ["dispose", "progress", "conclude"],
  concluded: [],
  rejected: [],
  transferred: [],
};

/** Tells what a supplement did to the clue it was merged into, from the clue's own history. */
function describeSupplement(clue, complaintId) {
  const reopened = clue.history.find((entry) => entry.event === "clue.reopened" && entry.payload.complaintId === complaintId);
  if (reopened) {
    const units = reopened.payload.leadUnits?.join(", ") ?? "its leads";
    return `the same real-name reporter again, merged into clue ${clue.clueId} (rule 8), which was already finished: reopened (reopen #${reopened.payload.reopenCount}), lead work of ${units} back in progress with fresh clocks`;
  }
  return `the same real-name reporter again, merged into open clue ${clue.clueId} (rule 8) as a supplement`;
}

/** Acts as the lead on what the ledger says the assignment's state is, then replies: the loop of one lead assignment. */
async function handleAsLead({ call, token, unitId, outcome, disposition, result, summary, reply }) {
  const inspector = await token(`inspector-${unitId}`, [`unit:${unitId}`]);
  const { clueId } = outcome.decision;
  const clue = await waitForComplaint({ call, tokenFor: inspector, clueId, complaintId: outcome.complaintId });
  if (outcome.decision.mergedInto) console.log(`  ${describeSupplement(clue, outcome.complaintId)}`);
  const assignment = clue.assignments.find((a) => a.unitId === unitId && a.role === "lead");
  if (!assignment) throw new Error(`${unitId} does not lead clue ${clueId}`);
  console.log(`  ${unitId} inspector on clue ${clueId} (${clue.state}): assignment ${assignment.state}`);
  for (const name of nextActions[assignment.state]) {
    const action = {
      accept: { action: "accept" },
      dispose: { action: "dispose", disposition },
      progress: { action: "progress", note: "已调取相关材料，约谈当事人。" },
      conclude: { action: "conclude", result, summary },
    }[name];
    const after = await act({ call, tokenFor: inspector, assignmentId: assignment.assignmentId, action });
    console.log(`    ${name.padEnd(9)} → assignment ${after.state}`);
  }
  const now = await waitForClue({ call, tokenFor: inspector, clueId });
  if (now.state !== "concluded") {
    console.log(`    no reply: the clue is ${now.state}`);
    return inspector;
  }
  const replied = await call("closure", `/v1/clues/${clueId}/reply`, { method: "POST", tokenFor: inspector, body: { reply } });
  console.log(`    reply     → HTTP ${replied.status}`);
  return inspector;
}

export async function runInspectorActs({ outcomes, call, token }) {
  const commission = await token("demo-commission", ["commission"]);
  const operator = await token("demo-operator", ["complaint:write"]);
  const byLabel = (fragment) => outcomes.find((o) => o.step.label.includes(fragment));

  console.log("\nInspectors act on their clues (closure service)\n");
  const chengguan = byLabel("城关镇工作人员");
  if (chengguan) {
    await handleAsLead({
      call,
      token,
      unitId: "town-chengguan",
      outcome: chengguan,
      disposition: "preliminary-verification",
      result: "substantiated",
      summary: "经初步核实，反映问题属实，已立案审查。",
      reply: "您反映的问题经核实属实，已依规依纪处理。",
    });
    const tasks = await call("closure", "/v1/call-backs", { tokenFor: operator });
    const task = tasks.body?.items?.find((t) => t.clueId === chengguan.decision.clueId);
    if (task) {
      const recorded = await call("closure", `/v1/call-backs/${task.taskId}/result`, {
        method: "POST",
        tokenFor: operator,
        body: { result: "satisfied" },
      });
      console.log(`  hotline call-back to the real-name reporter: satisfied → HTTP ${recorded.status}`);
    } else {
      console.log(`  no call-back task listed yet for clue ${chengguan.decision.clueId} (HTTP ${tasks.status})`);
    }
  }
  const market = byLabel("市场监管局");
  if (market) {
    await handleAsLead({
      call,
      token,
      unitId: "dept-market",
      outcome: market,
      disposition: "handling",
      result: "resolved",
      summary: "已督促窗口当日办结营业执照变更。",
      reply: "您反映的营业执照变更已于当日办结，窗口人员已批评教育。",
    });
    if (market.receiptCode) {
      const lookup = await call("closure", "/v1/receipts/lookup", {
        method: "POST",
        tokenFor: operator,
        body: { code: market.receiptCode },
      });
      console.log(
        `  anonymous reporter looks up receipt ${market.receiptCode}: HTTP ${lookup.status} ${JSON.stringify(lookup.body)}`,
      );
    }
  }
  const xiliu = await token("inspector-town-xiliu", ["unit:town-xiliu"]);
  if (chengguan) {
    const peek = await call("closure", `/v1/clues/${chengguan.decision.clueId}`, { tokenFor: xiliu });
    console.log(`  town-xiliu asks for town-chengguan's clue: HTTP ${peek.status} (a unit never sees another unit's clue)`);
  }

  console.log("\nClues now (the district commission's view)\n");
  for (const outcome of outcomes) {
    const { status, body } = await call("closure", `/v1/clues/${outcome.decision.clueId}`, { tokenFor: commission });
    const state =
      status === 200 ? `${body.state}${body.reopenCount > 0 ? ` (reopened ${body.reopenCount}×)` : ""}` : `HTTP ${status}`;
    const assignments = status === 200 ? body.assignments.map((a) => `${a.unitId}:${a.role}:${a.state}`).join(" ") : "";
    console.log(`  ${outcome.step.label}\n    clue ${outcome.decision.clueId} ${state} ${assignments}`);
  }
}
