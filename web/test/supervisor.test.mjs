// A supervisor watches the live board and pauses a workflow: every proposal
// of the paused workflow is then held for a person, until it is resumed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, startBrowser, signIn, shot, postEvent, hasEndpoint, unlabelledControls } from '../testlib/helpers.mjs';

let gw, browser;
before(async () => { gw = await startGateway(); });
after(async () => { await browser?.close(); await gw?.stop(); });

test('supervisor: the live board, pausing a workflow holds its proposals', async (t) => {
  const supervisor = await gw.key('supervisor', { name: 'Sam Supervisor' });
  const agent = await gw.key('agent', { name: 'retail bot' });
  if (!(await hasEndpoint(gw, supervisor, '/v1/workflows')) || !(await hasEndpoint(gw, supervisor, '/v1/stats'))) {
    t.skip('this gateway has no GET /v1/workflows or /v1/stats yet (the supervisor endpoints): pausing cannot be tested');
    return;
  }
  // Some traffic, so the board has a workflow to show.
  for (let i = 0; i < 3; i++) {
    const base = { interaction_id: `sup-${i}`, customer_id: `c-${i}`, workflow: 'retail-bot', channel: 'chat' };
    await postEvent(gw, agent, { ...base, type: 'customer_message', text: i === 2 ? 'This is terrible, I am furious, nothing works!' : 'Where is my order?' });
    await postEvent(gw, agent, { ...base, type: 'ai_proposal', intent: 'track_order', confidence: 0.95, text: 'Your order ships tomorrow.' });
  }
  // A workflow in trouble: angry customers and refunds over the limit, so its
  // escalation rate and negative sentiment cross the alert thresholds.
  for (let i = 0; i < 12; i++) {
    const base = { interaction_id: `angry-${i}`, customer_id: `a-${i}`, workflow: 'billing-bot', channel: 'chat' };
    await postEvent(gw, agent, { ...base, type: 'customer_message', text: 'This is terrible and useless, I am furious, you charged me twice!' });
    await postEvent(gw, agent, { ...base, type: 'ai_proposal', intent: 'refund_request', confidence: 0.8, text: 'I refunded the double charge.', action: { name: 'refund', amount: 180 + i, currency: 'EUR' } });
  }
  browser = await startBrowser();
  const { page } = browser;
  try {
    await signIn(page, gw.url, supervisor);
    await page.getByRole('link', { name: 'Board' }).click();
    await page.getByRole('heading', { name: 'Live board' }).waitFor();
    const row = page.locator('tr[data-workflow="retail-bot"]');
    await row.waitFor();
    assert.match(await row.innerText(), /Running/);

    // A decision arrives live in the feed.
    await postEvent(gw, agent, { interaction_id: 'sup-live', customer_id: 'c-9', workflow: 'retail-bot', type: 'customer_message', text: 'Hello, can you help me with a return?' });
    await page.locator('table.feed').getByRole('link', { name: 'sup-live' }).waitFor();
    const alert = page.locator('li.alert').filter({ hasText: 'billing-bot' }).first();
    await alert.waitFor();
    assert.match(await alert.innerText(), /Escalation rate|Negative sentiment/);
    await alert.getByRole('link', { name: /angry-/ }).first().waitFor();
    await shot(page, 'supervisor-01-board');

    // Pause, with a reason, from the keyboard-reachable button.
    await row.getByRole('button', { name: 'Pause workflow retail-bot' }).click();
    const dlg = page.getByRole('dialog', { name: /Pause retail-bot/ });
    await dlg.getByLabel(/Reason/).fill('Order status answers look wrong since the model update');
    await shot(page, 'supervisor-02-pause-dialog');
    await dlg.getByRole('button', { name: 'Pause workflow' }).click();
    await row.getByText('Paused').waitFor();
    // Who paused it, by name (the audit log keeps the key id).
    assert.match(await row.innerText(), /by Sam Supervisor: Order status answers look wrong/);
    await shot(page, 'supervisor-03-paused');
    assert.deepEqual(await unlabelledControls(page), [], 'every control has a label');

    // The next proposal of that workflow is held, whatever it is.
    const held = await postEvent(gw, agent, { interaction_id: 'sup-0', customer_id: 'c-0', workflow: 'retail-bot', type: 'ai_proposal', intent: 'track_order', confidence: 0.99, text: 'It ships tomorrow.' });
    assert.equal(held.decision, 'hold');
    assert.ok(held.reasons.some((r) => r.trigger === 'workflow_paused'), JSON.stringify(held.reasons));

    // The pause is in the audit log.
    const audit = await gw.call(gw.adminToken, 'GET', '/v1/audit?from_seq=1&limit=1000');
    assert.match(audit.text, /paus/i);

    // Resume.
    await row.getByRole('button', { name: 'Resume workflow retail-bot' }).click();
    await row.getByText('Running').waitFor();
    const after = await postEvent(gw, agent, { interaction_id: 'sup-1', customer_id: 'c-1', workflow: 'retail-bot', type: 'ai_proposal', intent: 'track_order', confidence: 0.99, text: 'It ships tomorrow.' });
    assert.notEqual(after.decision, 'hold');
    await shot(page, 'supervisor-04-resumed');
    assert.equal(browser.errors.filter((e) => !/favicon|Failed to load resource/.test(e)).length, 0, browser.errors.join('\n'));
  } catch (e) { await shot(page, 'supervisor-FAILED').catch(() => {}); throw e; }
});
