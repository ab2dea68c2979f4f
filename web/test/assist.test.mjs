// Agent assist in the inbox: a gateway started with a trained next-action
// model and a procedures/articles document shows, for a held proposal, the
// procedure with its done and next steps, the suggestions with why and the
// matching article with its words marked; U puts the top suggestion into the
// editor (the person still approves), E edits the proposal as the AI made it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, startBrowser, signIn, shot, postEvent, unlabelledControls, BIN } from '../testlib/helpers.mjs';

const POLICY = `policy: assist-console
queues:
  general: {skills: [], sla_seconds: 600}
defaults:
  oversight: hootl
  queue: general
rules:
  - name: passwords-reviewed
    when: {action: make-password}
    decision: hold
`;

const KNOWLEDGE = {
  format: 'hitlgate-assist/1',
  procedures: [
    { id: 'refund', flow: 'billing', title: 'Refund a purchase', steps: [
      { action: 'pull-up-account', label: 'Pull up account' }, { action: 'validate-purchase', label: 'Validate purchase' },
      { action: 'offer-refund', label: 'Offer refund' }] },
    { id: 'password', flow: 'access', title: 'Recover a password', steps: [
      { action: 'pull-up-account', label: 'Pull up account' }, { action: 'enter-details', label: 'Enter details', slots: ['username', 'email'] },
      { action: 'make-password', label: 'Make password' }] },
  ],
  articles: [
    { id: 'refund-guide', title: 'Refunds', procedure: 'refund', body: 'Validate the purchase with the order id, then refund the item to the card.' },
    { id: 'password-guide', title: 'Passwords', procedure: 'password', body: 'Ask for the email and the security answer, then make a new password.' },
  ],
};

// Conversations that walk their procedure, in the shared contexts format.
function contexts() {
  const lines = [];
  for (let i = 0; i < 40; i++) {
    const refund = i % 2 === 0;
    const steps = refund ? ['pull-up-account', 'validate-purchase', 'offer-refund'] : ['pull-up-account', 'enter-details', 'make-password'];
    let text = refund ? 'i want my money back for the jacket i bought' : 'i forgot my password and cannot log in';
    steps.forEach((_, s) => {
      const target = JSON.stringify(steps.slice(s).map((a) => [a, []]));
      lines.push(JSON.stringify({ convo_id: i, turn_id: s, input: `Context: ${text}`, target_data: target }));
      text += ' thanks, one moment';
    });
  }
  return lines.join('\n') + '\n';
}

let gw, browser, dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hitlgate-assist-console-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  writeFileSync(join(dir, 'knowledge.json'), JSON.stringify(KNOWLEDGE));
  writeFileSync(join(dir, 'contexts.jsonl'), contexts());
  execFileSync(BIN, ['assist', 'train', '--contexts', join(dir, 'contexts.jsonl'), '--procedures', join(dir, 'knowledge.json'),
    '--out', join(dir, 'model')], { stdio: 'pipe' });
  gw = await startGateway({ args: ['--policy', join(dir, 'policy.yaml'), '--assist-model', join(dir, 'model'),
    '--assist-knowledge', join(dir, 'knowledge.json')] });
});
after(async () => { await browser?.close(); await gw?.stop(); if (dir) rmSync(dir, { recursive: true, force: true }); });

test('assist: the procedure, the next step and the article beside a held task; U puts the suggestion into the editor', async () => {
  try { await assistFlow(); } catch (e) { if (browser) await shot(browser.page, 'assist-FAILED').catch(() => {}); throw e; }
});

async function assistFlow() {
  const reviewer = await gw.key('reviewer', { name: 'Rita Reviewer' });
  const agent = await gw.key('agent', { name: 'account bot' });
  // Signed in before the task exists: it arrives live (a task already open
  // at sign-in is sometimes missing from the first list; see the report).
  browser = await startBrowser();
  const { page } = browser;
  await signIn(page, gw.url, reviewer);
  await page.getByRole('option', { name: /No tasks waiting/ }).waitFor();

  const base = { interaction_id: 'chat-pw-1', customer_id: 'cust-9', workflow: 'support-bot', channel: 'chat' };
  await postEvent(gw, agent, { ...base, type: 'customer_message', text: 'hi, i forgot my password and cannot log in' });
  const pulled = await postEvent(gw, agent, { ...base, type: 'ai_proposal', text: 'sure, one moment', action: { name: 'pull-up-account' } });
  assert.equal(pulled.decision, 'allow');
  const held = await postEvent(gw, agent, { ...base, type: 'ai_proposal', text: 'here is a new password', action: { name: 'make-password' },
    collected: { Username: 'jdoe' } });
  assert.equal(held.decision, 'hold');

  await page.locator(`.task-item[data-id="${held.task_id}"]`).waitFor({ timeout: 30000 });
  await page.locator('body').press('j');
  const detail = page.locator('#task-detail');
  const panel = detail.getByRole('region', { name: 'Assist' });
  await panel.waitFor();
  await panel.getByText('Recover a password', { exact: true }).waitFor();
  const steps = panel.getByRole('list', { name: 'Procedure steps' }).getByRole('listitem');
  assert.deepEqual(await steps.allInnerTexts(), ['✓ Pull up account (done)', '→ Enter details (next)', 'Make password']);
  const top = panel.getByRole('list', { name: 'Suggested next actions' }).getByRole('listitem').first();
  assert.match(await top.innerText(), /enter-details/);
  assert.match(await top.innerText(), /step 2 of 3 of 'Recover a password'/);
  // The step's slots, filled from what the AI collected.
  assert.match(await top.innerText(), /Needs username = jdoe, email \(not collected\)/);
  const article = panel.getByRole('list', { name: 'Articles' }).getByRole('listitem').first();
  assert.match(await article.innerText(), /^Passwords/);
  assert.ok((await article.locator('mark').allInnerTexts()).includes('password'), 'the matched word is marked');
  await shot(page, 'assist-01-panel');
  assert.deepEqual(await unlabelledControls(page), [], 'every control has a label');

  // The second suggestion is marked wrong: recorded by the gateway, shown as such.
  const second = panel.getByRole('list', { name: 'Suggested next actions' }).getByRole('listitem').nth(1);
  const secondAction = (await second.locator('code').innerText()).trim();
  const [wrongReply] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/v1/review/tasks/${held.task_id}/assist/feedback`)),
    second.getByRole('button', { name: `Mark ${secondAction} wrong` }).click(),
  ]);
  assert.equal(wrongReply.status(), 200);
  assert.deepEqual(JSON.parse(wrongReply.request().postData()), { action: secondAction, judgement: 'wrong' });
  await panel.getByRole('list', { name: 'Suggested next actions' }).getByRole('listitem').nth(1).getByText('marked wrong').waitFor();

  // U: the top suggestion goes into the editor (recorded as used); the diff
  // shows it against the AI's draft.
  const usedReply = page.waitForResponse((r) => r.url().endsWith('/assist/feedback') && r.request().postData().includes('"used"'));
  await page.keyboard.press('u');
  assert.equal((await usedReply).status(), 200);
  const actionName = detail.getByLabel('Action', { exact: true });
  await actionName.waitFor();
  assert.equal(await actionName.inputValue(), 'enter-details');
  await detail.locator('table.param-diff').getByText('enter-details').waitFor();
  await shot(page, 'assist-02-suggestion-in-editor');

  // The Measure figures count both judgements (one used of two).
  const figures = await gw.call(gw.adminToken, 'GET', '/v1/metrics/effectiveness');
  assert.equal(figures.status, 200);
  assert.equal(figures.json.assist.judgements, 2);
  assert.equal(figures.json.assist.acceptance.hits, 1);

  // Esc, then E: the proposal as the AI made it.
  await page.keyboard.press('Escape');
  await page.keyboard.press('e');
  await actionName.waitFor();
  assert.equal(await actionName.inputValue(), 'make-password');
}
