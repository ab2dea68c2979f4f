// Vercel AI SDK: the tool-approval hook (needsApproval) answered by hitlgate; held calls
// come back as approval requests, and resolveApprovals turns the verdicts (edits included)
// into the next messages. The model is ai/test's mock: use a real provider in your app.
// 1. scripts/run.sh   (the gateway on port 8080; note the admin key it prints once, as ADMIN)
// 2. export HITLGATE_AGENT_KEY=$(curl -s -H "Authorization: Bearer $ADMIN" -d '{"name":"demo bot","role":"agent","workflows":["retail-bot"]}' localhost:8080/v1/keys | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
// 3. cd clients/typescript && npm ci && npm run build && cd ../../examples/typescript && npm install && node ai-sdk.mjs
import { z } from 'zod';
import { generateText, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { hitlgateTool, resolveApprovals } from '@hitlgate/client/ai-sdk';
import { connect, conversationId, sayWhileHeld } from './gateway.mjs';

const hitlgate = connect();

const tools = {
  refund: hitlgateTool(hitlgate, 'refund', tool({
    description: 'Refund an order',
    inputSchema: z.object({ order_id: z.string(), amount: z.number() }),
    execute: async ({ order_id, amount }) => `refunded ${amount} USD on ${order_id}`,
  }), {
    workflow: 'retail-bot',
    interactionId: conversationId,
    toAction: (a) => ({ name: 'refund', amount: a.amount, currency: 'USD', params: { order_id: a.order_id } }),
    fromAction: (action) => ({ order_id: action.params.order_id, amount: action.amount }),
    event: (a) => ({ text: `I refunded ${a.amount} USD.`, intent: 'return_item', confidence: 0.9 }),
  }),
};

const usage = { inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 0, text: 0, reasoning: 0 } };
const model = new MockLanguageModelV3({
  doGenerate: [
    { content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'refund', input: '{"order_id":"o-1042","amount":150}' }], finishReason: { unified: 'tool-calls', raw: undefined }, usage, warnings: [] },
    { content: [{ type: 'text', text: 'Your refund is on its way.' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] },
  ],
});

let messages = [{ role: 'user', content: 'Please refund order o-1042' }];
let result = await generateText({ model, tools, messages });
messages.push(...result.response.messages);
while (result.content.some((p) => p.type === 'tool-approval-request')) {
  result.content.filter((p) => p.type === 'tool-approval-request').forEach((p) => sayWhileHeld(`call ${p.toolCall.toolCallId}`));
  const resolved = await resolveApprovals(tools, messages, { timeoutMs: 10 * 60_000 });
  for (const o of resolved.outcomes) console.log(`${o.tool} ${o.toolCallId}: ${o.approved ? 'approved' : 'not approved'} with ${JSON.stringify(o.input)}`);
  result = await generateText({ model, tools, messages: resolved.messages });
  messages = [...resolved.messages, ...result.response.messages];
}
for (const m of messages) {
  if (m.role === 'tool') for (const p of m.content) if (p.type === 'tool-result') console.log(`tool ${p.toolName}: ${JSON.stringify(p.output.value)}`);
}
console.log('agent says:', result.text);
