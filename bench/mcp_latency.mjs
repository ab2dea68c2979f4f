// What `hitlgate mcp` adds to an allowed tool call (bench/mcp_latency.sh runs
// this). One run, one machine, one table: the official MCP SDK client calls
// read_text_file on @modelcontextprotocol/server-filesystem (a 13-byte file)
//   direct                  client -> server (stdio)
//   proxy, bypass           client -> hitlgate mcp -> server, the tool set to
//                           `gate: bypass`: the proxy's own cost, no gateway
//   proxy, gated            ... asking a real `hitlgate serve` first (the
//                           example policy allows reads; every decision is
//                           durable in SQLite before the answer), results not
//                           reported (report_results: false)
//   proxy, gated + report   the default: each result is also recorded as an
//                           event of the interaction, which the next call's
//                           event then waits behind (one event per interaction
//                           at a time)
// Each client makes one call at a time (as an agent does), back to back, and
// then paced: 30 ms before each call, as an agent that thinks between tool
// calls makes them (a result report then leaves in the pause; back to back,
// reports wait for a pause, up to 1,024 of them). The setups take turns call
// by call, so drift on a shared machine hits all of them alike.
//   node bench/mcp_latency.mjs [calls per setup] [paced calls per setup]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { Agent, request } from 'node:http';
import {
  Client, FS_SERVER, StdioClientTransport, filesystemServer, startGateway, stdioClient, tempDir, uniqueId,
  writeConfig,
} from '../test/mcp/lib/harness.mjs';

const calls = Number(process.argv[2] || 1000);
const pacedCalls = Number(process.argv[3] || 300);
const PAUSE_MS = 30;

const dir = tempDir('bench');
const root = join(dir, 'files');
mkdirSync(root);
const file = join(root, 'hello.txt');
writeFileSync(file, 'hello, bench!');

// Per-key rate limits off: the figure is latency, not the limiter.
const gw = await startGateway({ serveArgs: ['--rate-limit', 'agent=0'] });

async function direct() {
  const transport = new StdioClientTransport({ command: process.execPath, args: [FS_SERVER, root], stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  return { client, close: () => client.close() };
}

async function proxied(name, { extra = '', tools = '' }) {
  const sub = join(dir, name);
  mkdirSync(sub);
  const config = writeConfig(sub, {
    gatewayUrl: gw.url, interactionId: uniqueId(name), servers: filesystemServer(root) + tools, extra,
  });
  return stdioClient(config, gw.agentKey);
}

const setups = [
  { name: 'direct (client -> server-filesystem)', open: direct },
  {
    name: 'proxy, bypass (no gateway)',
    open: () => proxied('bypass', { extra: 'report_results: false', tools: '\n    tools:\n      read_text_file: {gate: bypass}' }),
  },
  { name: 'proxy, gated (gateway decides)', open: () => proxied('gated', { extra: 'report_results: false' }) },
  { name: 'proxy, gated + result report (default)', open: () => proxied('report', {}) },
];

// The gateway's decision alone, for the same event the proxy sends.
const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
let eventCount = 0;
const gatewayOnly = {
  name: 'gateway alone (POST /v1/events, not a tool call)',
  open: async () => ({
    client: {
      listTools: async () => {},
      callTool: () => new Promise((res, rej) => {
        const body = JSON.stringify({
          interaction_id: 'bench-gateway', workflow: 'mcp-filesystem', channel: 'mcp', type: 'ai_proposal',
          intent: 'mcp_read', action: { name: 'read_text_file', params: { path: file } }, event_id: `bench-${eventCount++}`,
        });
        const req = request(`${gw.url}/v1/events`, {
          method: 'POST', agent: keepAlive,
          headers: { Authorization: `Bearer ${gw.agentKey}`, 'Content-Type': 'application/json' },
        }, (r) => { r.resume(); r.on('end', () => (r.statusCode === 200 ? res({}) : rej(new Error(`${r.statusCode}`)))); });
        req.on('error', rej);
        req.end(body);
      }),
    },
    close: async () => keepAlive.destroy(),
  }),
};
setups.push(gatewayOnly);

for (const s of setups) {
  s.session = await s.open();
  s.samples = [];
  await s.session.client.listTools();
  for (let i = 0; i < 200; i++) await s.session.client.callTool({ name: 'read_text_file', arguments: { path: file } });
}

async function timeOne(s, into) {
  const t0 = process.hrtime.bigint();
  const result = await s.session.client.callTool({ name: 'read_text_file', arguments: { path: file } });
  into.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (result.isError) throw new Error(`${s.name}: ${JSON.stringify(result)}`);
}

// The warm-up's result reports leave in this pause.
await new Promise((r) => setTimeout(r, 1000));
for (const s of setups) s.paced = [];
for (let i = 0; i < calls; i++) {
  for (const s of setups) await timeOne(s, s.samples);
}
for (let i = 0; i < pacedCalls; i++) {
  for (const s of setups) {
    await new Promise((r) => setTimeout(r, PAUSE_MS));
    await timeOne(s, s.paced);
  }
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (x) => x.toFixed(3);
const signed = (x) => (x >= 0 ? '+' : '') + fmt(x);
console.log(`\n${cpus().length} cores (${cpus()[0].model.trim()}), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ` +
  `the setups take turns call by call; after 200 warm-up calls per setup\n`);
console.log('| setup | calls | p50 ms | p99 ms | p50 over direct | p99 over direct |');
console.log('|---|---|---:|---:|---:|---:|');
for (const [label, key] of [[`back to back, ${calls} each`, 'samples'], [`${PAUSE_MS} ms pause before each, ${pacedCalls} each`, 'paced']]) {
  for (const s of setups) s[key].sort((a, b) => a - b);
  const base = setups[0][key];
  for (const s of setups) {
    const p50 = pct(s[key], 50);
    const p99 = pct(s[key], 99);
    const over = s === setups[0] || s === gatewayOnly ? ['', ''] : [signed(p50 - pct(base, 50)), signed(p99 - pct(base, 99))];
    console.log(`| ${s.name} | ${label} | ${fmt(p50)} | ${fmt(p99)} | ${over[0]} | ${over[1]} |`);
  }
}

for (const s of setups) await s.session.close();
await gw.stop();
rmSync(dir, { recursive: true, force: true });
