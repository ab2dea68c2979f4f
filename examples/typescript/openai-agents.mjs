// OpenAI Agents JS: needsApproval answered by hitlgate; a held call interrupts the run,
// whose state waits as a string (RunState.toString) until the verdict approves or rejects
// it. The model is scripted, so no OpenAI key is needed: drop `model` to use a real one.
// 1. scripts/run.sh   (the gateway on port 8080; note the admin key it prints once, as ADMIN)
// 2. export HITLGATE_AGENT_KEY=$(curl -s -H "Authorization: Bearer $ADMIN" -d '{"name":"demo bot","role":"agent","workflows":["retail-bot"]}' localhost:8080/v1/keys | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
// 3. cd clients/typescript && npm ci && npm run build && cd ../../examples/typescript && npm install && node openai-agents.mjs
import { z } from 'zod';
import { Agent, Usage, setTracingDisabled } from '@openai/agents';
import { hitlgateTool, runWithHitlgate } from '@hitlgate/client/openai-agents';
import { connect, conversationId } from './gateway.mjs';

setTracingDisabled(true);
const hitlgate = connect();

const refund = hitlgateTool(hitlgate, {
  name: 'refund',
  description: 'Refund an order',
  parameters: z.object({ order_id: z.string(), amount: z.number() }),
  execute: async ({ order_id, amount }) => `refunded ${amount} USD on ${order_id}`,
}, {
  workflow: 'retail-bot',
  interactionId: (ctx) => ctx.context.conversationId,
  toAction: (a) => ({ name: 'refund', amount: a.amount, currency: 'USD', params: { order_id: a.order_id } }),
  fromAction: (action) => ({ order_id: action.params.order_id, amount: action.amount }),
  event: (a) => ({ text: `I refunded ${a.amount} USD.`, intent: 'return_item', confidence: 0.9 }),
});

// A scripted Model: first it calls the refund tool, then it answers with the tool's result.
const model = {
  turn: 0,
  async getResponse(request) {
    const output = this.turn++ === 0
      ? [{ type: 'function_call', id: 'fc_1', callId: 'call_1', name: 'refund', arguments: '{"order_id":"o-1042","amount":150}', status: 'completed' }]
      : [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `Result: ${JSON.stringify(request.input.at(-1).output)}` }] }];
    return { usage: new Usage(), output, responseId: `resp_${this.turn}` };
  },
  async *getStreamedResponse() { throw new Error('not used'); },
};

const agent = new Agent({ name: 'support', instructions: 'Help the customer.', model, tools: [refund] });
const { result, outcomes } = await runWithHitlgate(agent, 'Please refund order o-1042', {
  runOptions: { context: { conversationId } },
  timeoutMs: 10 * 60_000,
  onSuspend: (saved) => console.log(`Held for a person; the run waits as ${saved.length} bytes of RunState (store them to survive a restart). Decide in the console.`),
});
for (const o of outcomes) console.log(`${o.tool} ${o.callId}: ${o.result} with ${JSON.stringify(o.args)}${o.customerMessage ? ` (tell the customer: ${o.customerMessage})` : ''}`);
console.log('agent says:', result.finalOutput);
