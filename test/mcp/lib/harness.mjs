// Test harness for `hitlgate mcp`: a real `hitlgate serve` with the example
// MCP policy, keys made through its API, the proxy started over stdio (by the
// official SDK client, as a desktop assistant would) or over Streamable
// HTTP, and a reviewer acting through the HTTP API. Nothing here imitates
// hitlgate; the only stand-in is fixtures/fault_server.mjs (fault injection).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export { Client, StdioClientTransport, StreamableHTTPClientTransport };

export const TEST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(TEST_DIR, '../..');
export const BIN = process.env.HITLGATE_BIN || join(ROOT, 'build/dev/src/cli/hitlgate');
export const POLICY = join(ROOT, 'examples/policies/mcp-filesystem.yaml');
export const WORKFLOW = 'mcp-filesystem';
export const FS_SERVER = join(TEST_DIR, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
export const EVERYTHING_SERVER = join(TEST_DIR, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const FAULT_SERVER = join(TEST_DIR, 'fixtures/fault_server.mjs');

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `hitlgate-mcp-${prefix}-`));
}

export function uniqueId(prefix) {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A port nothing listens on (bound, then released). */
export async function freePort() {
  const server = createServer();
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address();
  await new Promise((res) => server.close(res));
  return port;
}

export async function waitForPort(port, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((res) => {
      const s = connect(port, '127.0.0.1', () => { s.end(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on port ${port} after ${ms} ms`);
    await sleep(50);
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits for `pattern` in a child's output; resolves with the match. */
function waitForOutput(proc, pattern, what, ms = 30000) {
  let output = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${what} did not start in ${ms} ms:\n${output}`)), ms);
    const onData = (chunk) => {
      output += chunk;
      const m = output.match(pattern);
      if (m) { clearTimeout(timer); res(m); }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => { clearTimeout(timer); rej(new Error(`${what} exited with ${code}:\n${output}`)); });
  });
}

async function stopProcess(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGTERM');
  let timer;
  const exited = await Promise.race([
    new Promise((r) => proc.once('exit', () => r(true))),
    new Promise((r) => { timer = setTimeout(() => r(false), 8000); }),
  ]);
  clearTimeout(timer);
  if (!exited) proc.kill('SIGKILL');
}

/**
 * `hitlgate serve` on a free port with a fresh data folder (under $TMPDIR)
 * and the example MCP policy; an agent key for the MCP workflow and a
 * reviewer key. `serveArgs` are added to its command line.
 */
export async function startGateway({ serveArgs = [] } = {}) {
  if (!existsSync(BIN)) throw new Error(`hitlgate binary not found at ${BIN} (build it, or set HITLGATE_BIN)`);
  const data = tempDir('gateway');
  const admin = `hg_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('hex')}`;
  const proc = spawn(BIN, ['serve', '--data', data, '--port', '0', '--policy', POLICY, '--threads', '1', ...serveArgs], {
    env: { ...process.env, HITLGATE_ADMIN_KEY: admin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [, url] = await waitForOutput(proc, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 'hitlgate serve');
  const gw = {
    url, admin, proc, data,
    async call(token, method, path, body) {
      const headers = { Authorization: `Bearer ${token}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      return { status: res.status, json, text };
    },
    async key(role, extra = {}) {
      const r = await gw.call(admin, 'POST', '/v1/keys', { name: uniqueId(role), role, ...extra });
      if (r.status !== 200 && r.status !== 201) throw new Error(`creating a ${role} key: ${r.status} ${r.text}`);
      return r.json.token;
    },
    /** Every event of an interaction with its decision (admin view). */
    async interaction(id) {
      const r = await gw.call(admin, 'GET', `/v1/interactions/${encodeURIComponent(id)}?workflow=${WORKFLOW}`);
      if (r.status === 404) return { events: [], tasks: [] };
      if (r.status !== 200) throw new Error(`GET interaction: ${r.status} ${r.text}`);
      return r.json;
    },
    async stop() {
      await stopProcess(proc);
      rmSync(data, { recursive: true, force: true });
    },
  };
  gw.agentKey = await gw.key('agent', { workflows: [WORKFLOW] });
  gw.reviewerKey = await gw.key('reviewer');
  return gw;
}

/**
 * A gateway for the tests of one file: started before them (handed to
 * `started`), stopped after them, after the cleanups pushed to the returned
 * array have run (newest first).
 */
export function gatewayForTests(started, options) {
  const cleanups = [];
  let gw;
  before(async () => { gw = await startGateway(options); started(gw); });
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    await gw?.stop();
  });
  return cleanups;
}

/**
 * A reviewer takes the next task (polling until one is there) and gives a
 * verdict: `verdict(task)` returns the verdict body without the lease.
 */
export async function review(gw, verdict, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    const next = await gw.call(gw.reviewerKey, 'POST', '/v1/review/next');
    if (next.status === 200) {
      const task = next.json;
      const body = { ...verdict(task), lease_id: task.lease.lease_id };
      const r = await gw.call(gw.reviewerKey, 'POST', `/v1/review/tasks/${task.id}/verdict`, body);
      if (r.status !== 200) throw new Error(`verdict: ${r.status} ${r.text}`);
      return task;
    }
    if (next.status !== 404) throw new Error(`review/next: ${next.status} ${next.text}`);
    if (Date.now() > until) throw new Error(`no task to review after ${ms} ms`);
    await sleep(50);
  }
}

/** Writes a proxy configuration file; returns its path. */
export function writeConfig(dir, { gatewayUrl, interactionId, servers, waitSeconds = 20, extra = '', workflow = WORKFLOW }) {
  const lines = [
    'gateway:',
    `  url: ${gatewayUrl}`,
    '  timeout_seconds: 3',
    `workflow: ${workflow}`,
    `interaction_id: ${interactionId}`,
    `wait_seconds: ${waitSeconds}`,
    'progress_seconds: 1',
    extra,
    'servers:',
    servers,
  ];
  const path = join(dir, 'mcp.yaml');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** The server-filesystem entry of a configuration, allowed to touch `root`. */
export function filesystemServer(root, name = 'filesystem') {
  return `  ${name}:\n    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(FS_SERVER)}, ${JSON.stringify(root)}]`;
}

export function faultServer(name = 'faulty') {
  return `  ${name}:\n    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(FAULT_SERVER)}]`;
}

/** The official SDK client starting `hitlgate mcp` over stdio. */
export async function stdioClient(configPath, agentKey, { args = [] } = {}) {
  const transport = new StdioClientTransport({
    command: BIN,
    args: ['mcp', '--config', configPath, ...args],
    env: { ...process.env, HITLGATE_AGENT_KEY: agentKey },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (c) => { stderr += c; });
  const client = new Client({ name: 'hitlgate-mcp-test', version: '1.0.0' });
  let closed = false;
  client.onclose = () => { closed = true; };
  await client.connect(transport);
  return {
    client, transport,
    stderr: () => stderr,
    closed: () => closed,
    async close() { await client.close().catch(() => {}); },
  };
}

/** `hitlgate mcp --listen 127.0.0.1:0`; resolves with its base URL. */
export async function startHttpProxy(configPath, agentKey) {
  const proc = spawn(BIN, ['mcp', '--config', configPath, '--listen', '127.0.0.1:0'], {
    env: { ...process.env, HITLGATE_AGENT_KEY: agentKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stderr.on('data', (c) => { output += c; });
  const [, base] = await waitForOutput(proc, /listening on (http:\/\/127\.0\.0\.1:\d+)\/mcp/, 'hitlgate mcp --listen');
  return {
    base, proc,
    output: () => output,
    stop: () => stopProcess(proc),
  };
}

/** The official SDK client over Streamable HTTP. */
export async function httpClient(url) {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: 'hitlgate-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client, transport,
    async close() {
      await transport.terminateSession().catch(() => {});
      await client.close().catch(() => {});
    },
  };
}

/** The text of a tools/call result. */
export function textOf(result) {
  return (result.content || []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}
