// Agent assist's knowledge versions in the console: an admin sees the
// version the gateway serves and every uploaded one, uploads a new document
// (served at once), is told which field a bad one gets wrong (nothing
// changes), and rolls back by activating the older version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, startBrowser, signIn, shot, unlabelledControls, BIN } from '../testlib/helpers.mjs';

const FIRST = {
  format: 'hitlgate-assist/1',
  procedures: [{ id: 'refund', title: 'Refund a purchase', steps: [{ action: 'pull-up-account' }, { action: 'offer-refund' }] },
    { id: 'password', title: 'Recover a password', steps: [{ action: 'pull-up-account' }, { action: 'make-password' }] }],
  articles: [{ id: 'refund-guide', title: 'Refunds', procedure: 'refund', body: 'Refund the item to the card.' }],
};
const SECOND = {
  format: 'hitlgate-assist/1',
  articles: [{ id: 'boots', title: 'Boots', body: 'Our boots are waterproof.' }, { id: 'coats', title: 'Coats', body: 'Coats are warm.' }],
};

function contexts() {
  const lines = [];
  for (let i = 0; i < 10; i++) {
    const [text, last] = i % 2 ? ['my money back please', 'offer-refund'] : ['i forgot my password', 'make-password'];
    lines.push(JSON.stringify({ convo_id: i, turn_id: 0, input: `Context: ${text}`, target_data: `[["pull-up-account", []], ["${last}", []]]` }));
    lines.push(JSON.stringify({ convo_id: i, turn_id: 1, input: `Context: ${text} ok`, target_data: `[["${last}", []]]` }));
  }
  return lines.join('\n') + '\n';
}

let gw, browser, dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hitlgate-knowledge-console-'));
  writeFileSync(join(dir, 'knowledge.json'), JSON.stringify(FIRST));
  writeFileSync(join(dir, 'contexts.jsonl'), contexts());
  execFileSync(BIN, ['assist', 'train', '--contexts', join(dir, 'contexts.jsonl'), '--procedures', join(dir, 'knowledge.json'),
    '--out', join(dir, 'model')], { stdio: 'pipe' });
  gw = await startGateway({ args: ['--assist-model', join(dir, 'model'), '--assist-knowledge', join(dir, 'knowledge.json')] });
});
after(async () => { await browser?.close(); await gw?.stop(); if (dir) rmSync(dir, { recursive: true, force: true }); });

test('knowledge: the served version, an upload, a refused document and a rollback', async () => {
  try { await knowledgeFlow(); } catch (e) { if (browser) await shot(browser.page, 'knowledge-FAILED').catch(() => {}); throw e; }
});

async function knowledgeFlow() {
  const first = (await gw.call(gw.adminToken, 'GET', '/v1/assist/knowledge')).json;
  const short = (id) => id.replace(/^sha256:/, '').slice(0, 12);
  browser = await startBrowser();
  const { page } = browser;
  await signIn(page, gw.url, gw.adminToken);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Knowledge' }).click();
  const served = page.getByRole('region', { name: 'Served now' });
  await served.getByText(short(first.id)).waitFor();
  assert.match(await served.innerText(), /2 procedures, 1 article/);
  assert.match(await served.innerText(), /serve --assist-knowledge/);
  const rows = page.getByRole('table', { name: 'Knowledge versions' }).locator('tbody tr');
  assert.equal(await rows.count(), 1);
  assert.deepEqual(await unlabelledControls(page), [], 'every control has a label');

  // A document with a step that has no action: refused, the field named, nothing changed.
  const documentBox = page.getByLabel('Document (JSON)');
  await documentBox.fill(JSON.stringify({ format: 'hitlgate-assist/1', procedures: [{ id: 'x', steps: [{}] }] }));
  await page.getByRole('button', { name: 'Upload and activate' }).click();
  await page.getByRole('status').filter({ hasText: 'procedures[0].steps[0]: action is missing' }).waitFor();
  assert.match(await page.getByRole('status').filter({ hasText: 'Refused' }).innerText(), /nothing changed/);
  assert.equal(await rows.count(), 1);
  await shot(page, 'knowledge-01-refused');

  // A good one: stored, listed first and served.
  await documentBox.fill(JSON.stringify(SECOND));
  await page.getByRole('button', { name: 'Upload and activate' }).click();
  await served.getByText('0 procedures, 2 articles').waitFor();
  assert.equal(await rows.count(), 2);
  const second = (await gw.call(gw.adminToken, 'GET', '/v1/assist/knowledge')).json;
  assert.notEqual(second.id, first.id);
  assert.match(await rows.first().innerText(), new RegExp(short(second.id)));
  assert.match(await rows.first().innerText(), /Served/);
  await shot(page, 'knowledge-02-uploaded');

  // Rollback: activate the first version again (the confirm dialog is accepted).
  await page.getByRole('button', { name: `Activate version ${short(first.id)}` }).click();
  await served.getByText(short(first.id)).waitFor();
  assert.match(await rows.nth(1).innerText(), /Served/);
  assert.equal(await page.getByRole('button', { name: `Activate version ${short(second.id)}` }).count(), 1);
  const now = (await gw.call(gw.adminToken, 'GET', '/v1/assist/knowledge')).json;
  assert.equal(now.id, first.id);
  await shot(page, 'knowledge-03-rolled-back');
}
