// The plain client: gate() a refund the retail policy holds (over 110 USD), then run it
// with whatever a person approved (maybe an edited amount), after verifying the receipt.
// 1. scripts/run.sh   (the gateway on port 8080; note the admin key it prints once, as ADMIN)
// 2. export HITLGATE_AGENT_KEY=$(curl -s -H "Authorization: Bearer $ADMIN" -d '{"name":"demo bot","role":"agent","workflows":["retail-bot"]}' localhost:8080/v1/keys | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
// 3. cd clients/typescript && npm ci && npm run build && cd ../../examples/typescript && npm install && node plain-client.mjs
import { HitlgateBlocked, HitlgateRejected, HitlgateTimeout } from '@hitlgate/client';
import { connect, conversationId, sayWhileHeld } from './gateway.mjs';

const hitlgate = connect();

async function refund({ amount, currency, params }) {
  console.log(`refund service: refunding ${amount} ${currency} on order ${params.order_id}`);
  return `Done: I refunded ${amount} ${currency}.`;
}

try {
  const reply = await hitlgate.gate(
    {
      interaction_id: conversationId,
      customer_id: 'u-77',
      workflow: 'retail-bot',
      text: 'I refunded 150 USD for order o-1042.',
      intent: 'return_item',
      confidence: 0.9,
      action: { name: 'refund', amount: 150, currency: 'USD', params: { order_id: 'o-1042' } },
    },
    ({ action, edited }) => refund(action).then((text) => (edited ? `${text} (amount set by a colleague)` : text)),
    { onHold: (decision) => sayWhileHeld(`task ${decision.task_id}`), timeoutMs: 10 * 60_000 },
  );
  console.log('agent says:', reply);
} catch (e) {
  if (e instanceof HitlgateRejected || e instanceof HitlgateBlocked || e instanceof HitlgateTimeout) {
    console.log('not refunded:', e.message);
    console.log('agent says:', e.customerMessage ?? 'A colleague will get back to you about this.');
  } else {
    throw e;
  }
}
