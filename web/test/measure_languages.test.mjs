// The Measure view's table per language: customers writing in German,
// French and Spanish (the language detected from the text, or given on the
// event), one German customer asking for a person and handed off; the table
// shows the API's per-language figures, and a bad range is refused without
// losing the table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, startBrowser, signIn, shot, postEvent, unlabelledControls } from '../testlib/helpers.mjs';

let gw, browser;
before(async () => { gw = await startGateway(); });
after(async () => { await browser?.close(); await gw?.stop(); });

const message = (id, text, extra = {}) => ({ interaction_id: id, customer_id: `u-${id}`, workflow: 'retail-bot', channel: 'chat', type: 'customer_message', text, ...extra });

test('supervisor: the Measure view shows events, handoffs, requests for a person and sentiment per language', async () => {
  const supervisor = await gw.key('supervisor', { name: 'Sam Supervisor' });
  const agent = await gw.key('agent', { name: 'retail bot' });
  const sent = [
    message('de-1', 'Ich warte seit zwei Wochen auf meine Bestellung und habe keine Antwort bekommen.'),
    message('de-1', 'Ich möchte sofort mit einem Mitarbeiter sprechen, das ist eine Frechheit.'),
    message('de-2', 'Vielen Dank, Ihr Kundenservice war sehr freundlich und hat mir schnell geholfen.'),
    message('fr-1', 'Je suis très déçu, ma commande est arrivée cassée et personne ne me répond.'),
    message('fr-2', 'Merci beaucoup, le conseiller était très aimable et efficace.'),
    message('es-1', 'Es una vergüenza, pésimo servicio, el paquete llegó roto.', { language: 'es' }),
  ];
  const decisions = [];
  for (const e of sent) decisions.push(await postEvent(gw, agent, e));
  assert.equal(decisions[1].decision, 'handoff', JSON.stringify(decisions[1]));
  assert.equal(decisions[0].signals.language, 'de', JSON.stringify(decisions[0].signals));

  const api = (await gw.call(supervisor, 'GET', '/v1/metrics/effectiveness')).json;
  const rows = Object.fromEntries(api.escalation.by_language.map((x) => [x.language, x]));
  assert.deepEqual(Object.keys(rows).sort(), ['de', 'es', 'fr'], JSON.stringify(api.escalation.by_language));
  assert.equal(rows.de.events, 3);
  assert.equal(rows.de.handoffs, 1);
  assert.equal(rows.de.human_requests, 1);
  assert.equal(rows.fr.events, 2);
  assert.equal(rows.fr.handoffs + rows.fr.holds, 0);
  assert.ok(rows.es.sentiment_mean < 0, JSON.stringify(rows.es));
  assert.ok(rows.fr.sentiment_mean > -1 && rows.fr.sentiment_mean < 1);

  browser = await startBrowser({ width: 1360, height: 900 });
  const { page } = browser;
  try {
    await signIn(page, gw.url, supervisor);
    await page.getByRole('link', { name: 'Measure' }).click();
    const table = page.locator('table[data-table="by-language"]');
    await table.waitFor();
    const cell = async (language, column) => {
      const heads = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
      const col = heads.indexOf(column);
      assert.ok(col > 0, `column ${column}`);
      return (await table.locator(`tbody tr[data-language="${language}"] > *`).nth(col).textContent()).trim();
    };
    const pct = (x) => `${(x * 100).toFixed(1)}%`;
    const signed = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
    for (const x of api.escalation.by_language) {
      assert.equal(await cell(x.language, 'Events'), String(x.events), x.language);
      assert.equal(await cell(x.language, 'Handoffs'), String(x.handoffs), x.language);
      assert.equal(await cell(x.language, 'Holds'), String(x.holds), x.language);
      assert.equal(await cell(x.language, 'Escalation rate'), pct(x.rate), x.language);
      assert.equal(await cell(x.language, 'Asked for a person'), pct(x.human_request_rate), x.language);
      assert.equal(await cell(x.language, 'Mean sentiment'), signed(x.sentiment_mean), x.language);
    }
    assert.equal(await cell('de', 'Asked for a person'), pct(1 / 3));
    await page.locator('section[data-card="m-languages"]').scrollIntoViewIfNeeded();
    await shot(page, 'measure-05-languages');

    // A range whose end is before its start is refused; the table stays.
    await page.getByLabel('Range', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill('2026-12-06T12:00');
    await page.getByLabel('To', { exact: true }).fill('2026-12-06T11:00');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByText('"To" must be after "From".').waitFor();
    assert.equal(await cell('de', 'Events'), String(rows.de.events));
    assert.deepEqual(await unlabelledControls(page), [], 'every control has a label');
    assert.equal(browser.errors.filter((e) => !/favicon|Failed to load resource/.test(e)).length, 0, browser.errors.join('\n'));
  } catch (e) { await shot(page, 'measure-FAILED-languages').catch(() => {}); throw e; }
});
