// LangGraph.js: a refund tool gated by hitlgate. A held call pauses the graph with an
// interrupt() carrying the hitlgate task; the verdict resumes it by interrupt id. The
// model is LangChain's scripted fake, so no LLM key is needed: swap in a real chat model.
// 1. scripts/run.sh   (the gateway on port 8080; note the admin key it prints once, as ADMIN)
// 2. export HITLGATE_AGENT_KEY=$(curl -s -H "Authorization: Bearer $ADMIN" -d '{"name":"demo bot","role":"agent","workflows":["retail-bot"]}' localhost:8080/v1/keys | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
// 3. cd clients/typescript && npm ci && npm run build && cd ../../examples/typescript && npm install && node langgraph.mjs
import { z } from 'zod';
import { MemorySaver, MessagesAnnotation, StateGraph, START } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { tool } from '@langchain/core/tools';
import { AIMessage, AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { FakeListChatModel, FakeStreamingChatModel } from '@langchain/core/utils/testing';
import { gateTool, pendingApprovals, routeToolCalls, waitForResume } from '@hitlgate/client/langgraph';
import { connect, conversationId, sayWhileHeld } from './gateway.mjs';

const hitlgate = connect();

const refund = gateTool(hitlgate, tool(
  async ({ order_id, amount }) => `refunded ${amount} USD on ${order_id}`,
  { name: 'refund', description: 'Refund an order', schema: z.object({ order_id: z.string(), amount: z.number() }) },
), {
  workflow: 'retail-bot',
  toAction: (a) => ({ name: 'refund', amount: a.amount, currency: 'USD', params: { order_id: a.order_id } }),
  fromAction: (action) => ({ order_id: action.params.order_id, amount: action.amount }),
  event: (a) => ({ text: `I refunded ${a.amount} USD.`, intent: 'return_item', confidence: 0.9 }),
});

// The scripted model: first it asks for the refund, then it answers.
const asksForRefund = new FakeStreamingChatModel({
  responses: [new AIMessage('')],
  chunks: [new AIMessageChunk({ content: '', tool_calls: [{ id: 'call_1', name: 'refund', args: { order_id: 'o-1042', amount: 150 }, type: 'tool_call' }] })],
});
const answers = new FakeListChatModel({ responses: ['Your refund is on its way.'] });
const agent = async ({ messages }) => ({
  messages: [await (messages.at(-1).getType() === 'human' ? asksForRefund : answers).invoke(messages)],
});

const graph = new StateGraph(MessagesAnnotation)
  .addNode('agent', agent)
  .addNode('tools', new ToolNode([refund]))
  .addEdge(START, 'agent')
  .addConditionalEdges('agent', routeToolCalls('tools'), ['tools', '__end__'])
  .addEdge('tools', 'agent')
  .compile({ checkpointer: new MemorySaver() }); // use a durable checkpointer in production

const config = { configurable: { thread_id: conversationId } };
let result = await graph.invoke({ messages: [new HumanMessage('Please refund order o-1042')] }, config);
for (let pending = pendingApprovals(result); pending.length; pending = pendingApprovals(result)) {
  pending.forEach((p) => sayWhileHeld(`task ${p.taskId}`));
  result = await graph.invoke(await waitForResume(hitlgate, pending, { timeoutMs: 10 * 60_000 }), config);
}
for (const m of result.messages) console.log(`${m.getType()}: ${m.content || JSON.stringify(m.tool_calls)}`);
