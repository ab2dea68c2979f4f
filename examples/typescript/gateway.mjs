// Where the examples find the gateway and their agent key.
import { Hitlgate } from '@hitlgate/client';

export function connect() {
  const apiKey = process.env.HITLGATE_AGENT_KEY;
  if (!apiKey) {
    console.error('Set HITLGATE_AGENT_KEY to an agent key for retail-bot (see the comment at the top of this example).');
    process.exit(2);
  }
  return new Hitlgate({ baseUrl: process.env.HITLGATE_URL ?? 'http://127.0.0.1:8080', apiKey });
}

/** A fresh conversation id per run, so each run starts a new conversation. */
export const conversationId = `demo-${Date.now().toString(36)}`;

export function sayWhileHeld(what) {
  console.log(`Held for a person (${what}). Approve, edit or reject it in the console (http://127.0.0.1:8080/, Inbox)...`);
}
