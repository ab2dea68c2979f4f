// Supervisors' live board (human-on-the-loop): per-workflow volume,
// escalation rate, sentiment and SLA breaches; alerts with links to the
// conversations behind them; interventions (pause a workflow, hold the next
// AI turn, take a conversation over). Every intervention is audited by the
// gateway.
import { get, post, qs, subscribe } from '../api.js';
import { h, replace, field, pct, num, fmtTime, ago, toast, errorText } from '../dom.js';
import { decisionLabel } from '../reasons.js';
import { section } from './shared.js';

const ALERT_LABELS = { escalation_rate: 'Escalation rate', negative_sentiment: 'Negative sentiment', sla_breach: 'SLA breaches' };

export async function mount(root, { me }) {
  const st = { window: Number(sessionStorage.getItem('hitlgate.window') || 3600), stats: null, workflows: [], feed: [], seenAlerts: new Set(), statsMissing: false, wfMissing: false };
  const windowSel = h('select', { onchange: () => { st.window = Number(windowSel.value); sessionStorage.setItem('hitlgate.window', st.window); refresh(); } },
    [[900, 'Last 15 minutes'], [3600, 'Last hour'], [14400, 'Last 4 hours'], [86400, 'Last 24 hours']].map(([v, l]) => h('option', { value: v, selected: v === st.window }, l)));
  const updatedEl = h('span.muted.small', { 'aria-live': 'off' });
  const alertsEl = h('div', { 'aria-live': 'polite' });
  const tableEl = h('div.table-wrap');
  const feedEl = h('div.table-wrap');
  const interveneEl = h('div');
  replace(root,
    h('div.page-head', h('h1', 'Live board'), h('div.head-tools', field('Window', windowSel), updatedEl)),
    section('Alerts', alertsEl),
    section('Workflows', tableEl),
    h('div.board-grid',
      h('div.col', section('Live decisions', feedEl)),
      h('div.col', section('Intervene in a conversation', interveneEl))));

  async function refresh() {
    const [stats, wfs] = await Promise.allSettled([get('/v1/stats' + qs({ window: st.window })), get('/v1/workflows')]);
    if (stats.status === 'fulfilled') { st.stats = stats.value; st.statsMissing = false; } else { st.statsMissing = stats.reason?.status === 404; if (!st.statsMissing) toast(errorText(stats.reason), 'error'); }
    if (wfs.status === 'fulfilled') { st.workflows = wfs.value.workflows || []; st.wfMissing = false; } else st.wfMissing = wfs.reason?.status === 404;
    updatedEl.textContent = `Updated ${new Date().toLocaleTimeString([], { hour12: false })}`;
    render();
  }

  function render() {
    const stats = st.stats || { workflows: [], alerts: [] };
    // alerts
    const alerts = stats.alerts || [];
    for (const a of alerts) {
      const key = `${a.workflow}/${a.kind}/${a.since}`;
      if (!st.seenAlerts.has(key)) { if (st.seenAlerts.size || st.primed) toast(`Alert: ${ALERT_LABELS[a.kind] || a.kind} in ${a.workflow}`, 'warn', 8000); st.seenAlerts.add(key); }
    }
    st.primed = true;
    replace(alertsEl, st.statsMissing ? h('p.muted', 'Statistics are not available on this gateway yet.')
      : alerts.length ? h('ul.alerts', alerts.map((a) => h('li.alert', { class: `a-${a.kind}` },
        h('div', h('strong', '⚠ ', ALERT_LABELS[a.kind] || a.kind), ` in ${a.workflow}: `,
          h('strong', a.kind === 'sla_breach' ? num(a.value, 0) : pct(a.value)), ` (threshold ${a.kind === 'sla_breach' ? num(a.threshold, 0) : pct(a.threshold)})`,
          a.since ? h('span.muted', ` since ${fmtTime(a.since)}`) : null),
        h('div.alert-links', (a.interactions || []).length ? ['Conversations: ', (a.interactions || []).slice(0, 8).map((id, i) => [i ? ', ' : '', h('a', { href: `#/interactions/${encodeURIComponent(id)}` }, id)]),
          a.interactions.length > 8 ? ` and ${a.interactions.length - 8} more` : ''] : h('span.muted', 'No conversations listed')))))
        : h('p.ok-text', '✓ No thresholds breached.'));
    // workflows table: stats rows joined with the paused state
    const byName = new Map();
    for (const w of stats.workflows || []) byName.set(w.workflow, { ...w });
    for (const w of st.workflows) byName.set(w.name, { ...(byName.get(w.name) || { workflow: w.name }), control: w });
    const rows = [...byName.values()].sort((a, b) => a.workflow.localeCompare(b.workflow));
    if (!rows.length) { replace(tableEl, h('p.muted', 'No workflow has sent events in this window yet.')); return; }
    replace(tableEl, h('table.data', { 'aria-label': 'Workflows' },
      h('thead', h('tr', ['Workflow', 'State', 'Events', 'Escalations', 'Escalation rate', 'Avg sentiment', 'Negative share', 'SLA breaches', 'Open tasks', 'Control'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', rows.map((w) => {
        const paused = w.control?.paused;
        const alerting = alerts.filter((a) => a.workflow === w.workflow);
        return h('tr', { class: paused ? 'paused' : '', dataset: { workflow: w.workflow } },
          h('th', { scope: 'row' }, w.workflow, alerting.length ? h('span.tag.bad', { title: alerting.map((a) => ALERT_LABELS[a.kind]).join(', ') }, '⚠ alert') : null),
          h('td', paused ? h('span.status-chip.s-paused', { title: `Paused by ${w.control.paused_by_name || w.control.paused_by} at ${fmtTime(w.control.paused_at)}${w.control.reason ? ': ' + w.control.reason : ''}` }, '❚❚ Paused') : h('span.status-chip.s-live', '▶ Running'),
            paused ? h('div.small.muted', `by ${w.control.paused_by_name || w.control.paused_by}${w.control.reason ? ': ' + w.control.reason : ''}`) : null),
          h('td.num', w.events ?? '—'), h('td.num', w.escalations ?? '—'), h('td.num', { class: alerting.some((a) => a.kind === 'escalation_rate') ? 'bad' : '' }, pct(w.escalation_rate)),
          h('td.num', num(w.avg_sentiment)), h('td.num', { class: alerting.some((a) => a.kind === 'negative_sentiment') ? 'bad' : '' }, pct(w.negative_share)),
          h('td.num', { class: w.sla_breaches ? 'bad' : '' }, w.sla_breaches ?? '—'), h('td.num', w.open_tasks ?? '—'),
          h('td', paused
            ? h('button.btn.small', { type: 'button', onclick: () => resume(w.workflow), 'aria-label': `Resume workflow ${w.workflow}` }, '▶ Resume')
            : h('button.btn.small.danger', { type: 'button', onclick: () => pauseDialog(w.workflow), 'aria-label': `Pause workflow ${w.workflow}` }, '❚❚ Pause')));
      }))));
    if (st.wfMissing) tableEl.append(h('p.muted.small', 'Pausing workflows is not available on this gateway yet.'));
  }

  function pauseDialog(workflow) {
    const reason = h('input', { required: true, placeholder: 'e.g. refunds look wrong since the last model update' });
    const dlg = h('dialog.modal', { 'aria-labelledby': 'pause-title' },
      h('form', { method: 'dialog', onsubmit: async (e) => {
        e.preventDefault();
        if (!reason.value.trim()) { reason.focus(); return; }
        try {
          await post(`/v1/workflows/${encodeURIComponent(workflow)}/pause`, { reason: reason.value.trim() });
          toast(`Workflow ${workflow} paused: every proposal is held until you resume it.`, 'ok');
          dlg.close();
          refresh();
        } catch (ex) { toast(ex.status === 404 ? 'This gateway cannot pause workflows yet.' : errorText(ex), 'error'); }
      } },
      h('h2', { id: 'pause-title' }, `Pause ${workflow}?`),
      h('p', 'Every AI proposal of this workflow will be held for a person until the workflow is resumed. Customer messages still flow.'),
      field('Reason (recorded in the audit log)', reason),
      h('div.form-actions', h('button.btn.danger', { type: 'submit' }, 'Pause workflow'), h('button.btn.ghost', { type: 'button', onclick: () => dlg.close() }, 'Cancel'))));
    dlg.addEventListener('close', () => dlg.remove());
    document.body.append(dlg);
    dlg.showModal();
    reason.focus();
  }

  async function resume(workflow) {
    try {
      await post(`/v1/workflows/${encodeURIComponent(workflow)}/resume`);
      toast(`Workflow ${workflow} resumed.`, 'ok');
      refresh();
    } catch (e) { toast(errorText(e), 'error'); }
  }

  // --- interventions on one conversation
  const convInput = h('input', { placeholder: 'interaction id', name: 'interaction', autocomplete: 'off' });
  const convReason = h('input', { placeholder: 'reason (audited)' });
  const doControl = async (kind) => {
    const id = convInput.value.trim();
    if (!id) { convInput.focus(); toast('Enter the interaction id first.', 'error'); return; }
    await intervene(kind, id, convReason.value.trim());
  };
  replace(interveneEl, h('form.inline-form', { onsubmit: (e) => { e.preventDefault(); doControl('hold-next'); } },
    field('Conversation', convInput), field('Reason', convReason),
    h('div.form-actions',
      h('button.btn', { type: 'submit' }, 'Hold next AI turn'),
      h('button.btn', { type: 'button', onclick: () => doControl('takeover') }, 'Take over'))),
  h('p.muted.small', 'Or use the buttons on a decision below.'));

  async function intervene(kind, id, reason) {
    try {
      await post(`/v1/interactions/${encodeURIComponent(id)}/${kind}`, reason ? { reason } : {});
      toast(kind === 'hold-next' ? `The next AI turn in ${id} will be held for review.` : `You took ${id} over: the AI stops proposing.`, 'ok');
    } catch (e) { toast(e.status === 404 && /route|not found/i.test(e.message) ? 'This gateway cannot do that yet.' : errorText(e), 'error'); }
  }

  function renderFeed() {
    if (!st.feed.length) { replace(feedEl, h('p.muted', 'Waiting for decisions… they appear here as the AI agents work.')); return; }
    replace(feedEl, h('table.data.feed', { 'aria-label': 'Live decisions' },
      h('thead', h('tr', ['Time', 'Workflow', 'Conversation', 'Decision', 'Sentiment', 'Why', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', st.feed.map((d) => h('tr',
        h('td.nowrap', d.t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })), h('td', d.workflow),
        h('td', h('a', { href: `#/interactions/${encodeURIComponent(d.interaction_id)}` }, d.interaction_id)),
        h('td', h('span.decision-chip', { class: `d-${d.decision}` }, decisionLabel(d.decision))),
        h('td.num', { class: d.sentiment <= -0.5 ? 'bad' : '' }, num(d.sentiment)),
        h('td.small', (d.triggers || []).filter((x) => x !== 'oversight_default').join(', ') || '—'),
        h('td.nowrap',
          h('button.btn.tiny', { type: 'button', 'aria-label': `Hold the next AI turn in ${d.interaction_id}`, onclick: () => intervene('hold-next', d.interaction_id, 'from the live board') }, 'Hold next'),
          h('button.btn.tiny', { type: 'button', 'aria-label': `Take over ${d.interaction_id}`, onclick: () => intervene('takeover', d.interaction_id, 'from the live board') }, 'Take over')))))));
  }

  let timer = setInterval(refresh, 5000);
  let pending = null;
  const unsub = subscribe(['decision', 'control.', 'task.escalated', 'stream.reconnect'], (name, d) => {
    if (name === 'decision' && d) {
      st.feed.unshift({ ...d, t: new Date() });
      st.feed.length = Math.min(st.feed.length, 40);
      renderFeed();
    }
    clearTimeout(pending);
    pending = setTimeout(refresh, 600);
  });
  renderFeed();
  await refresh();
  return {
    unmount() { clearInterval(timer); clearTimeout(pending); unsub(); },
    help: [['1 … 6', 'Switch view']],
  };
}
