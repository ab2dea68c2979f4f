// Pieces shared by the reviewer's inbox and the auditor's samples.
import { h, fmtMoney, fmtTime } from '../dom.js';
import { reasonSentence, signalRows, decisionLabel } from '../reasons.js';

export function transcriptView(items = []) {
  if (!items.length) return h('p.empty', 'No messages yet.');
  return h('ol.transcript', { 'aria-label': 'Transcript' }, items.map((m) => {
    const who = m.type === 'customer_message' ? 'customer' : m.type === 'ai_proposal' ? 'ai' : 'system';
    const label = who === 'customer' ? 'Customer' : who === 'ai' ? 'AI agent' : m.type.replace(/_/g, ' ');
    return h('li.bubble', { class: `from-${who}` },
      h('div.bubble-head', h('span.bubble-who', label),
        m.intent ? h('span.muted', ` · ${m.intent}${m.confidence !== undefined && m.confidence !== null ? ` ${(m.confidence * 100).toFixed(0)}%` : ''}`) : null,
        m.at ? h('time.muted', { datetime: m.at }, ` · ${fmtTime(m.at)}`) : null,
        m.decision ? h('span.decision-chip', { class: `d-${m.decision}` }, decisionLabel(m.decision)) : null),
      m.text ? h('p.bubble-text', m.text) : null,
      m.action ? h('p.bubble-action', '⚙ ', actionSummary(m.action)) : null);
  }));
}

export function actionSummary(a) {
  if (!a) return '';
  const params = Object.entries(a.params || {}).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`);
  return `${a.name}${a.amount !== undefined && a.amount !== null ? ` ${fmtMoney(a.amount, a.currency)}` : ''}${params.length ? ` (${params.join(', ')})` : ''}`;
}

export function actionTable(a) {
  if (!a) return null;
  const rows = [['Action', h('code', a.name)]];
  if (a.amount !== undefined && a.amount !== null) rows.push(['Amount', h('strong.amount', fmtMoney(a.amount, a.currency))]);
  for (const [k, v] of Object.entries(a.params || {})) rows.push([k.replace(/_/g, ' '), typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  return h('dl.kv', rows.map(([k, v]) => [h('dt', k), h('dd', v)]));
}

export function reasonsView(decision, event) {
  const reasons = (decision?.reasons || []).filter((r) => r.trigger !== 'oversight_default' || decision.reasons.length === 1);
  const defaults = (decision?.reasons || []).filter((r) => r.trigger === 'oversight_default' && decision.reasons.length > 1);
  return h('div',
    h('ul.reasons', reasons.map((r) => h('li.reason', { class: `d-${r.decision}` },
      h('span.decision-chip', { class: `d-${r.decision}` }, decisionLabel(r.decision)), ' ',
      h('span', reasonSentence(r, event)), r.floor ? h('span.tag', { title: 'A floor: earned autonomy never relaxes it' }, 'floor') : null))),
    defaults.length ? h('p.muted.small', 'Baseline: ', defaults.map((r) => reasonSentence(r, event)).join('; ')) : null);
}

export function signalsView(signals) {
  const rows = signalRows(signals || {});
  return h('dl.kv.signals', rows.map(([k, v, level]) => [h('dt', k), h('dd', { class: `lvl-${level}` }, h('span.lvl-icon', { 'aria-hidden': 'true' }, level === 'bad' ? '▲ ' : level === 'warn' ? '△ ' : '· '), v)]));
}

export function collectedView(collected) {
  const entries = Object.entries(collected || {});
  if (!entries.length) return h('p.empty', 'Nothing collected.');
  return h('dl.kv', entries.map(([k, v]) => [h('dt', k.replace(/_/g, ' ')), h('dd', typeof v === 'object' ? JSON.stringify(v) : String(v))]));
}

export function section(title, ...body) {
  const id = 'sec-' + title.toLowerCase().replace(/[^a-z]+/g, '-');
  return h('section.card', { 'aria-labelledby': id }, h('h3', { id }, title), ...body);
}

export function kbdButton(label, key, onclick, cls = '') {
  return h('button.btn', { type: 'button', class: cls, onclick, 'aria-keyshortcuts': key.length === 1 ? key.toUpperCase() : key, title: `${label} (${key})` }, label, ' ', h('kbd', key.length === 1 ? key.toUpperCase() : key));
}
