// Supervisors, auditors, admins: is oversight working? The figures of
// GET /v1/metrics/effectiveness (docs/measure.md) over a chosen range, as
// charts with a table under each: escalation rate over time and by trigger,
// intent, workflow and channel; handoff context retention; resolution time
// after escalation by queue; CSAT of AI-resolved, escalated and
// human-resolved conversations with 95% intervals; SLA attainment per queue;
// reviewers' workload and agreement with the AI; per language, events,
// holds, handoffs, how often customers asked for a person and their mean
// sentiment (docs/signals.md). Below: what a policy change
// would do (replay, shadow mode, staffing; policy_change.js).
import { get, qs } from '../api.js';
import { h, replace, field, pct, num, fmtTime, toast, errorText } from '../dom.js';
import { figure, hbars, stackedBars, columns, COLORS } from '../charts.js';
import { policyChangePanel } from './policy_change.js';

const PRESETS = [['1', 'Last 24 hours'], ['7', 'Last 7 days'], ['30', 'Last 30 days'], ['custom', 'Custom range']];
const BREAKDOWNS = [['by_trigger', 'Trigger'], ['by_intent', 'Intent'], ['by_workflow', 'Workflow'], ['by_channel', 'Channel']];
const GROUP_LABELS = { ai_resolved: 'AI-resolved', escalated: 'Escalated (AI kept it)', human_resolved: 'Human-resolved' };
const pctInt = (x) => (x === undefined || x === null ? '—' : `${+(Number(x) * 100).toFixed(1)}%`);
const secs = (x) => (x === undefined || x === null ? '—' : Number(x) < 120 ? `${num(x, 0)} s` : Number(x) < 7200 ? `${num(x / 60, 1)} min` : `${num(x / 3600, 1)} h`);
const interval = (p) => (p && p.n ? `${pct(p.share)} (95% CI ${pct(p.low)}–${pct(p.high)}, n=${p.n})` : 'no data');
// <input type=datetime-local> speaks local time without a zone.
const toLocalInput = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

export async function mount(root, { me }) {
  const st = { report: null, breakdown: sessionStorage.getItem('hitlgate.measure.breakdown') || 'by_trigger', seq: 0, names: new Map() };
  // Reviewers are known by key id; admins may read the keys' names.
  if (me.role === 'admin') {
    try { for (const k of (await get('/v1/keys')).keys || []) st.names.set(k.key_id, k.name); } catch { /* ids then */ }
  }
  const who = (id) => (st.names.has(id) ? `${st.names.get(id)} (${id})` : id);
  const preset = h('select', { onchange: () => { syncInputs(); if (preset.value !== 'custom') load(); } },
    PRESETS.map(([v, l]) => h('option', { value: v, selected: v === '7' }, l)));
  const fromIn = h('input', { type: 'datetime-local', oninput: () => { preset.value = 'custom'; } });
  const toIn = h('input', { type: 'datetime-local', oninput: () => { preset.value = 'custom'; } });
  const rangeForm = h('form.inline-form.range-form', { 'aria-label': 'Time range', onsubmit: (e) => { e.preventDefault(); load(); } },
    field('Range', preset), field('From', fromIn), field('To', toIn),
    h('button.btn.primary', { type: 'submit' }, 'Show'));
  const statusEl = h('p.muted.small', { role: 'status' });
  const tilesEl = h('div.tiles', { 'aria-label': 'Key figures' });
  const overTimeEl = h('div');
  const breakdownSel = h('select', { onchange: () => { st.breakdown = breakdownSel.value; sessionStorage.setItem('hitlgate.measure.breakdown', st.breakdown); renderBreakdown(); } },
    BREAKDOWNS.map(([v, l]) => h('option', { value: v, selected: v === st.breakdown }, l)));
  const breakdownEl = h('div');
  const retentionEl = h('div');
  const resolutionEl = h('div');
  const csatEl = h('div');
  const slaEl = h('div');
  const reviewersEl = h('div');
  const auditEl = h('div');
  const languagesEl = h('div');
  const card = (id, title, body, tools) => h('section.card', { 'aria-labelledby': id, dataset: { card: id } },
    h('div.card-head', h('h3', { id }, title), tools || null), body);
  const change = policyChangePanel({ me, range: () => currentRange() });

  replace(root,
    h('div.page-head', h('div', h('h1', 'Measure'), h('p.muted.small', 'Is oversight working? Figures from the gateway\'s own records.')), rangeForm),
    statusEl,
    tilesEl,
    h('div.measure-grid',
      card('m-time', 'Escalation rate over time', overTimeEl),
      card('m-breakdown', 'Escalation breakdown', breakdownEl, field('Break down by', breakdownSel)),
      card('m-csat', 'Customer satisfaction (CSAT)', csatEl),
      card('m-languages', 'By language', languagesEl),
      card('m-retention', 'Handoff context retention', retentionEl),
      card('m-resolution', 'Resolution time after escalation', resolutionEl),
      card('m-sla', 'SLA attainment per queue', slaEl),
      card('m-reviewers', 'Reviewers: workload and agreement with the AI', reviewersEl),
      card('m-audit', 'Audit samples', auditEl)),
    h('section.card.policy-change-card', { 'aria-labelledby': 'm-change' },
      h('h2', { id: 'm-change' }, 'Before a policy goes live'),
      h('p.muted.small', 'Replay a saved policy version against recent history, watch it in shadow mode on live traffic, and see what it costs in reviewers.'),
      change.el));

  function syncInputs() {
    if (preset.value === 'custom') return;
    const now = new Date();
    fromIn.value = toLocalInput(new Date(now.getTime() - Number(preset.value) * 86400000));
    toIn.value = '';
  }

  function currentRange() {
    const from = fromIn.value ? new Date(fromIn.value) : null;
    const to = toIn.value ? new Date(toIn.value) : null;
    return { from: from && !Number.isNaN(from.getTime()) ? from.toISOString() : undefined, to: to && !Number.isNaN(to.getTime()) ? to.toISOString() : undefined };
  }

  async function load() {
    const seq = ++st.seq;
    const range = currentRange();
    if (range.from && range.to && range.to <= range.from) { toast('"To" must be after "From".', 'error'); return; }
    statusEl.textContent = 'Loading…';
    try {
      const r = await get('/v1/metrics/effectiveness' + qs(range));
      if (seq !== st.seq) return;
      st.report = r;
      statusEl.textContent = `${r.interactions} conversations with events from ${fmtTime(r.from)} to ${r.to ? fmtTime(r.to) : 'now'} · as of ${fmtTime(r.as_of)}`;
      render();
    } catch (e) {
      if (seq !== st.seq) return;
      statusEl.textContent = '';
      replace(tilesEl, h('p.form-error', { role: 'alert' }, e.status === 404 ? 'Effectiveness figures are not available on this gateway.' : errorText(e)));
    }
  }

  function tile(label, value, sub, key) {
    return h('div.tile', { dataset: { tile: key } }, h('div.tile-label', label), h('div.tile-value', value), sub ? h('div.tile-sub', sub) : null);
  }

  function render() {
    const r = st.report;
    const e = r.escalation;
    const ret = r.handoff_context_retention;
    const groups = Object.fromEntries((r.csat.groups || []).map((g) => [g.group, g]));
    const delta = r.csat.satisfied_delta_human_minus_ai;
    replace(tilesEl,
      tile('Events decided', String(e.events), `${r.interactions} conversations`, 'events'),
      tile('Escalations', String(e.escalations), `hold or handoff · rate ${pct(e.rate)}`, 'escalations'),
      tile('Customers repeating themselves', ret.observable ? pct(ret.repeated_share.share) : '—', `${ret.customer_repeated} of ${ret.observable} observable handoffs`, 'retention'),
      tile('CSAT satisfied, AI-resolved', groups.ai_resolved?.responses ? pct(groups.ai_resolved.satisfied.share) : '—', `${groups.ai_resolved?.responses || 0} surveys`, 'csat-ai'),
      tile('CSAT satisfied, human-resolved', groups.human_resolved?.responses ? pct(groups.human_resolved.satisfied.share) : '—', delta ? `${delta.delta >= 0 ? '+' : ''}${pct(delta.delta)} vs AI (${pct(delta.low)}…${pct(delta.high)})` : `${groups.human_resolved?.responses || 0} surveys`, 'csat-human'),
      tile('Agreement with the AI', r.agreement_with_ai.n ? pct(r.agreement_with_ai.share) : '—', `${r.agreement_with_ai.hits} of ${r.agreement_with_ai.n} held proposals approved as is`, 'agreement'),
      r.assist ? tile('Assist suggestions used', r.assist.judgements ? pct(r.assist.acceptance.share) : '—',
        `${r.assist.acceptance.hits} of ${r.assist.judgements} judged · median handling ${r.assist.handle_seconds_with_used.count ? secs(r.assist.handle_seconds_with_used.p50) : '—'} with a used suggestion, ${r.assist.handle_seconds_without_used.count ? secs(r.assist.handle_seconds_without_used.p50) : '—'} without`, 'assist') : null);

    // Over time.
    const buckets = e.over_time || [];
    const bucketLabel = (iso) => {
      const d = new Date(iso);
      return e.bucket_seconds >= 86400 ? d.toLocaleDateString([], { month: 'short', day: 'numeric' }) : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    };
    replace(overTimeEl, buckets.length ? figure({
      id: 'escalation-over-time', title: `Escalation rate per ${e.bucket_seconds >= 604800 ? 'week' : e.bucket_seconds >= 86400 ? 'day' : 'hour'}`,
      summary: `Escalation rate in ${buckets.length} periods, from ${pct(Math.min(...buckets.map((b) => (b.events ? b.escalations / b.events : 0))))} to ${pct(Math.max(...buckets.map((b) => (b.events ? b.escalations / b.events : 0))))}.`,
      svg: columns(buckets.map((b) => ({ label: bucketLabel(b.start), value: b.events ? b.escalations / b.events : 0, title: `${fmtTime(b.start)}: ${b.escalations} of ${b.events} events escalated` })), { fmt: pctInt, max: 0.1 }),
      table: { head: ['Period from', 'Events', 'Escalations', 'Rate'], rows: buckets.map((b) => [fmtTime(b.start), b.events, b.escalations, pct(b.events ? b.escalations / b.events : 0)]) },
    }) : h('p.empty', 'No events in this range.'));
    renderBreakdown();

    // Handoff context retention.
    const kinds = Object.entries(ret.by_kind || {});
    replace(retentionEl,
      h('p', { dataset: { figure: 'retention' } }, ret.handoffs ? [h('strong', ret.observable ? pct(ret.repeated_share.share) : '—'), ` of handoffs where the customer repeated information the AI had collected (${ret.customer_repeated} of ${ret.observable} observable; ${ret.handoffs} handoff${ret.handoffs === 1 ? '' : 's'} in all)`,
        ret.observable ? h('span.muted', ` · 95% CI ${pct(ret.repeated_share.low)}–${pct(ret.repeated_share.high)}`) : null] : h('span.muted', 'No handoffs in this range.')),
      kinds.length ? figure({
        id: 'retention-kinds', title: 'What customers repeated',
        summary: kinds.map(([k, n]) => `${k}: ${n}`).join(', '),
        svg: hbars(kinds.map(([k, n]) => ({ label: k.replace(/_/g, ' '), value: n, text: String(n) })), { fmt: (v) => (Number.isInteger(v) ? String(v) : ''), color: COLORS.warn }),
        table: { head: ['Kind', 'Handoffs'], rows: kinds.map(([k, n]) => [k.replace(/_/g, ' '), n]) },
      }) : null,
      (ret.examples || []).length ? h('details', h('summary', `Examples (${ret.examples.length})`),
        h('ul.plain-list', ret.examples.map((x) => h('li', h('a', { href: `#/interactions/${encodeURIComponent(x.interaction_id)}` }, x.interaction_id), ` · ${x.kind}: `, h('q', x.what))))) : null,
      h('p.muted.small', 'A word-overlap heuristic: paraphrases are missed, and confirming a number when asked counts as a repetition.'));

    // Resolution time by queue.
    const queues = [['All queues', r.resolution_seconds.all], ...(r.resolution_seconds.by_queue || []).map((q) => [q.queue, q.percentiles])].filter(([, p]) => p.count);
    replace(resolutionEl, queues.length ? figure({
      id: 'resolution-by-queue', title: 'Task opened to verdict: median, p90 and p99',
      summary: queues.map(([q, p]) => `${q}: median ${secs(p.p50)}, p90 ${secs(p.p90)}`).join('; '),
      svg: stackedBars(queues.map(([q, p]) => ({ label: q, parts: [p.p50, Math.max(0, p.p90 - p.p50), Math.max(0, p.p99 - p.p90)] })),
        [{ name: 'median', color: COLORS.bar }, { name: 'to p90', color: '#7fa6e0' }, { name: 'to p99', color: COLORS.soft }], { fmt: secs }),
      table: { head: ['Queue', 'Tasks', 'Mean', 'p50', 'p90', 'p95', 'p99', 'Max'], rows: queues.map(([q, p]) => [q, p.count, secs(p.mean), secs(p.p50), secs(p.p90), secs(p.p95), secs(p.p99), secs(p.max)]) },
    }) : h('p.empty', 'No escalated task was answered in this range.'));

    // CSAT.
    const gs = (r.csat.groups || []);
    replace(csatEl, gs.some((g) => g.responses) ? [figure({
      id: 'csat-groups', title: 'Satisfied (4 or 5 of 5), with 95% intervals',
      summary: gs.map((g) => `${GROUP_LABELS[g.group] || g.group}: ${interval(g.satisfied)}`).join('; '),
      svg: hbars(gs.map((g) => ({ label: GROUP_LABELS[g.group] || g.group, value: g.satisfied.share, low: g.responses ? g.satisfied.low : undefined, high: g.responses ? g.satisfied.high : undefined, text: g.responses ? pct(g.satisfied.share) : 'no data', color: g.group === 'ai_resolved' ? COLORS.bar : g.group === 'human_resolved' ? COLORS.ok : COLORS.mon })), { max: 1, fmt: pctInt }),
      table: { head: ['Group', 'Surveys', 'Satisfied', '95% CI', 'Mean score', 'Mean 95% CI'], rows: gs.map((g) => [GROUP_LABELS[g.group] || g.group, g.responses, g.responses ? pct(g.satisfied.share) : '—', g.responses ? `${pct(g.satisfied.low)}–${pct(g.satisfied.high)}` : '—', g.responses ? num(g.mean, 2) : '—', g.responses ? `${num(g.mean_low, 2)}–${num(g.mean_high, 2)}` : '—']) },
    }), delta ? h('p.small', 'Human-resolved minus AI-resolved satisfied share: ', h('strong', `${delta.delta >= 0 ? '+' : ''}${pct(delta.delta)}`), ` (95% CI ${pct(delta.low)} to ${pct(delta.high)}${delta.low <= 0 && delta.high >= 0 ? '; not distinguishable from zero' : ''}).`) : null]
      : h('p.empty', 'No surveys in this range. Agents send them with POST /v1/interactions/{id}/csat.'));

    // SLA.
    const sla = (r.sla || []).filter((q) => q.tasks);
    replace(slaEl, sla.length ? figure({
      id: 'sla-by-queue', title: 'Tasks answered by their deadline',
      summary: sla.map((q) => `${q.queue}: ${interval(q.attainment)}`).join('; '),
      svg: hbars(sla.map((q) => ({ label: q.queue, value: q.attainment.share, low: q.attainment.low, high: q.attainment.high, color: q.attainment.share >= 0.8 ? COLORS.ok : COLORS.bad })), { max: 1, fmt: pctInt }),
      table: { head: ['Queue', 'Tasks', 'Met', 'Open past due', 'Attainment', '95% CI'], rows: sla.map((q) => [q.queue, q.tasks, q.met, q.open_overdue, pct(q.attainment.share), `${pct(q.attainment.low)}–${pct(q.attainment.high)}`]) },
    }) : h('p.empty', 'No task was due in this range.'));

    // Reviewers.
    const rv = (r.reviewers || []).filter((x) => x.verdicts || x.claims);
    replace(reviewersEl, rv.length ? [figure({
      id: 'reviewer-verdicts', title: 'Verdicts per reviewer',
      summary: rv.map((x) => `${who(x.reviewer)}: ${x.verdicts} verdicts, ${x.approved} approved`).join('; '),
      svg: stackedBars(rv.map((x) => ({ label: who(x.reviewer), parts: [x.approved, x.edited, x.rejected, x.taken_over] })),
        [{ name: 'approved', color: COLORS.ok }, { name: 'edited', color: COLORS.warn }, { name: 'rejected', color: COLORS.bad }, { name: 'taken over', color: COLORS.mon }]),
      table: { head: ['Reviewer', 'Claims', 'Verdicts', 'Approved', 'Edited', 'Rejected', 'Taken over', 'Mean handling', 'Agreement with AI'], rows: rv.map((x) => [who(x.reviewer), x.claims, x.verdicts, x.approved, x.edited, x.rejected, x.taken_over, secs(x.mean_handle_seconds), x.agreement_with_ai.n ? pct(x.agreement_with_ai.share) : '—']) },
    }), h('p.small', 'Agreement with the AI (held proposals approved as is): ', h('strong', interval(r.agreement_with_ai)))]
      : h('p.empty', 'No reviewer claimed or answered a task in this range.'));

    // Languages: the event's own tag, else the one detected in its text.
    const langs = e.by_language || [];
    const sentiment = (x) => (x.customer_messages ? `${x.sentiment_mean >= 0 ? '+' : ''}${num(x.sentiment_mean, 2)}` : '—');
    const head = ['Language', 'Events', 'Holds', 'Handoffs', 'Escalation rate', 'Customer messages', 'Asked for a person', 'Mean sentiment'];
    replace(languagesEl, langs.length ? [h('div.table-wrap', h('table.data', { dataset: { table: 'by-language' }, 'aria-label': 'Events and escalations per language' },
      h('thead', h('tr', head.map((c, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, c)))),
      h('tbody', langs.map((x) => h('tr', { dataset: { language: x.language } },
        h('th', { scope: 'row' }, x.language),
        [x.events, x.holds, x.handoffs, pct(x.rate), x.customer_messages, x.customer_messages ? pct(x.human_request_rate) : '—', sentiment(x)].map((c) => h('td.num', String(c)))))))),
    h('p.muted.small', 'The event\'s own language, else the one detected in its text; "(unknown)" when neither says (short or mixed messages). Sentiment and requests for a person are over customer messages.')]
      : h('p.empty', 'No events in this range.'));

    const a = r.audit_samples;
    replace(auditEl, h('dl.kv', h('dt', 'Sampled'), h('dd', String(a.samples)), h('dt', 'Reviewed'), h('dd', String(a.reviewed)),
      h('dt', 'Findings'), h('dd', { class: a.findings ? 'bad' : '' }, `${a.findings}${a.reviewed ? ` (${pct(a.findings / a.reviewed)} of reviewed)` : ''}`)),
    h('p.muted.small', 'Autonomous conversations sampled for audit; a finding is an edit or a rejection.'));
  }

  function renderBreakdown() {
    const r = st.report;
    if (!r) return;
    const rows = (r.escalation[st.breakdown] || []).slice().sort((a, b) => b.rate - a.rate);
    const label = BREAKDOWNS.find(([k]) => k === st.breakdown)[1];
    const top = rows.slice(0, 12);
    replace(breakdownEl, rows.length ? figure({
      id: 'escalation-breakdown', title: `Escalation rate by ${label.toLowerCase()}`,
      summary: top.map((x) => `${x.key}: ${pct(x.rate)}`).join('; '),
      note: st.breakdown === 'by_trigger' ? 'Escalations a trigger asked for, over all events (one escalation may have several triggers).' : rows.length > top.length ? `The ${top.length} highest of ${rows.length}; the table lists all.` : null,
      svg: hbars(top.map((x) => ({ label: x.key || '(none)', value: x.rate, text: `${pct(x.rate)} (${x.escalations})` })), { fmt: pctInt }),
      table: { head: [label, 'Events', 'Escalations', 'Rate'], rows: rows.map((x) => [x.key || '(none)', x.events, x.escalations, pct(x.rate)]) },
    }) : h('p.empty', 'No escalations in this range.'));
  }

  syncInputs();
  await load();
  change.start();
  return {
    unmount: () => change.stop(),
    keys: { r: () => load() },
    help: [['R', 'Reload the figures']],
  };
}
