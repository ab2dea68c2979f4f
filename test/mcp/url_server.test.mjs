// A downstream server reached by URL: @modelcontextprotocol/server-everything
// in its Streamable HTTP mode, fronted by `hitlgate mcp` over stdio, with the
// per-tool overrides of the configuration:
//   get-env          gate: refuse      (never forwarded)
//   get-tiny-image   gate: bypass      (forwarded without asking the gateway)
//   get-sum          kind: destructive (held, though it claims to be read-only)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import {
  EVERYTHING_SERVER, freePort, review, startGateway, stdioClient, tempDir, textOf, uniqueId, waitForPort,
  writeConfig,
} from './lib/harness.mjs';

let gw;
let everything;
let session;
let dir;
const interactionId = uniqueId('url-it');

before(async () => {
  gw = await startGateway();
  const port = await freePort();
  everything = spawn(process.execPath, [EVERYTHING_SERVER, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port), HITLGATE_TEST_SECRET: 'must not leak' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await waitForPort(port);
  dir = tempDir('url');
  const servers = [
    '  everything:',
    `    url: http://127.0.0.1:${port}/mcp`,
    '    tools:',
    '      get-env: {gate: refuse}',
    '      get-tiny-image: {gate: bypass}',
    '      get-sum: {kind: destructive}',
  ].join('\n');
  const config = writeConfig(dir, { gatewayUrl: gw.url, interactionId, servers });
  session = await stdioClient(config, gw.agentKey);
});

after(async () => {
  await session?.close();
  everything?.kill('SIGTERM');
  await gw?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('url: listing and an allowed call pass through Streamable HTTP to the server', async () => {
  const { tools } = await session.client.listTools();
  assert.ok(tools.some((t) => t.name === 'echo'));
  const result = await session.client.callTool({ name: 'echo', arguments: { message: 'through two transports' } });
  assert.match(textOf(result), /through two transports/);
  const { events } = await gw.interaction(interactionId);
  assert.ok(events.some((e) => e.event.action?.name === 'echo' && e.decision.decision === 'allow'));
});

test('url: a refused tool is never forwarded', async () => {
  const result = await session.client.callTool({ name: 'get-env', arguments: {} });
  assert.equal(result.isError, true);
  assert.match(textOf(result), /refuses calls to get-env/);
  assert.doesNotMatch(JSON.stringify(result), /must not leak/);
});

test('url: a bypassed tool is forwarded without an event', async () => {
  const result = await session.client.callTool({ name: 'get-tiny-image', arguments: {} });
  assert.ok(result.content.some((c) => c.type === 'image'));
  const { events } = await gw.interaction(interactionId);
  assert.ok(!events.some((e) => e.event.action?.name === 'get-tiny-image'));
});

test('url: an override makes a tool that claims to read only wait for a person, who rejects it', async () => {
  const call = session.client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } });
  const task = await review(gw, () => ({ verdict: 'rejected', reason: 'sums need a second look' }));
  assert.equal(task.context.event.intent, 'mcp_destructive');
  const result = await call;
  assert.equal(result.isError, true);
  assert.match(textOf(result), /sums need a second look/);
  assert.doesNotMatch(textOf(result), /\b5\b/);
});

test('url: a server that stopped answering fails the call, after the gateway allowed it', async () => {
  everything.kill('SIGTERM');
  await new Promise((r) => everything.once('exit', r));
  await assert.rejects(session.client.callTool({ name: 'echo', arguments: { message: 'anyone?' } }),
    /could not reach the MCP server 'everything'/);
});
