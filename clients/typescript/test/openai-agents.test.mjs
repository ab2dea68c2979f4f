// OpenAI Agents JS (the real @openai/agents runner, RunState and tool()) with a
// scripted Model, in front of a real gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { Agent, Usage, run, setTracingDisabled } from '@openai/agents';
import { Hitlgate } from '@hitlgate/client';
import { hitlgateTool, runWithHitlgate, waitForApprovals } from '@hitlgate/client/openai-agents';
import { interaction, useGateway } from './helpers/gateway.mjs';

setTracingDisabled(true);
const ctx = useGateway(Hitlgate);

/** The Model interface, scripted: each turn either calls tools or answers with text. */
class ScriptedModel {
  constructor(turns) { this.turns = turns; this.requests = []; }
  async getResponse(request) {
    this.requests.push(request);
    const turn = this.turns.shift() ?? { text: 'All done.' };
    const output = turn.calls
      ? turn.calls.map((c) => ({ type: 'function_call', id: `fc_${c.callId}`, callId: c.callId, name: c.name, arguments: JSON.stringify(c.args), status: 'completed' }))
      : [{ type: 'message', id: `msg_${this.requests.length}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: turn.text }] }];
    return { usage: new Usage(), output, responseId: `resp_${this.requests.length}` };
  }
  // eslint-disable-next-line require-yield
  async *getStreamedResponse() { throw new Error('the tests do not stream'); }
}

function refundAgent(calls) {
  const ran = [];
  const model = new ScriptedModel([{ calls }]);
  const refund = hitlgateTool(ctx.client, {
    name: 'refund',
    description: 'Refund an order',
    parameters: z.object({ order_id: z.string(), amount: z.number() }),
    execute: async ({ order_id, amount }) => { ran.push({ order_id, amount }); return `refunded ${amount} USD on ${order_id}`; },
  }, {
    workflow: 'retail-bot',
    interactionId: (ctx) => ctx.context.conversationId,
    toAction: (a) => ({ name: 'refund', amount: a.amount, currency: 'USD', params: { order_id: a.order_id } }),
    fromAction: (action) => ({ order_id: action.params.order_id, amount: action.amount }),
    event: (a) => ({ text: `I refunded ${a.amount} USD.`, intent: 'return_item', confidence: 0.9 }),
  });
  const deleteAccount = hitlgateTool(ctx.client, {
    name: 'delete_account', description: 'Delete the account', parameters: z.object({}),
    execute: async () => { ran.push({ deleted: true }); return 'deleted'; },
  }, { workflow: 'retail-bot', interactionId: (ctx) => ctx.context.conversationId });
  const agent = new Agent({ name: 'support', instructions: 'Help the customer.', model, tools: [refund, deleteAccount] });
  return { agent, model, ran, context: { conversationId: interaction('oa') } };
}

/** What the model was told about a call's result on its next turn. */
function toolResultSeen(model, callId) {
  const items = model.requests.at(-1).input;
  const r = items.find((i) => i.type === 'function_call_result' && i.callId === callId);
  return r && (typeof r.output === 'string' ? r.output : r.output?.text ?? JSON.stringify(r.output));
}

test('a held refund interrupts the run; the reviewer edits it in hitlgate; the edited call runs', async () => {
  const { agent, model, ran, context } = refundAgent([{ callId: 'call_1', name: 'refund', args: { order_id: 'o-1', amount: 150 } }]);
  const paused = await run(agent, 'Refund my order o-1', { context });
  assert.equal(paused.interruptions.length, 1);
  assert.equal(ran.length, 0);

  const tasks = await ctx.gw.call(ctx.reviewer.token, 'GET', `/v1/review/tasks?interaction_id=${context.conversationId}`);
  assert.equal(tasks.json.tasks.length, 1);
  let suspended;
  const waiting = waitForApprovals(agent, paused.state, { timeoutMs: 10000, onSuspend: (s) => { suspended = s; } });
  await ctx.reviewer.edit(tasks.json.tasks[0].id, { name: 'refund', amount: 100, currency: 'USD', params: { order_id: 'o-1' } });
  const { state, outcomes } = await waiting;
  assert.equal(typeof suspended, 'string');
  assert.ok(suspended.includes('call_1'), 'the serialized run holds the pending call');
  assert.notEqual(state, paused.state, 'the run was restored from its serialized form');
  assert.equal(outcomes[0].result, 'approved');
  assert.deepEqual(outcomes[0].args, { order_id: 'o-1', amount: 100 });

  const done = await run(agent, state);
  assert.deepEqual(ran, [{ order_id: 'o-1', amount: 100 }]);
  assert.equal(done.finalOutput, 'All done.');
  assert.match(toolResultSeen(model, 'call_1'), /refunded 100 USD on o-1/);
  const call = model.requests.at(-1).input.find((i) => i.type === 'function_call' && i.callId === 'call_1');
  assert.deepEqual(JSON.parse(call.arguments), { order_id: 'o-1', amount: 100 }, 'the history shows the call that ran');
});

// The same tool call id as in the test before, in another conversation: a separate event.
test("a rejected refund never runs and the reviewer's message reaches the model", async () => {
  const { agent, model, ran, context } = refundAgent([{ callId: 'call_1', name: 'refund', args: { order_id: 'o-2', amount: 400 } }]);
  const paused = await run(agent, 'Refund o-2', { context });
  const taskId = await ctx.reviewer.openTask(context.conversationId);
  await ctx.reviewer.reject(taskId, 'Refunds over 300 USD need a manager; we will call you today.');
  const { state, outcomes } = await waitForApprovals(agent, paused.state);
  assert.equal(outcomes[0].result, 'rejected');
  assert.equal(outcomes[0].customerMessage, 'Refunds over 300 USD need a manager; we will call you today.');
  await run(agent, state);
  assert.equal(ran.length, 0);
  assert.match(toolResultSeen(model, 'call_1'), /NOT DONE: a reviewer rejected this action\. Tell the customer: Refunds over 300 USD need a manager/);
});

test('an allowed refund runs at once; a blocked call is refused without a reviewer', async () => {
  const { agent, model, ran, context } = refundAgent([
    { callId: 'call_3', name: 'refund', args: { order_id: 'o-3', amount: 20 } },
    { callId: 'call_4', name: 'delete_account', args: {} },
  ]);
  const { result, outcomes } = await runWithHitlgate(agent, 'Refund o-3 and delete my account', { runOptions: { context } });
  assert.deepEqual(ran, [{ order_id: 'o-3', amount: 20 }]);
  assert.deepEqual(outcomes.map((o) => [o.callId, o.result, o.verdict.kind]), [['call_4', 'rejected', 'blocked']]);
  assert.match(toolResultSeen(model, 'call_4'), /policy blocks this action \(no-account-deletion\)/);
  assert.equal(result.finalOutput, 'All done.');
});

test('hitlgateTool refuses unusable options', () => {
  const t = { name: 'x', description: 'x', parameters: z.object({}), execute: async () => 'x' };
  assert.throws(() => hitlgateTool(ctx.client, t, { interactionId: () => 'c' }), /options.workflow is required/);
  assert.throws(() => hitlgateTool(ctx.client, t, { workflow: 'retail-bot' }), /interactionId must be a function/);
  assert.throws(() => hitlgateTool({}, t, { workflow: 'retail-bot', interactionId: () => 'c' }), /must be a Hitlgate client/);
});
