// Each deadline fallback end to end: a real gateway runs deadline-policy.yaml, where each
// action of voice-bot names one fallback; nobody answers before the event's deadline_ms.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { generateText, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { Hitlgate, HitlgateHandedOff, HitlgateProtocolError, HitlgateTimeout } from '@hitlgate/client';
import { hitlgateTool, resolveApprovals } from '@hitlgate/client/ai-sdk';
import { interaction, startGateway } from './helpers/gateway.mjs';

const POLICY = fileURLToPath(new URL('./deadline-policy.yaml', import.meta.url));
const WAIT_MESSAGE = 'Let me check that with a colleague, one moment.';
const CUSTOMER_MESSAGE = "I couldn't confirm that just now; a colleague will call you back.";
const DEADLINE_MS = 300;
let gw, agentKey, reviewer;

before(async () => {
  gw = await startGateway({ args: ['--policy', POLICY] });
  agentKey = await gw.key('agent');
  reviewer = await gw.reviewer();
});
after(() => gw?.stop());

const client = (extra = {}) => new Hitlgate({ baseUrl: gw.url, apiKey: agentKey, ...extra });

function proposal(action) {
  return { interaction_id: interaction(), workflow: 'voice-bot', text: `Done: ${action}.`, action: { name: action, params: { order_id: 'o-7' } } };
}

/** gate() with the deadline; returns what it threw, what onHold heard and whether run ran. */
async function gateUntilRefused(c, p) {
  const holds = [];
  let ran = false;
  const error = await c.gate(p, () => { ran = true; }, { deadlineMs: DEADLINE_MS, onHold: (d) => { holds.push(d); } }).then(
    () => assert.fail('gate() resolved'),
    (e) => e,
  );
  return { error, hold: holds[0], holds: holds.length, ran };
}

test('fail_closed: HitlgateTimeout with the policy\'s customer message; onHold heard the wait message; nothing runs', async () => {
  const { error, hold, holds, ran } = await gateUntilRefused(client(), proposal('refund'));
  assert.equal(holds, 1);
  assert.equal(hold.on_deadline, 'fail_closed');
  assert.equal(hold.wait_message, WAIT_MESSAGE);
  assert.equal(hold.deadline_ms, DEADLINE_MS);
  assert.ok(Date.parse(hold.deadline_at) > 0, `deadline_at ${hold.deadline_at}`);
  assert.ok(error instanceof HitlgateTimeout && !(error instanceof HitlgateHandedOff), String(error));
  assert.equal(error.fallback, 'fail_closed');
  assert.equal(error.customerMessage, CUSTOMER_MESSAGE);
  assert.equal(error.taskId, hold.task_id);
  assert.equal(ran, false);
  assert.equal((await client().getTask(hold.task_id)).status, 'expired');
});

test('fail_open: runs the original proposal, unreviewed and without a receipt', async () => {
  const p = proposal('lookup_order');
  const runs = [];
  const out = await client().gate(p, (a) => { runs.push(a); return 'looked up'; }, { deadlineMs: DEADLINE_MS });
  assert.equal(out, 'looked up');
  assert.equal(runs.length, 1);
  const [a] = runs;
  assert.equal(a.decision.on_deadline, 'fail_open');
  assert.equal(a.failOpen, true);
  assert.equal(a.edited, false);
  assert.equal(a.receipt, undefined);
  assert.equal(a.verdict.kind, 'expired');
  assert.equal(a.verdict.fallback, 'fail_open');
  assert.deepEqual(a.action, p.action);
  assert.equal(a.text, p.text);
});

test('a fail_open answer for a hold that announced fail_closed is refused; nothing runs', async () => {
  // A proxy (or a bug) turns the fail_closed expiry into a fail_open one on the way back.
  const rewriting = async (url, init) => {
    const res = await fetch(url, init);
    if (!/\/v1\/tasks\//.test(String(url))) return res;
    const task = await res.json();
    if (task.status === 'expired') task.final = { deliver: true, fallback: 'fail_open', action: { name: 'refund' }, text: 'Refunded.' };
    return new Response(JSON.stringify(task), { status: res.status, headers: res.headers });
  };
  const { error, hold, ran } = await gateUntilRefused(client({ fetch: rewriting }), proposal('refund'));
  assert.equal(hold.on_deadline, 'fail_closed');
  assert.ok(error instanceof HitlgateProtocolError, String(error));
  assert.match(error.message, /announced on_deadline "fail_closed"/);
  assert.equal(ran, false);
});

test("handoff: HitlgateHandedOff with the customer message and task id; waitForVerdict({ throughHandoff }) gets the person's reply", async () => {
  const c = client();
  const { error, hold, ran } = await gateUntilRefused(c, proposal('change_address'));
  assert.equal(hold.on_deadline, 'handoff');
  assert.ok(error instanceof HitlgateHandedOff && error instanceof HitlgateTimeout, String(error));
  assert.match(error.message, /a person took over/);
  assert.equal(error.fallback, 'handoff');
  assert.equal(error.customerMessage, CUSTOMER_MESSAGE);
  assert.equal(error.taskId, hold.task_id);
  assert.equal(ran, false);

  // Until the person answers, the agent sees the expiry, on a task that is now a handoff.
  const expired = await c.waitForVerdict(error.taskId, { timeoutMs: 5000 });
  assert.equal(expired.kind, 'expired');
  assert.equal(expired.fallback, 'handoff');
  assert.equal(expired.task.kind, 'handoff');

  const changed = { name: 'change_address', params: { order_id: 'o-7', street: '1 New Road' } };
  setTimeout(() => reviewer.edit(error.taskId, changed, { edited_text: 'I changed your address to 1 New Road.' }), 300);
  const answered = await c.waitForVerdict(error.taskId, { throughHandoff: true, handoffPollMs: 100, timeoutMs: 10000 });
  assert.equal(answered.kind, 'deliver');
  assert.equal(answered.text, 'I changed your address to 1 New Road.');
  assert.deepEqual(answered.action, changed);
  await c.verifyReceipt(answered.receipt, answered.action, { taskId: error.taskId });
});

test('throughHandoff still ends at the caller\'s own timeout while nobody answers', async () => {
  const c = client();
  const { error } = await gateUntilRefused(c, proposal('change_address'));
  assert.ok(error instanceof HitlgateHandedOff, String(error));
  const started = Date.now();
  const v = await c.waitForVerdict(error.taskId, { throughHandoff: true, handoffPollMs: 100, timeoutMs: 400 });
  assert.equal(v.kind, 'timed_out');
  assert.ok(Date.now() - started >= 380);
});

test('an adapter (AI SDK) runs the fail_open call and tells the model a person took over the handed-off one', async () => {
  const conversation = interaction('ai');
  const ran = [];
  const gated = (name) => hitlgateTool(client(), name, tool({
    description: name,
    inputSchema: z.object({ order_id: z.string() }),
    execute: async ({ order_id }) => { ran.push(name); return `${name} done for ${order_id}`; },
  }), { workflow: 'voice-bot', interactionId: conversation, deadlineMs: DEADLINE_MS });
  const tools = { lookup_order: gated('lookup_order'), change_address: gated('change_address') };
  const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };
  const model = new MockLanguageModelV3({ doGenerate: [
    { content: ['lookup_order', 'change_address'].map((name, i) => ({ type: 'tool-call', toolCallId: `call_${i}`, toolName: name, input: '{"order_id":"o-7"}' })),
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage, warnings: [] },
    { content: [{ type: 'text', text: 'ok' }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] },
  ] });
  const messages = [{ role: 'user', content: 'Where is o-7? And change its address.' }];
  const first = await generateText({ model, tools, messages });
  const { messages: next, outcomes } = await resolveApprovals(tools, [...messages, ...first.response.messages]);
  assert.deepEqual(outcomes.map((o) => [o.tool, o.approved, o.verdict.kind, o.verdict.fallback]),
    [['lookup_order', true, 'expired', 'fail_open'], ['change_address', false, 'expired', 'handoff']]);
  assert.equal(outcomes[1].customerMessage, CUSTOMER_MESSAGE);
  await generateText({ model, tools, messages: next });
  assert.deepEqual(ran, ['lookup_order']);
  const seen = JSON.stringify(model.doGenerateCalls.at(-1).prompt);
  assert.match(seen, /a person is taking over the conversation\. Tell the customer: I couldn't confirm that just now/);
});
