// The whole reviewer flow: an agent posts a refund over the limit, it appears
// in the reviewer's inbox live, the reviewer opens it, edits the amount and
// approves with the keyboard, and the agent's long-poll (started before the
// verdict) receives the edited action.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, startBrowser, signIn, shot, postEvent, unlabelledControls } from '../testlib/helpers.mjs';

let gw, browser;
before(async () => { gw = await startGateway(); });
after(async () => { await browser?.close(); await gw?.stop(); });


test('reviewer: a held refund, edited and approved from the keyboard, reaches the waiting agent', async () => {
  try { await reviewerFlow(); } catch (e) { if (browser) await shot(browser.page, 'reviewer-FAILED').catch(() => {}); throw e; }
});

async function reviewerFlow() {
  const reviewer = await gw.key('reviewer', { name: 'Rita Reviewer', skills: ['billing'], languages: ['en'] });
  const agent = await gw.key('agent', { name: 'billing bot' });
  browser = await startBrowser();
  const { page } = browser;

  await page.goto(gw.url + '/');
  await page.getByLabel('API key').fill('hg_not_a_real_key');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
  await shot(page, 'reviewer-00-login');
  await signIn(page, gw.url, reviewer);
  await page.getByRole('heading', { name: /Inbox/ }).waitFor();
  await page.getByRole('option', { name: /No tasks waiting/ }).waitFor();
  await shot(page, 'reviewer-01-empty-inbox');

  // The same customer wrote yesterday in another chat.
  await postEvent(gw, agent, { interaction_id: 'chat-4702', customer_id: 'cust-88', workflow: 'retail-bot', channel: 'email',
    type: 'customer_message', text: 'Order 1234 is late, where is it?' });

  // The agent's conversation: a customer message, then a refund over the limit.
  const base = { interaction_id: 'chat-4711', customer_id: 'cust-88', workflow: 'retail-bot', channel: 'chat', language: 'en' };
  await postEvent(gw, agent, { ...base, type: 'customer_message', text: 'My order 1234 arrived broken. I want my money back, this is the second time!' });
  const decision = await postEvent(gw, agent, {
    ...base, type: 'ai_proposal', intent: 'refund_request', confidence: 0.91,
    text: 'I am sorry about that. I have refunded 120.00 EUR to your card for order 1234.',
    action: { name: 'refund', amount: 120, currency: 'EUR', params: { order_id: '1234', reason: 'damaged' } },
    collected: { order_id: '1234', item: 'Espresso machine', damage: 'cracked water tank' },
    summary: 'Customer received a damaged espresso machine and wants a refund.',
  });
  assert.equal(decision.decision, 'hold');
  const taskId = decision.task_id;
  assert.ok(taskId, 'the hold opened a task');

  // It appears in the inbox without a reload (live updates).
  const item = page.locator(`.task-item[data-id="${taskId}"]`);
  await item.waitFor({ timeout: 10000 });
  assert.match(await item.innerText(), /Held proposal/);
  assert.match(await item.locator('.sla').innerText(), /left/);
  await shot(page, 'reviewer-02-task-arrived');

  // The agent waits for the verdict (long-poll) before the reviewer decides.
  const longPoll = (async () => {
    await null;
    const deadline = Date.now() + 60000;
    for (;;) {
      const r = await gw.call(agent, 'GET', `/v1/tasks/${taskId}?wait=30s`);
      if (r.status !== 200) throw new Error(`long-poll: ${r.status} ${r.text}`);
      if (r.json.status !== 'pending' || Date.now() > deadline) return r.json;
    }
  })();

  // Open it with the keyboard: J selects the first task.
  await page.locator('body').press('j');
  const detail = page.locator('#task-detail');
  await detail.getByRole('heading', { name: /refund/i }).waitFor();
  await detail.getByText('Refund of 120.00 EUR is above the 100.00 EUR limit (rule refunds-over-100)').waitFor();
  await detail.getByText('Espresso machine', { exact: true }).waitFor();
  await detail.locator('.bubble.from-customer').first().waitFor();
  // The customer's earlier contact is listed with its first words.
  await detail.locator('ul.contacts li').filter({ hasText: 'Order 1234 is late, where is it?' }).waitFor();
  await shot(page, 'reviewer-03-task-open');
  assert.deepEqual(await unlabelledControls(page), [], 'every control has a label');

  // E: edit. The amount field has the focus; change it to 95.
  await page.keyboard.press('e');
  if (process.env.CONSOLE_DEBUG) { await page.waitForTimeout(1500); console.log(await page.locator('#toasts').innerText(), await page.evaluate(() => document.activeElement.outerHTML.slice(0, 80))); }
  const amount = detail.getByLabel(/Amount/);
  await amount.waitFor();
  assert.equal(await amount.evaluate((el) => el === document.activeElement), true, 'the amount field has the focus');
  await amount.fill('95');
  const text = detail.getByLabel('Reply to the customer');
  await text.fill('I am sorry about that. I have refunded 95.00 EUR to your card for order 1234.');
  await detail.locator('table.param-diff').getByText('95').waitFor();
  await detail.locator('.diff-text ins').first().waitFor();
  await shot(page, 'reviewer-04-editing');
  assert.deepEqual(await unlabelledControls(page), [], 'every control has a label');

  // Ctrl+Enter approves with the edits.
  await page.keyboard.press('Control+Enter');
  await page.locator('.toast').filter({ hasText: 'Approved with edits' }).waitFor();
  const got = await longPoll;
  assert.equal(got.status, 'answered');
  assert.equal(got.final.deliver, true);
  assert.equal(got.final.action.amount, 95);
  assert.equal(got.final.text, 'I am sorry about that. I have refunded 95.00 EUR to your card for order 1234.');
  assert.equal(got.verdict.kind, 'edited');
  await item.waitFor({ state: 'detached' });
  await shot(page, 'reviewer-05-approved');

  // Help dialog lists the shortcuts.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  assert.match(await help.innerText(), /Take the conversation over/);
  await shot(page, 'reviewer-06-shortcuts');
  await page.keyboard.press('Escape');

  // Tablet width: another held refund, claimed with N, then rejected.
  await page.setViewportSize({ width: 820, height: 1180 });
  const d2 = await postEvent(gw, agent, {
    interaction_id: 'chat-4712', customer_id: 'cust-90', workflow: 'retail-bot', channel: 'chat', type: 'ai_proposal', intent: 'refund_request', confidence: 0.7,
    text: 'I have refunded 450.00 USD.', action: { name: 'refund', amount: 450, currency: 'USD', params: { order_id: '9981' } },
  });
  await page.locator(`.task-item[data-id="${d2.task_id}"]`).waitFor();
  await page.keyboard.press('n');
  await detail.getByText('Claimed by you').waitFor();
  await page.keyboard.press('r');
  await detail.getByLabel('Reason (kept for retraining)').selectOption('Suspected fraud');
  await detail.getByLabel('Message for the customer').fill('We need to check this refund with our billing team; we will contact you within a day.');
  await shot(page, 'reviewer-07-tablet-reject');
  assert.deepEqual(await unlabelledControls(page), [], 'every control has a label');
  await page.keyboard.press('Control+Enter');
  await page.locator('.toast').filter({ hasText: 'Rejected' }).waitFor();
  const r2 = await gw.call(agent, 'GET', `/v1/tasks/${d2.task_id}`);
  assert.equal(r2.json.status, 'answered');
  assert.equal(r2.json.final.deliver, false);

  // The decision trail of the first conversation, from the task's link.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${gw.url}/#/interactions/chat-4711`);
  const trail = page.getByRole('list', { name: 'Decision trail' });
  await trail.waitFor();
  assert.match(await trail.innerText(), /Approved with edits by .*final action refund 95\.00 EUR/);
  await shot(page, 'reviewer-08-decision-trail');

  // The SLA countdown ticks and turns red when breached (a 5-second billing SLA).
  const active = (await gw.call(gw.adminToken, 'GET', '/v1/policies/active')).json;
  const fast = active.source.replace(/billing:(\s*)\{skills: \[billing\], sla_seconds: \d+/, 'billing:$1{skills: [billing], sla_seconds: 5');
  assert.notEqual(fast, active.source);
  const up = await gw.call(gw.adminToken, 'POST', '/v1/policies?activate=true', fast);
  assert.equal(up.status, 200, up.text);
  await page.goto(`${gw.url}/#/inbox`);
  const d3 = await postEvent(gw, agent, {
    interaction_id: 'chat-4713', customer_id: 'cust-91', workflow: 'retail-bot', type: 'ai_proposal', intent: 'refund_request', confidence: 0.9,
    text: 'Refunded 300.00 EUR.', action: { name: 'refund', amount: 300, currency: 'EUR', params: { order_id: '777' } },
  });
  // Claim it at once (N): unclaimed, a breached task escalates to the supervisors' queue.
  const late = page.locator(`.task-item[data-id="${d3.task_id}"] .sla`);
  await late.waitFor();
  await page.keyboard.press('n');
  await detail.getByText('Claimed by you').waitFor();
  await detail.locator('.head-right .sla.breached').filter({ hasText: /SLA breached \d+:\d\d ago/ }).waitFor({ timeout: 10000 });
  await page.waitForFunction((id) => document.querySelector(`.task-item[data-id="${id}"] .sla.breached`), d3.task_id, { timeout: 5000 });
  assert.match(await late.innerText(), /⚠ \d+:\d\d over/);
  await shot(page, 'reviewer-09-sla-breached');
  assert.equal(browser.errors.filter((e) => !/favicon|Failed to load resource/.test(e)).length, 0, browser.errors.join('\n'));
}
