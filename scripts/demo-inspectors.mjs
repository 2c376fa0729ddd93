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

/** Accept, choose a disposition, conclude, and reply: the whole loop of one lead assignment. */
async function handleAsLead({ call, token, unitId, clueId, disposition, result, summary, reply }) {
  const inspector = await token(`inspector-${unitId}`, [`unit:${unitId}`]);
  const clue = await waitForClue({ call, tokenFor: inspector, clueId });
  const assignment = clue.assignments.find((a) => a.unitId === unitId && a.role === "lead");
  if (!assignment) throw new Error(`${unitId} does not lead clue ${clueId}`);
  console.log(`  ${unitId} inspector on clue ${clueId}: assignment ${assignment.state}`);
  for (const action of [
    { action: "accept" },
    { action: "dispose", disposition },
    { action: "progress", note: "已调取相关材料，约谈当事人。" },
    { action: "conclude", result, summary },
  ]) {
    const after = await act({ call, tokenFor: inspector, assignmentId: assignment.assignmentId, action });
    console.log(`    ${action.action.padEnd(9)} → assignment ${after.state}`);
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
      clueId: chengguan.decision.clueId,
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
      clueId: market.decision.clueId,
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
    const state = status === 200 ? body.state : `HTTP ${status}`;
    const assignments = status === 200 ? body.assignments.map((a) => `${a.unitId}:${a.role}:${a.state}`).join(" ") : "";
    console.log(`  ${outcome.step.label}\n    clue ${outcome.decision.clueId} ${state} ${assignments}`);
  }
}
