// Earned autonomy in the console: reviewers approve 30 held store-credit
// proposals unchanged, the gateway proposes HOTL for that action, a
// supervisor sees the evidence in the Autonomy view and signs it off, and the
// next such proposal goes out under watch instead of waiting for a person.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, startBrowser, signIn, shot, postEvent, unlabelledControls } from '../testlib/helpers.mjs';

let gw, browser;
before(async () => { gw = await startGateway(); });
after(async () => { await browser?.close(); await gw?.stop(); });

const credit = (i) => ({
  interaction_id: `credit-${i}`, customer_id: `cust-${i}`, workflow: 'retail-bot', channel: 'chat',
  type: 'ai_proposal', intent: 'payment_issue', confidence: 0.9, text: 'I have added a store credit for the late delivery.',
  action: { name: 'issue_store_credit', amount: 5, currency: 'USD' },
});

async function waitFor(what, fn, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await gw.call(gw.adminToken, 'GET', '/v1/autonomy').then((r) => r.json))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('supervisor: a promotion earned by agreement is signed off in the Autonomy view and takes effect', async () => {
  const agent = await gw.key('agent', { name: 'retail bot' });
  const reviewer = await gw.key('reviewer', { name: 'Riley Reviewer', skills: ['orders'] });
  const supervisor = await gw.key('supervisor', { name: 'Sam Supervisor' });
  const auditor = await gw.key('auditor', { name: 'Ada Auditor' });

  // 30 held proposals, each approved unchanged by a reviewer.
  for (let i = 0; i < 30; i++) {
    const d = await postEvent(gw, agent, credit(i));
    assert.equal(d.decision, 'hold', `store credit ${i} is held at HITL: ${JSON.stringify(d.reasons)}`);
    const claim = await gw.call(reviewer, 'POST', '/v1/review/next', {});
    assert.equal(claim.status, 200, claim.text);
    const v = await gw.call(reviewer, 'POST', `/v1/review/tasks/${claim.json.id}/verdict`, { verdict: 'approved', lease_id: claim.json.lease.lease_id });
    assert.equal(v.status, 200, v.text);
  }
  const pending = await waitFor('the promotion and its sign-off task', async () => {
    const r = await gw.call(supervisor, 'GET', '/v1/autonomy');
    const row = (r.json?.levels || []).find((l) => l.subject === 'action:issue_store_credit');
    return row?.pending?.task_id ? row : null;
  });
  assert.equal(pending.level, 'hitl');
  assert.equal(pending.pending.to, 'hotl');

  browser = await startBrowser({ width: 1360, height: 900 });
  const { page } = browser;
  try {
    await signIn(page, gw.url, supervisor);
    await page.getByRole('link', { name: 'Autonomy' }).click();
    await page.getByRole('heading', { name: 'Earned autonomy' }).waitFor();
    const card = page.locator('li.signoff[data-key="retail-bot/action:issue_store_credit"]');
    await card.waitFor();
    // The evidence shown is the gateway's: 30 of 30 agreed, and its bound.
    assert.match(await card.innerText(), /30 of 30 judged cases agreed/);
    assert.match(await card.innerText(), new RegExp(`${(pending.evidence.wilson_lower * 100).toFixed(1)}%`));
    const row = page.locator('tr[data-key="retail-bot/action:issue_store_credit"]');
    assert.match(await row.innerText(), /HITL/);
    assert.match(await row.innerText(), /30 \/ 30/);
    assert.deepEqual(await unlabelledControls(page), [], 'every control has a label');
    await shot(page, 'autonomy-01-pending');

    await card.getByRole('button', { name: /Sign off retail-bot action issue_store_credit/ }).click();
    await page.locator('tr[data-key="retail-bot/action:issue_store_credit"] .level-chip.lv-hotl').waitFor({ timeout: 10000 });
    await page.getByText('No promotion is waiting for a sign-off.').waitFor();
    await page.locator('table[aria-label="Recent changes of level"]').getByText('signed off').first().waitFor();
    await shot(page, 'autonomy-02-signed-off');

    // The sign-off took effect: the next store credit is watched, not held,
    // and the sign-off is in the audit log with the supervisor as its actor.
    const next = await postEvent(gw, agent, credit(99));
    assert.equal(next.decision, 'allow_monitored', JSON.stringify(next.reasons));
    const audit = await gw.call(gw.adminToken, 'GET', '/v1/audit?from_seq=1&limit=2000');
    assert.match(audit.text, /autonomy_changed/);
    assert.equal(browser.errors.filter((e) => !/favicon|Failed to load resource/.test(e)).length, 0, browser.errors.join('\n'));

    // An auditor reads the levels but cannot sign anything.
    await page.evaluate(() => sessionStorage.clear());
    await signIn(page, gw.url, auditor);
    await page.getByRole('link', { name: 'Autonomy' }).click();
    await page.locator('tr[data-key="retail-bot/action:issue_store_credit"] .level-chip.lv-hotl').waitFor();
    assert.equal(await page.getByRole('button', { name: /Sign off/ }).count(), 0);
  } catch (e) { await shot(page, 'autonomy-FAILED').catch(() => {}); throw e; }
});
