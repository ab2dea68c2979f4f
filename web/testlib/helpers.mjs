// Test helpers: start the real gateway binary, make keys through the API,
// drive the console in headless Chromium (Debian's /usr/bin/chromium via
// playwright-core), save screenshots to web/test-artifacts/.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

export const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = join(WEB, 'test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const BIN = process.env.HITLGATE_BIN || resolve(WEB, '../build/dev/src/cli/hitlgate');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Starts `hitlgate serve` on a free port with a fresh data folder; `args` go after the defaults. */
export async function startGateway({ args = [] } = {}) {
  if (!existsSync(BIN)) throw new Error(`gateway binary not found at ${BIN} (build it, or set HITLGATE_BIN)`);
  if (!existsSync(join(WEB, 'dist', 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');
  const data = mkdtempSync(join(tmpdir(), 'hitlgate-console-'));
  const adminToken = `hg_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('hex')}`;
  const proc = spawn(BIN, ['serve', '--data', data, '--port', '0', '--console', join(WEB, 'dist'), ...args], {
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
    proc.stderr.on('data', (c) => { output += c; });
    proc.on('exit', (code) => { clearTimeout(timer); rej(new Error(`gateway exited with ${code}:\n${output}`)); });
  });
  proc.removeAllListeners('exit');
  const gw = {
    url, adminToken, proc, data,
    async call(token, method, path, body) {
      const headers = { Authorization: `Bearer ${token}` };
      let payload;
      if (typeof body === 'string') { payload = body; headers['Content-Type'] = 'application/yaml'; }
      else if (body !== undefined) { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
      const res = await fetch(url + path, { method, headers, body: payload });
      const text = await res.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      return { status: res.status, json, text };
    },
    async key(role, extra = {}) {
      // Agent keys name their workflows; these tests' agents may act for every one.
      const scope = role === 'agent' && !extra.workflows ? { workflows: ['*'] } : {};
      const r = await gw.call(adminToken, 'POST', '/v1/keys', { name: extra.name || `${role} ${randomBytes(2).toString('hex')}`, role, ...scope, ...extra });
      if (r.status !== 200 && r.status !== 201) throw new Error(`creating a ${role} key: ${r.status} ${r.text}`);
      return r.json.token;
    },
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await Promise.race([new Promise((r) => proc.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
  return gw;
}

/** A fresh Chromium with its own profile folder. */
export async function startBrowser({ width = 1280, height = 800 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'hitlgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width, height },
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('dialog', (d) => d.accept());
  if (process.env.CONSOLE_DEBUG) page.on('console', (m) => console.log('[browser]', m.type(), m.text()));
  if (process.env.CONSOLE_DEBUG) page.on('request', (r) => { if (r.url().includes('/v1/')) console.log('[req]', r.method(), r.url()); });
  return {
    context, page, errors,
    async close() { await context.close().catch(() => {}); rmSync(profile, { recursive: true, force: true }); },
  };
}

export async function signIn(page, url, token) {
  await page.goto(url + '/');
  await page.getByLabel('API key').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
}

export async function shot(page, name) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** An agent's event; returns the decision. */
export async function postEvent(gw, agentToken, event) {
  const r = await gw.call(agentToken, 'POST', '/v1/events', event);
  if (r.status !== 200) throw new Error(`POST /v1/events: ${r.status} ${r.text}`);
  return r.json;
}

/** Is a GET endpoint there? (The lead adds some endpoints later; 404 = not yet.) */
export async function hasEndpoint(gw, token, path) {
  const r = await gw.call(token, 'GET', path);
  // An older gateway answers unknown paths with the console's index.html.
  return r.status !== 404 && r.json !== null;
}

/** Controls without an accessible name (label, aria-label, aria-labelledby, text). */
export async function unlabelledControls(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href], [role=option], [role=listbox]')) {
      if (el.closest('[hidden]') || el.getClientRects().length === 0) continue;
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') ||
        (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) || el.closest('label') ||
        (['BUTTON', 'A', 'LI'].includes(el.tagName) && el.textContent.trim());
      if (!named) bad.push(el.outerHTML.slice(0, 120));
    }
    return bad;
  });
}
