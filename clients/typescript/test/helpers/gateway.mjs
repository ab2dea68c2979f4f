// Starts the real `hitlgate serve` on a free port with a fresh data folder and
// a fixed admin key, makes keys through the API, and plays the reviewer over
// HTTP (POST /v1/review/next, then the verdict), as a person in the console would.
import { spawn } from 'node:child_process';
import { after, before } from 'node:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = resolve(process.env.HITLGATE_BIN || join(PACKAGE, '../../build/dev/src/cli/hitlgate'));

export async function startGateway({ args = [] } = {}) {
  if (!existsSync(BIN)) throw new Error(`gateway binary not found at ${BIN} (build it, or set HITLGATE_BIN)`);
  const data = mkdtempSync(join(tmpdir(), 'hitlgate-ts-'));
  const adminToken = `hg_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('hex')}`;
  const proc = spawn(BIN, ['serve', '--data', data, '--port', '0', '--rate-limit', 'agent=0', ...args], {
    env: { ...process.env, HITLGATE_ADMIN_KEY: adminToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`gateway did not start in 30 s:\n${output}`)), 30000);
    const onData = (chunk) => {
      output += chunk;
      const m = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); res(m[1]); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); rej(new Error(`gateway exited with ${code}:\n${output}`)); });
  });
  proc.removeAllListeners('exit');
  proc.stdout.resume();
  proc.stderr.resume();

  const gw = {
    url, adminToken, data,
    async call(token, method, path, body) {
      const headers = { Authorization: `Bearer ${token}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      return { status: res.status, json, text, headers: res.headers };
    },
    async key(role, extra = {}) {
      const scope = role === 'agent' && !extra.workflows ? { workflows: ['*'] } : {};
      const r = await gw.call(adminToken, 'POST', '/v1/keys', { name: `${role}-${randomBytes(3).toString('hex')}`, role, ...scope, ...extra });
      if (r.status !== 200 && r.status !== 201) throw new Error(`creating a ${role} key: ${r.status} ${r.text}`);
      return r.json.token;
    },
    async reviewer(skills = ['billing', 'orders', 'supervisor', 'legal', 'product_safety']) {
      return makeReviewer(gw, await gw.key('reviewer', { skills, max_concurrent: 50 }));
    },
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        let timer;
        await Promise.race([new Promise((r) => proc.once('exit', r)), new Promise((r) => { timer = setTimeout(r, 5000); })]);
        clearTimeout(timer);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
  return gw;
}

function makeReviewer(gw, token) {
  return {
    token,
    /** Claims the task `taskId` (or the next one) and gives a verdict; returns the answered task. */
    async decide(taskId, verdict) {
      const claim = taskId
        ? await gw.call(token, 'POST', `/v1/review/tasks/${taskId}/claim`)
        : await gw.call(token, 'POST', '/v1/review/next');
      if (claim.status !== 200) throw new Error(`claiming ${taskId ?? 'the next task'}: ${claim.status} ${claim.text}`);
      const r = await gw.call(token, 'POST', `/v1/review/tasks/${claim.json.id}/verdict`, { lease_id: claim.json.lease.lease_id, ...verdict });
      if (r.status !== 200) throw new Error(`verdict on ${claim.json.id}: ${r.status} ${r.text}`);
      return r.json;
    },
    edit(taskId, editedAction, extra = {}) {
      return this.decide(taskId, { verdict: 'edited', edited_action: editedAction, ...extra });
    },
    approve(taskId) {
      return this.decide(taskId, { verdict: 'approved' });
    },
    reject(taskId, customerMessage, reason = 'not allowed') {
      return this.decide(taskId, { verdict: 'rejected', reason, customer_message: customerMessage });
    },
    /** Waits until a task of this interaction is open, then returns its id. */
    async openTask(interactionId, timeoutMs = 10000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const r = await gw.call(token, 'GET', `/v1/review/tasks?interaction_id=${encodeURIComponent(interactionId)}&status=open`);
        if (r.status === 200 && r.json.tasks.length) return r.json.tasks[0].id;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error(`no open task for ${interactionId} in ${timeoutMs} ms`);
    },
  };
}

/** A unique interaction id per test, so conversation state never leaks between tests. */
export function interaction(prefix = 'c') {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** An AI proposal the built-in retail policy holds (refunds over 110 USD go to billing). */
export function bigRefund(interactionId, amount = 150) {
  return {
    interaction_id: interactionId,
    customer_id: `u-${interactionId}`,
    workflow: 'retail-bot',
    type: 'ai_proposal',
    text: `I refunded ${amount} USD.`,
    intent: 'return_item',
    confidence: 0.9,
    action: { name: 'refund', amount, currency: 'USD', params: { order_id: 'o-1' } },
  };
}

/** An AI proposal the retail policy allows outright (FAQ-like intents are hootl). */
export function allowedReply(interactionId) {
  return {
    interaction_id: interactionId,
    workflow: 'retail-bot',
    type: 'ai_proposal',
    text: 'Your order ships tomorrow.',
    intent: 'track_order',
    confidence: 0.95,
  };
}

/**
 * Registers before/after hooks that start a gateway for the test file and stop it, and
 * returns an object filled by the time the tests run: { gw, client, reviewer }.
 */
export function useGateway(Hitlgate) {
  const ctx = {};
  before(async () => {
    ctx.gw = await startGateway();
    ctx.client = new Hitlgate({ baseUrl: ctx.gw.url, apiKey: await ctx.gw.key('agent') });
    ctx.reviewer = await ctx.gw.reviewer();
  });
  after(() => ctx.gw?.stop());
  return ctx;
}
