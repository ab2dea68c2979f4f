// Bad input, each refused with a clear error and nothing lost: malformed
// JSON-RPC and oversize messages from the client (over stdio, raw, since the
// SDK client never sends such lines, and over HTTP), an oversize answer from
// the server, a server that writes garbage, a server that dies mid-call
// (fixtures/fault_server.mjs injects those two) or cannot start, a gateway
// that refuses the event, and HTTP requests outside the protocol. Also: a
// call of a tool the client never listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BIN, faultServer, filesystemServer, gatewayForTests, httpClient, startHttpProxy, stdioClient, tempDir, textOf,
  uniqueId, writeConfig,
} from './lib/harness.mjs';

let gw;
const cleanups = gatewayForTests((started) => { gw = started; });

function config({ servers, extra = '', workflow }) {
  const dir = tempDir('bad');
  const root = join(dir, 'files');
  mkdirSync(root);
  const interactionId = uniqueId('bad-it');
  const path = writeConfig(dir, {
    gatewayUrl: gw.url, interactionId, servers: servers ?? filesystemServer(root), extra, workflow,
  });
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return { path, root, interactionId };
}

/** `hitlgate mcp` over stdio driven line by line, for what the SDK would never send. */
function rawProxy(configPath) {
  const proc = spawn(BIN, ['mcp', '--config', configPath], {
    env: { ...process.env, HITLGATE_AGENT_KEY: gw.agentKey },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines = [];
  const waiters = [];
  createInterface({ input: proc.stdout }).on('line', (line) => {
    const message = JSON.parse(line);
    const w = waiters.shift();
    if (w) w(message); else lines.push(message);
  });
  cleanups.push(async () => { if (proc.exitCode === null) proc.kill('SIGTERM'); });
  return {
    proc,
    send(line) { proc.stdin.write(typeof line === 'string' ? line + '\n' : JSON.stringify(line) + '\n'); },
    next(ms = 10000) {
      if (lines.length) return Promise.resolve(lines.shift());
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error('no message from the proxy')), ms);
        waiters.push((m) => { clearTimeout(timer); res(m); });
      });
    },
  };
}

const INITIALIZE = {
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

test('stdio: malformed JSON-RPC gets a JSON-RPC error and the session goes on', async () => {
  const { path } = config({});
  const proxy = rawProxy(path);
  proxy.send('this is not json');
  const parseError = await proxy.next();
  assert.equal(parseError.id, null);
  assert.equal(parseError.error.code, -32700);
  assert.match(parseError.error.message, /not JSON/);

  proxy.send({ jsonrpc: '2.0', id: 5, method: '' });
  const invalid = await proxy.next();
  assert.equal(invalid.id, 5);
  assert.equal(invalid.error.code, -32600);
  assert.match(invalid.error.message, /"method" must be a non-empty string/);

  proxy.send([{ jsonrpc: '2.0', id: 6, method: 'ping' }]);
  assert.match((await proxy.next()).error.message, /batches are not supported/);

  proxy.send(INITIALIZE);
  const initialized = await proxy.next();
  assert.equal(initialized.id, 1);
  assert.ok(initialized.result.serverInfo, 'the server still answers');
});

test('stdio: an oversize message is refused by id and never reaches the gateway or the server', async () => {
  const { path, root, interactionId } = config({ extra: 'max_message_bytes: 4096' });
  const proxy = rawProxy(path);
  proxy.send(INITIALIZE);
  await proxy.next();
  proxy.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const target = join(root, 'big.txt');
  proxy.send({
    jsonrpc: '2.0', id: 9, method: 'tools/call',
    params: { name: 'write_file', arguments: { path: target, content: 'x'.repeat(10000) } },
  });
  const refused = await proxy.next();
  assert.equal(refused.id, 9);
  assert.equal(refused.error.code, -32001);
  assert.match(refused.error.message, /over the limit of 4096 .*max_message_bytes.*not forwarded/);

  proxy.send({ jsonrpc: '2.0', id: 10, method: 'ping' });
  assert.deepEqual((await proxy.next()).result, {}, 'the next message is read normally');
  assert.equal((await gw.interaction(interactionId)).events.length, 0);
});

test('stdio: a call the gateway refuses (a workflow the key does not cover) is a tool error quoting it', async () => {
  const { path, root } = config({ workflow: 'payroll' });
  const session = await stdioClient(path, gw.agentKey);
  cleanups.push(() => session.close());
  const target = join(root, 'refused.txt');
  const result = await session.client.callTool({ name: 'write_file', arguments: { path: target, content: 'x' } });
  assert.equal(result.isError, true);
  assert.match(textOf(result), /refused the event: 403 permission_denied: .*workflow 'payroll'.*not made/);
  assert.equal(existsSync(target), false);
});

test('stdio: a call of a tool the client never listed is judged by the server\'s own annotations', async () => {
  const { path, root, interactionId } = config({});
  writeFileSync(join(root, 'cached.txt'), 'the client kept its tool list from before');
  const session = await stdioClient(path, gw.agentKey);
  cleanups.push(() => session.close());
  // No tools/list: a client that cached the list from an earlier session.
  const result = await session.client.callTool({ name: 'read_text_file', arguments: { path: join(root, 'cached.txt') } });
  assert.equal(textOf(result), 'the client kept its tool list from before');
  const { events } = await gw.interaction(interactionId);
  assert.equal(events[0].event.intent, 'mcp_read');
  assert.equal(events[0].decision.decision, 'allow');
});

test('stdio: a call placed by its _meta goes to that interaction and customer', async () => {
  const { path, root } = config({});
  writeFileSync(join(root, 'a.txt'), 'a');
  const session = await stdioClient(path, gw.agentKey);
  cleanups.push(() => session.close());
  const interaction = `chat-${Date.now()}`;
  await session.client.callTool({
    name: 'read_text_file', arguments: { path: join(root, 'a.txt') },
    _meta: { 'hitlgate.dev/interaction_id': interaction, 'hitlgate.dev/customer_id': 'u-77' },
  });
  const { events } = await gw.interaction(interaction);
  assert.equal(events[0].event.action.name, 'read_text_file');
  assert.equal(events[0].event.customer_id, 'u-77');
});

test('stdio: an oversize answer from the server becomes an error for that call only', async () => {
  const { path, root } = config({ extra: 'max_message_bytes: 65536' });
  writeFileSync(join(root, 'huge.txt'), 'y'.repeat(200000));
  writeFileSync(join(root, 'small.txt'), 'small');
  const session = await stdioClient(path, gw.agentKey);
  cleanups.push(() => session.close());
  await session.client.listTools();
  await assert.rejects(
    session.client.callTool({ name: 'read_text_file', arguments: { path: join(root, 'huge.txt') } }),
    /over the limit of 65536 .*max_message_bytes/);
  const small = await session.client.callTool({ name: 'read_text_file', arguments: { path: join(root, 'small.txt') } });
  assert.equal(textOf(small), 'small');
});

test('stdio: a line of garbage from the server is dropped and the call still gets its answer', async () => {
  const { path } = config({ servers: faultServer() });
  const session = await stdioClient(path, gw.agentKey);
  cleanups.push(() => session.close());
  await session.client.listTools();
  const result = await session.client.callTool({ name: 'garbage', arguments: {} });
  assert.equal(textOf(result), 'answered after the garbage');
  assert.match(session.stderr(), /not JSON.*dropped/);
});

test('stdio: a server that dies mid-call fails that call with its exit status, then the proxy exits', async () => {
  const { path } = config({ servers: faultServer() });
  const session = await stdioClient(path, gw.agentKey);
  cleanups.push(() => session.close());
  await session.client.listTools();
  await assert.rejects(session.client.callTool({ name: 'crash', arguments: {} }),
    /MCP server 'faulty' exited with status 3 before answering/);
  const until = Date.now() + 10000;
  while (!session.closed() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.ok(session.closed(), 'the proxy ends with the server, so the client sees the connection close');
});

test('stdio: a server command that cannot start ends the proxy with the reason on stderr', async () => {
  const { path } = config({ servers: '  missing:\n    command: [/nonexistent/mcp-server]' });
  const proxy = rawProxy(path);
  let stderr = '';
  proxy.proc.stderr.on('data', (c) => { stderr += c; });
  const code = await new Promise((res) => proxy.proc.once('exit', res));
  assert.equal(code, 1);
  assert.match(stderr, /could not start '\/nonexistent\/mcp-server': No such file or directory/);
});

test('http: a server that dies mid-call fails that call, and later calls say why', async () => {
  const { path } = config({ servers: faultServer() });
  const proxy = await startHttpProxy(path, gw.agentKey);
  const session = await httpClient(`${proxy.base}/mcp/faulty`);
  cleanups.push(async () => { await session.close(); await proxy.stop(); });
  await session.client.listTools();
  await assert.rejects(session.client.callTool({ name: 'crash', arguments: {} }), /exited with status 3/);
  await assert.rejects(session.client.callTool({ name: 'garbage', arguments: {} }), /exited with status 3/);
});

test('http: requests outside the protocol get clear HTTP errors', async () => {
  const { path } = config({ extra: 'max_message_bytes: 4096' });
  const proxy = await startHttpProxy(path, gw.agentKey);
  cleanups.push(() => proxy.stop());
  const url = `${proxy.base}/mcp/filesystem`;
  const post = (body, headers = {}) => fetch(url, {
    method: 'POST', body,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
  });

  const notJson = await post('{"jsonrpc":');
  assert.equal(notJson.status, 400);
  assert.equal((await notJson.json()).error.code, -32700);

  const noSession = await post(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
  assert.equal(noSession.status, 400);
  assert.match((await noSession.json()).error.message, /Mcp-Session-Id header required/);

  const unknown = await post(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }), { 'Mcp-Session-Id': 'nope' });
  assert.equal(unknown.status, 404);

  const big = await post(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'ping', params: { pad: 'z'.repeat(8000) } }));
  assert.equal(big.status, 413);
  assert.match((await big.json()).error.message, /max_message_bytes/);

  const foreign = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: INITIALIZE.params }),
    { Origin: 'https://evil.example' });
  assert.equal(foreign.status, 403);

  const nowhere = await fetch(`${proxy.base}/mcp/unknown-server`, { method: 'POST', body: '{}' });
  assert.equal(nowhere.status, 404);
});
