// The client's cost on the hot path: gate() round trips for an event the
// policy allows, against a raw fetch of the same request (same body shape, a
// fresh event_id each), interleaved in one run against one gateway, so both
// see the same server, disk and load.
//
//   npm run build && node bench/gate_overhead.mjs [iterations]
//   (HITLGATE_BIN picks the gateway binary; default build/dev/src/cli/hitlgate)
import { randomUUID } from 'node:crypto';
import { Hitlgate } from '@hitlgate/client';
import { startGateway } from '../test/helpers/gateway.mjs';

const iterations = Number(process.argv[2] ?? 2000);
const warmup = Math.min(200, iterations);
const gw = await startGateway();
try {
  const apiKey = await gw.key('agent');
  const client = new Hitlgate({ baseUrl: gw.url, apiKey });
  const proposal = (i) => ({
    interaction_id: `bench-${i % 500}`, workflow: 'retail-bot', type: 'ai_proposal',
    text: 'Your order ships tomorrow.', intent: 'track_order', confidence: 0.95,
  });
  const raw = async (i) => {
    const res = await fetch(`${gw.url}/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...proposal(i), event_id: randomUUID() }),
    });
    const decision = await res.json();
    if (decision.decision !== 'allow') throw new Error(`expected allow, got ${JSON.stringify(decision)}`);
  };
  const gated = async (i) => {
    await client.gate(proposal(i), () => undefined);
  };
  const time = async (fn, i) => {
    const t = process.hrtime.bigint();
    await fn(i);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const samples = { raw: [], gate: [] };
  for (let i = 0; i < warmup + iterations; i++) {
    // Alternate which goes first, so neither always follows the other's write.
    const order = i % 2 ? [['raw', raw], ['gate', gated]] : [['gate', gated], ['raw', raw]];
    for (const [name, fn] of order) {
      const ms = await time(fn, i);
      if (i >= warmup) samples[name].push(ms);
    }
  }
  const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
  const row = (name) => ({ name, p50: pct(samples[name], 0.5), p99: pct(samples[name], 0.99), mean: samples[name].reduce((a, b) => a + b, 0) / samples[name].length });
  const r = row('raw');
  const g = row('gate');
  const over = (a, b) => `${(((a - b) / b) * 100).toFixed(1)}%`;
  console.log(`POST /v1/events, allowed proposal, ${iterations} each (after ${warmup} warm-up), interleaved, one gateway (SQLite, fsync on)`);
  console.log('| path | p50 ms | p99 ms | mean ms |');
  console.log('|---|---:|---:|---:|');
  for (const x of [r, g]) console.log(`| ${x.name === 'raw' ? 'raw fetch' : 'client.gate()'} | ${x.p50.toFixed(3)} | ${x.p99.toFixed(3)} | ${x.mean.toFixed(3)} |`);
  console.log(`| overhead | ${over(g.p50, r.p50)} | ${over(g.p99, r.p99)} | ${over(g.mean, r.mean)} |`);
} finally {
  await gw.stop();
}
