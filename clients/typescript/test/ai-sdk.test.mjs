// Vercel AI SDK (the real `ai` generateText, tool() and tool approval) with
// ai/test's MockLanguageModelV3, in front of a real gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { generateText, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { Hitlgate } from '@hitlgate/client';
import { hitlgateTool, resolveApprovals } from '@hitlgate/client/ai-sdk';
import { interaction, useGateway } from './helpers/gateway.mjs';

const ctx = useGateway(Hitlgate);

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };
const callsTurn = (calls) => ({
  content: calls.map((c) => ({ type: 'tool-call', toolCallId: c.id, toolName: c.name, input: JSON.stringify(c.args) })),
  finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage, warnings: [],
});
const textTurn = (text) => ({ content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] });

function refundSetup(calls) {
  const ran = [];
  const conversation = interaction('ai');
  const model = new MockLanguageModelV3({ doGenerate: [callsTurn(calls), textTurn('All done.')] });
  const tools = {
    refund: hitlgateTool(ctx.client, 'refund', tool({
      description: 'Refund an order',
      inputSchema: z.object({ order_id: z.string(), amount: z.number() }),
      execute: async ({ order_id, amount }) => { ran.push({ order_id, amount }); return `refunded ${amount} USD on ${order_id}`; },
    }), {
      workflow: 'retail-bot',
      interactionId: conversation,
      toAction: (a) => ({ name: 'refund', amount: a.amount, currency: 'USD', params: { order_id: a.order_id } }),
      fromAction: (action) => ({ order_id: action.params.order_id, amount: action.amount }),
      event: (a) => ({ text: `I refunded ${a.amount} USD.`, intent: 'return_item', confidence: 0.9 }),
    }),
  };
  return { ran, conversation, model, tools };
}

/** The tool results the model saw in its last prompt, by tool call id. */
function toolResultsSeen(model) {
  const prompt = model.doGenerateCalls.at(-1).prompt;
  const out = {};
  for (const m of prompt) if (m.role === 'tool') for (const p of m.content) if (p.type === 'tool-result') out[p.toolCallId] = JSON.stringify(p.output);
  return out;
}

test('a held refund comes back as an approval request; the reviewer edits it in hitlgate; the edited call runs', async () => {
  const { ran, conversation, model, tools } = refundSetup([{ id: 'call_1', name: 'refund', args: { order_id: 'o-1', amount: 150 } }]);
  const messages = [{ role: 'user', content: 'Refund my order o-1' }];
  const first = await generateText({ model, tools, messages });
  const requests = first.content.filter((p) => p.type === 'tool-approval-request');
  assert.equal(requests.length, 1);
  assert.equal(requests[0].toolCall.toolCallId, 'call_1');
  assert.equal(ran.length, 0);

  const taskId = await ctx.reviewer.openTask(conversation);
  await ctx.reviewer.edit(taskId, { name: 'refund', amount: 100, currency: 'USD', params: { order_id: 'o-1' } });
  const { messages: next, outcomes } = await resolveApprovals(tools, [...messages, ...first.response.messages], { timeoutMs: 10000 });
  assert.deepEqual(outcomes.map((o) => [o.toolCallId, o.approved, o.input]), [['call_1', true, { order_id: 'o-1', amount: 100 }]]);

  const second = await generateText({ model, tools, messages: next });
  assert.deepEqual(ran, [{ order_id: 'o-1', amount: 100 }]);
  assert.match(toolResultsSeen(model).call_1, /refunded 100 USD on o-1/);
  assert.equal(second.text, 'All done.');
  const tasks = await ctx.gw.call(ctx.reviewer.token, 'GET', `/v1/review/tasks?interaction_id=${conversation}`);
  assert.equal(tasks.json.tasks.length, 1, 'asking needsApproval again opened no second task');
});

// The same tool call id as in the test before, in another conversation: a separate event.
test("a rejected refund never runs and the reviewer's message reaches the model", async () => {
  const { ran, conversation, model, tools } = refundSetup([{ id: 'call_1', name: 'refund', args: { order_id: 'o-2', amount: 500 } }]);
  const messages = [{ role: 'user', content: 'Refund o-2' }];
  const first = await generateText({ model, tools, messages });
  await ctx.reviewer.reject(await ctx.reviewer.openTask(conversation), 'We will send a replacement instead of a refund.');
  const { messages: next, outcomes } = await resolveApprovals(tools, [...messages, ...first.response.messages]);
  assert.equal(outcomes[0].approved, false);
  assert.equal(outcomes[0].customerMessage, 'We will send a replacement instead of a refund.');
  await generateText({ model, tools, messages: next });
  assert.equal(ran.length, 0);
  assert.match(toolResultsSeen(model).call_1, /reviewer rejected this action\. Tell the customer: We will send a replacement instead of a refund\./);
});

test('an allowed refund runs at once and a held one waits, in the same turn', async () => {
  const { ran, conversation, model, tools } = refundSetup([
    { id: 'call_3', name: 'refund', args: { order_id: 'o-3', amount: 20 } },
    { id: 'call_4', name: 'refund', args: { order_id: 'o-4', amount: 130 } },
  ]);
  const messages = [{ role: 'user', content: 'Refund o-3 and o-4' }];
  const first = await generateText({ model, tools, messages });
  assert.deepEqual(ran, [{ order_id: 'o-3', amount: 20 }]);
  assert.deepEqual(first.content.filter((p) => p.type === 'tool-approval-request').map((p) => p.toolCall.toolCallId), ['call_4']);
  await ctx.reviewer.approve(await ctx.reviewer.openTask(conversation));
  const { messages: next } = await resolveApprovals(tools, [...messages, ...first.response.messages]);
  await generateText({ model, tools, messages: next });
  assert.deepEqual(ran, [{ order_id: 'o-3', amount: 20 }, { order_id: 'o-4', amount: 130 }]);
});

test('hitlgateTool and resolveApprovals refuse unusable arguments', async () => {
  const t = tool({ description: 'x', inputSchema: z.object({}), execute: async () => 'x' });
  assert.throws(() => hitlgateTool(ctx.client, '', t, { workflow: 'retail-bot', interactionId: 'c' }), /tool name is required/);
  assert.throws(() => hitlgateTool(ctx.client, 'x', t, { interactionId: 'c' }), /options.workflow is required/);
  assert.throws(() => hitlgateTool(ctx.client, 'x', t, { workflow: 'retail-bot' }), /interactionId must be a string or a function/);
  await assert.rejects(resolveApprovals({}, 'not messages'), /pass the tools and the conversation/);
});
