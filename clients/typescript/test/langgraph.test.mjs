// LangGraph.js (the real @langchain/langgraph, its MemorySaver checkpointer and
// LangChain's fake chat models) with gated tools in front of a real gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { z } from 'zod';
import { MemorySaver, MessagesAnnotation, StateGraph, START } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { tool } from '@langchain/core/tools';
import { AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { FakeListChatModel, FakeStreamingChatModel } from '@langchain/core/utils/testing';
import { Hitlgate, verifyWebhook } from '@hitlgate/client';
import { gateTool, pendingApprovals, resumeFromWebhook, routeToolCalls, waitForResume } from '@hitlgate/client/langgraph';
import { interaction, useGateway } from './helpers/gateway.mjs';

const ctx = useGateway(Hitlgate);

/** A graph whose scripted model asks for `calls` refunds, then answers "All done." */
function refundAgent(calls, gateClient = ctx.client) {
  const ran = [];
  const refund = tool(async ({ order_id, amount }) => {
    ran.push({ order_id, amount });
    return `refunded ${amount} USD on ${order_id}`;
  }, { name: 'refund', description: 'Refund an order', schema: z.object({ order_id: z.string(), amount: z.number() }) });
  const gated = gateTool(gateClient, refund, {
    workflow: 'retail-bot',
    toAction: (a) => ({ name: 'refund', amount: a.amount, currency: 'USD', params: { order_id: a.order_id } }),
    fromAction: (action) => ({ order_id: action.params.order_id, amount: action.amount }),
    event: (a) => ({ text: `I refunded ${a.amount} USD.`, intent: 'return_item', confidence: 0.9 }),
  });
  const toolCalling = new FakeStreamingChatModel({
    chunks: [new AIMessageChunk({ content: '', tool_calls: calls.map((args, i) => ({ id: `call_${i}`, name: 'refund', args, type: 'tool_call' })) })],
  });
  const answering = new FakeListChatModel({ responses: ['All done.'] });
  const agent = async (state) => {
    const last = state.messages[state.messages.length - 1];
    const model = last.getType() === 'human' ? toolCalling : answering;
    return { messages: [await model.invoke(state.messages)] };
  };
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('agent', agent)
    .addNode('tools', new ToolNode([gated]))
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', routeToolCalls('tools'), ['tools', '__end__'])
    .addEdge('tools', 'agent')
    .compile({ checkpointer: new MemorySaver() });
  return { graph, ran };
}

const toolMessages = (result) => result.messages.filter((m) => m.getType() === 'tool').map((m) => String(m.content));

test('a held refund pauses the graph; the reviewer edits it in hitlgate; the edited call runs', async () => {
  const { graph, ran } = refundAgent([{ order_id: 'o-1', amount: 150 }]);
  const config = { configurable: { thread_id: interaction('lg') } };
  const paused = await graph.invoke({ messages: [new HumanMessage('Refund my order o-1 please')] }, config);
  const pending = pendingApprovals(paused);
  assert.equal(pending.length, 1);
  assert.deepEqual(pending[0].args, { order_id: 'o-1', amount: 150 });
  assert.equal(ran.length, 0, 'nothing ran while held');

  await ctx.reviewer.edit(pending[0].taskId, { name: 'refund', amount: 100, currency: 'USD', params: { order_id: 'o-1' } });
  const resumed = await graph.invoke(await waitForResume(ctx.client, pending, { timeoutMs: 10000 }), config);
  assert.deepEqual(ran, [{ order_id: 'o-1', amount: 100 }]);
  assert.deepEqual(toolMessages(resumed), ['refunded 100 USD on o-1']);
  assert.equal(resumed.messages.at(-1).content, 'All done.');
  assert.deepEqual(pendingApprovals(await graph.getState(config)), []);
});

test("a rejected refund never runs and the reviewer's message reaches the model", async () => {
  const { graph, ran } = refundAgent([{ order_id: 'o-2', amount: 300 }]);
  const config = { configurable: { thread_id: interaction('lg') } };
  const pending = pendingApprovals(await graph.invoke({ messages: [new HumanMessage('Refund o-2')] }, config));
  await ctx.reviewer.reject(pending[0].taskId, 'This order is outside the return window; we can offer store credit.');
  const resumed = await graph.invoke(await waitForResume(ctx.client, pending), config);
  assert.equal(ran.length, 0);
  const [msg] = toolMessages(resumed);
  assert.match(msg, /^NOT DONE: a reviewer rejected this action\./);
  assert.match(msg, /outside the return window; we can offer store credit/);
});

test('a refund the policy allows runs at once, without an interrupt', async () => {
  const { graph, ran } = refundAgent([{ order_id: 'o-3', amount: 20 }]);
  const result = await graph.invoke({ messages: [new HumanMessage('Refund o-3')] }, { configurable: { thread_id: interaction('lg') } });
  assert.deepEqual(pendingApprovals(result), []);
  assert.deepEqual(ran, [{ order_id: 'o-3', amount: 20 }]);
});

test('two held calls in flight: one resumed by id from a webhook delivery, the other later by polling', async () => {
  const secret = 'lg-webhook-secret-0123456789';
  const deliveries = [];
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { deliveries.push({ headers: req.headers, body: Buffer.concat(chunks) }); res.writeHead(204).end(); });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  try {
    const put = await ctx.gw.call(ctx.gw.adminToken, 'PUT', '/v1/webhooks/retail-bot', { url: `http://127.0.0.1:${receiver.address().port}/`, secret });
    assert.equal(put.status, 200, put.text);
    const { graph, ran } = refundAgent([{ order_id: 'o-4', amount: 150 }, { order_id: 'o-5', amount: 200 }]);
    const config = { configurable: { thread_id: interaction('lg') } };
    const pending = pendingApprovals(await graph.invoke({ messages: [new HumanMessage('Refund o-4 and o-5')] }, config));
    assert.equal(pending.length, 2);
    assert.notEqual(pending[0].interruptId, pending[1].interruptId);
    assert.notEqual(pending[0].taskId, pending[1].taskId);
    const second = pending.find((p) => p.args.order_id === 'o-5');
    const first = pending.find((p) => p.args.order_id === 'o-4');

    await ctx.reviewer.approve(second.taskId);
    let delivery;
    for (let i = 0; i < 300 && !delivery; i++) {
      delivery = deliveries.find((d) => d.body.toString().includes(second.taskId));
      if (!delivery) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(delivery, 'the gateway delivered the verdict to the webhook');
    const { task } = verifyWebhook(delivery.headers, delivery.body, secret);
    const partly = await graph.invoke(resumeFromWebhook(pending, task), config);
    assert.deepEqual(ran, [{ order_id: 'o-5', amount: 200 }], 'only the approved call ran');
    const still = pendingApprovals(partly);
    assert.deepEqual(still.map((p) => p.taskId), [first.taskId], 'the other call is still waiting, same task');

    await ctx.reviewer.edit(first.taskId, { name: 'refund', amount: 120, currency: 'USD', params: { order_id: 'o-4' } });
    const done = await graph.invoke(await waitForResume(ctx.client, still), config);
    assert.deepEqual(ran, [{ order_id: 'o-5', amount: 200 }, { order_id: 'o-4', amount: 120 }]);
    assert.deepEqual(toolMessages(done).sort(), ['refunded 120 USD on o-4', 'refunded 200 USD on o-5']);
    const tasks = await ctx.gw.call(ctx.reviewer.token, 'GET', `/v1/review/tasks?interaction_id=${config.configurable.thread_id}`);
    assert.equal(tasks.json.tasks.length, 2, 'replays of the calls opened no further tasks');
  } finally {
    await ctx.gw.call(ctx.gw.adminToken, 'PUT', '/v1/webhooks/retail-bot', { url: 'http://127.0.0.1:9/', secret });
    receiver.close();
  }
});

test('a resume value for another task is refused, and nothing runs', async () => {
  const { graph, ran } = refundAgent([{ order_id: 'o-6', amount: 150 }]);
  const config = { configurable: { thread_id: interaction('lg') } };
  const [p] = pendingApprovals(await graph.invoke({ messages: [new HumanMessage('Refund o-6')] }, config));
  const { Command } = await import('@langchain/langgraph');
  const forged = new Command({ resume: { [p.interruptId]: { kind: 'deliver', taskId: 't-0000000000000001', edited: false } } });
  const out = await graph.invoke(forged, config);
  assert.equal(ran.length, 0);
  assert.match(toolMessages(out)[0], /resumed with a verdict for task t-0000000000000001/);
});

test('an approval whose receipt does not match the action it would run is refused, and nothing runs', async () => {
  // Someone between the agent and the gateway raises the approved amount.
  const tampering = async (url, init) => {
    const res = await fetch(url, init);
    if (!/\/v1\/tasks\//.test(String(url))) return res;
    const task = await res.json();
    if (task.final?.action) task.final.action.amount = 1000;
    return new Response(JSON.stringify(task), { status: res.status, headers: res.headers });
  };
  const tampered = new Hitlgate({ baseUrl: ctx.gw.url, apiKey: await ctx.gw.key('agent'), fetch: tampering });
  const { graph, ran } = refundAgent([{ order_id: 'o-7', amount: 150 }], tampered);
  const config = { configurable: { thread_id: interaction('lg') } };
  const pending = pendingApprovals(await graph.invoke({ messages: [new HumanMessage('Refund o-7')] }, config));
  await ctx.reviewer.approve(pending[0].taskId);
  const out = await graph.invoke(await waitForResume(tampered, pending), config);
  assert.equal(ran.length, 0);
  assert.match(toolMessages(out)[0], /approval receipt refused \(action_changed\)/);
});
