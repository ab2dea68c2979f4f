// Measuring oversight in the console: a supervisor reads the effectiveness
// charts (the figures shown are the API's), replays a candidate policy
// version against the recorded history (the decisions that change, the
// escalation rate by trigger, the reviewers needed now and with the
// candidate); an admin runs the candidate in shadow mode from the Policies
// view and sees live decisions that would change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway, startBrowser, signIn, shot, postEvent, unlabelledControls, WEB } from '../testlib/helpers.mjs';

let gw, browser;
before(async () => { gw = await startGateway(); });
after(async () => { await browser?.close(); await gw?.stop(); });

const candidateYaml = readFileSync(join(WEB, '..', 'examples', 'policies', 'retail-candidate.yaml'), 'utf8');

function refund(id, amount, channel = 'chat') {
  return { interaction_id: id, customer_id: `u-${id}`, workflow: 'retail-bot', channel, type: 'ai_proposal', intent: 'return_item', confidence: 0.95,
    text: 'I have refunded your order.', collected: { order_id: 'A-1001' }, action: { name: 'refund', amount, currency: 'USD', params: { order_id: 'A-1001' } } };
}
const message = (id, text, channel = 'chat') => ({ interaction_id: id, customer_id: `u-${id}`, workflow: 'retail-bot', channel, type: 'customer_message', text });

async function answer(token, taskId, verdict) {
  const claimed = await gw.call(token, 'POST', `/v1/review/tasks/${taskId}/claim`);
  assert.equal(claimed.status, 200, claimed.text);
  // A reviewer reads before answering: handling time (claim to verdict) is measured.
  await new Promise((r) => setTimeout(r, 1100));
  const r = await gw.call(token, 'POST', `/v1/review/tasks/${taskId}/verdict`, { verdict, lease_id: claimed.json.lease.lease_id, ...(verdict === 'rejected' ? { reason: 'not allowed' } : {}) });
  assert.equal(r.status, 200, r.text);
}

// The text of a chart's table cell: row by its first cell, column by header.
async function tableCell(page, chartId, rowLabel, column) {
  return page.evaluate(({ chartId, rowLabel, column }) => {
    const table = document.querySelector(`figure[data-chart="${chartId}"] table`);
    if (!table) return null;
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    const col = heads.indexOf(column);
    for (const tr of table.querySelectorAll('tbody tr')) {
      const cells = [...tr.children];
      if (cells[0].textContent.trim() === rowLabel) return cells[col]?.textContent.trim() ?? null;
    }
    return null;
  }, { chartId, rowLabel, column });
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;

test('supervisor: effectiveness charts show the API\'s figures; a replay shows changed decisions and staffing', async () => {
  const supervisor = await gw.key('supervisor', { name: 'Sam Supervisor' });
  const reviewer = await gw.key('reviewer', { name: 'Rita Reviewer', skills: ['billing', 'orders'] });
  const agent = await gw.key('agent', { name: 'retail bot' });

  // Traffic: ten conversations, refunds of 40 (allowed), 150 (held by the
  // active policy, not by the candidate) and 300 USD (held by both).
  const amounts = [40, 150, 300, 40, 150, 40, 300, 150, 40, 40];
  const held = [];
  for (let i = 0; i < amounts.length; i++) {
    const id = `m-${i}`;
    const channel = i % 3 === 0 ? 'email' : 'chat';
    await postEvent(gw, agent, message(id, 'I want a refund for my blender, order A-1001.', channel));
    const d = await postEvent(gw, agent, refund(id, amounts[i], channel));
    if (d.decision === 'hold') held.push(d.task_id);
  }
  assert.ok(held.length >= 5, `expected holds, got ${held.length}`);
  // A handoff after which the customer repeats the order number.
  await postEvent(gw, agent, message('m-h', 'My order #W2378156 never arrived.'));
  const handoff = await postEvent(gw, agent, message('m-h', 'I want to talk to a human agent, now.'));
  await postEvent(gw, agent, message('m-h', 'As I said, order #W2378156 never arrived.'));
  await answer(reviewer, held[0], 'approved');
  await answer(reviewer, held[1], 'rejected');
  for (const [id, score] of [['m-0', 5], ['m-3', 2], ['m-5', 4]]) {
    const r = await gw.call(agent, 'POST', `/v1/interactions/${id}/csat`, { score });
    assert.equal(r.status, 200, r.text);
  }
  const api = (await gw.call(supervisor, 'GET', '/v1/metrics/effectiveness')).json;
  assert.equal(api.escalation.events, 23);
  assert.equal(handoff.decision, 'handoff', JSON.stringify(handoff));
  assert.equal(api.handoff_context_retention.customer_repeated, 1, JSON.stringify(api.handoff_context_retention));

  browser = await startBrowser({ width: 1360, height: 900 });
  const { page } = browser;
  try {
    await signIn(page, gw.url, supervisor);
    await page.getByRole('link', { name: 'Measure' }).click();
    await page.getByRole('heading', { name: 'Measure', level: 1 }).waitFor();
    const tile = (key) => page.locator(`.tile[data-tile="${key}"] .tile-value`);
    await tile('escalations').waitFor();
    assert.equal(await tile('events').innerText(), String(api.escalation.events));
    assert.equal(await tile('escalations').innerText(), String(api.escalation.escalations));
    assert.equal(await tile('agreement').innerText(), pct(api.agreement_with_ai.share));
    assert.equal(await tile('retention').innerText(), pct(api.handoff_context_retention.repeated_share.share));
    assert.match(await page.locator('[data-figure="retention"]').innerText(), /1 of 1 observable/);

    // Escalation rate by trigger: every trigger's count as the API says.
    for (const row of api.escalation.by_trigger) {
      assert.equal(await tableCell(page, 'escalation-breakdown', row.key, 'Escalations'), String(row.escalations), row.key);
    }
    // By channel.
    await page.getByLabel('Break down by').selectOption('by_channel');
    for (const row of api.escalation.by_channel) {
      assert.equal(await tableCell(page, 'escalation-breakdown', row.key, 'Escalations'), String(row.escalations), row.key);
      assert.equal(await tableCell(page, 'escalation-breakdown', row.key, 'Rate'), pct(row.rate), row.key);
    }
    // The bars are drawn from the same figures.
    const barValues = await page.locator('figure[data-chart="escalation-breakdown"] svg rect[data-value]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.value)).sort());
    assert.deepEqual(barValues, api.escalation.by_channel.map((r) => r.rate).sort());
    // CSAT: surveys per group; reviewers' verdicts; resolution by queue.
    for (const g of api.csat.groups.filter((x) => x.responses)) {
      const label = { ai_resolved: 'AI-resolved', escalated: 'Escalated (AI kept it)', human_resolved: 'Human-resolved' }[g.group];
      assert.equal(await tableCell(page, 'csat-groups', label, 'Surveys'), String(g.responses), g.group);
    }
    const rita = api.reviewers.find((r) => r.verdicts > 0);
    assert.equal(await tableCell(page, 'reviewer-verdicts', rita.reviewer, 'Verdicts'), String(rita.verdicts));
    assert.equal(await tableCell(page, 'resolution-by-queue', 'All queues', 'Tasks'), String(api.resolution_seconds.all.count));
    assert.ok(await page.locator('figure[data-chart="escalation-over-time"] svg').isVisible());
    await shot(page, 'measure-01-charts');
    await page.locator('figure[data-chart="escalation-breakdown"] summary').click();
    await shot(page, 'measure-02-table-alternative');

    // A candidate version, uploaded by an admin, replayed from the console.
    const up = await gw.call(gw.adminToken, 'POST', '/v1/policies', candidateYaml);
    assert.equal(up.status, 200, up.text);
    const version = up.json.version;
    const replayApi = (await gw.call(supervisor, 'POST', `/v1/policies/${version}/replay`, {})).json;
    assert.ok(replayApi.comparison.changed > 0, JSON.stringify(replayApi.comparison));
    await page.reload();
    await page.getByLabel('Candidate version').waitFor();
    await page.getByLabel('Candidate version').selectOption(version);
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    const changes = page.locator('table[data-table="replay-changes"]');
    await changes.waitFor();
    for (const c of replayApi.comparison.changes) {
      assert.equal(await changes.locator(`tr[data-from="${c.from}"][data-to="${c.to}"] td.num`).innerText(), String(c.count));
    }
    assert.match(await page.locator('[data-figure="replay-changed"]').innerText(), new RegExp(`^${replayApi.comparison.changed} of ${replayApi.comparison.events} decisions change`));
    for (const t of replayApi.comparison.active.escalations_by_trigger) {
      assert.equal(await tableCell(page, 'replay-triggers', t.trigger, 'Active'), String(t.count), t.trigger);
    }
    // Staffing: the reviewers needed are the staffing endpoint's answers for both escalation rates.
    const staffing = page.locator('table[data-table="staffing"]');
    await staffing.locator('[data-needed="Candidate"]').waitFor();
    const arrivals = Number(await page.getByLabel('Events per hour').inputValue());
    // Handling time: the reviewers' measured claim-to-verdict time, weighted by verdicts.
    const eff = (await gw.call(supervisor, 'GET', '/v1/metrics/effectiveness')).json;
    let secs = 0, verdicts = 0;
    for (const r of eff.reviewers) if (r.verdicts > 0 && r.mean_handle_seconds > 0) { secs += r.mean_handle_seconds * r.verdicts; verdicts += r.verdicts; }
    const handleSeconds = Number(await page.getByLabel('Handling time per task (s)').inputValue());
    assert.ok(verdicts > 0, 'the verdicts above took a second each');
    {
      assert.equal(handleSeconds, Math.max(1, Math.round(secs / verdicts)));
      assert.match(await page.locator('[data-figure="handle-source"]').innerText(), new RegExp(`measured: mean of ${verdicts} verdict`));
    }
    for (const [label, rate] of [['Active policy', replayApi.comparison.active.escalation_rate], ['Candidate', replayApi.comparison.candidate.escalation_rate]]) {
      const want = (await gw.call(supervisor, 'POST', '/v1/staffing', { arrivals_per_hour: arrivals, escalation_rate: rate, handle_seconds: handleSeconds, target_level: 0.8, target_wait_seconds: 60 })).json;
      assert.equal(await staffing.locator(`[data-needed="${label}"]`).innerText(), String(want.recommended_agents), label);
    }
    await page.locator('section[aria-labelledby="pc-replay"]').scrollIntoViewIfNeeded();
    await shot(page, 'measure-03-replay-staffing');
    assert.deepEqual(await unlabelledControls(page), [], 'every control has a label');
    assert.equal(browser.errors.filter((e) => !/favicon|Failed to load resource/.test(e)).length, 0, browser.errors.join('\n'));
  } catch (e) { await shot(page, 'measure-FAILED').catch(() => {}); throw e; }
});

test('admin: shadow mode from the Policies view counts live decisions that would change', async () => {
  const agent = await gw.key('agent', { name: 'retail bot 2' });
  const versions = (await gw.call(gw.adminToken, 'GET', '/v1/policies')).json.versions;
  const candidate = versions.find((v) => !v.active);
  assert.ok(candidate, 'the first test uploaded a candidate');
  await browser?.close();
  browser = await startBrowser({ width: 1360, height: 900 });
  const { page } = browser;
  try {
    await signIn(page, gw.url, gw.adminToken);
    await page.getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('heading', { name: 'Before a version goes live' }).waitFor();
    await page.locator('[data-figure="shadow-state"]').waitFor();
    await page.getByLabel('Candidate version').selectOption(candidate.version);
    await page.getByRole('button', { name: 'Start with the selected version' }).click();
    await page.locator('[data-figure="shadow-state"]', { hasText: 'Running' }).waitFor();
    // Live traffic: a 150 USD refund is held now, the shadow would allow it.
    const d = await postEvent(gw, agent, refund('shadow-1', 150));
    assert.equal(d.decision, 'hold');
    await postEvent(gw, agent, refund('shadow-2', 40));
    const shadowApi = (await gw.call(gw.adminToken, 'GET', '/v1/shadow')).json;
    assert.equal(shadowApi.comparison.events, 2);
    assert.equal(shadowApi.comparison.changed, 1);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('[data-figure="shadow-changed"]', { hasText: /^1 of 2 decisions change/ }).waitFor();
    const row = page.locator('table[data-table="shadow-changes"] tbody tr').first();
    assert.equal(await row.getAttribute('data-from'), 'hold');
    assert.equal(await row.locator('td.num').innerText(), '1');
    await page.locator('section[aria-labelledby="pc-shadow"]').scrollIntoViewIfNeeded();
    await shot(page, 'measure-04-policies-shadow');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.locator('[data-figure="shadow-state"]', { hasText: 'Off.' }).waitFor();
    // Admins see reviewers by their keys' names in the Measure view.
    await page.getByRole('link', { name: 'Measure' }).click();
    const verdicts = page.locator('figure[data-chart="reviewer-verdicts"] table');
    await verdicts.waitFor({ state: 'attached' });
    assert.match(await verdicts.textContent(), /Rita Reviewer \([0-9a-f]+\)/);
    assert.deepEqual(await unlabelledControls(page), [], 'every control has a label');
    assert.equal(browser.errors.filter((e) => !/favicon|Failed to load resource/.test(e)).length, 0, browser.errors.join('\n'));
  } catch (e) { await shot(page, 'measure-FAILED-admin').catch(() => {}); throw e; }
});
