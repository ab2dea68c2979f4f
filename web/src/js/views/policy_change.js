// What a policy change would do, before it goes live (docs/measure.md):
//  * replay a saved version against the gateway's recent history beside the
//    active policy (POST /v1/policies/{version}/replay): the decisions that
//    change, escalation rate by trigger, judged errors;
//  * shadow mode on live traffic (GET/POST/DELETE /v1/shadow; starting and
//    stopping is for admins);
//  * the staffing cost: reviewers needed with the active policy's escalation
//    rate and with the candidate's (POST /v1/staffing, Erlang C/A beside a
//    simulation).
// Used by the Measure view and the Policies view.
import { get, post, del, qs } from '../api.js';
import { h, replace, field, pct, num, fmtTime, toast, errorText } from '../dom.js';
import { figure, pairedBars, COLORS } from '../charts.js';
import { decisionLabel } from '../reasons.js';

const short = (v) => String(v || '').replace(/^sha256:/, '').slice(0, 12);
const SERIES = [{ name: 'active', color: COLORS.bar }, { name: 'candidate', color: COLORS.warn }];

// The comparison (replay or shadow) as a summary, a table of changes with
// examples, and escalation by trigger for both policies.
function comparisonView(c, { idPrefix, candidateName = 'candidate' }) {
  const triggers = new Map();
  for (const t of c.active.escalations_by_trigger || []) triggers.set(t.trigger, { label: t.trigger, a: t.rate, b: 0, ac: t.count, bc: 0 });
  for (const t of c.candidate.escalations_by_trigger || []) {
    const row = triggers.get(t.trigger) || { label: t.trigger, a: 0, b: 0, ac: 0, bc: 0 };
    row.b = t.rate; row.bc = t.count;
    triggers.set(t.trigger, row);
  }
  const rows = [...triggers.values()].sort((x, y) => Math.max(y.a, y.b) - Math.max(x.a, x.b));
  const series = [SERIES[0], { ...SERIES[1], name: candidateName }];
  return h('div.comparison', { dataset: { comparison: idPrefix } },
    h('div.cmp-main',
    h('p', { dataset: { figure: `${idPrefix}-changed` } }, h('strong', String(c.changed)), ` of ${c.events} decisions change (${pct(c.changed_rate)}). Escalation rate: active `,
      h('strong', pct(c.active.escalation_rate)), ` → ${candidateName} `, h('strong', pct(c.candidate.escalation_rate)), '.'),
    (c.changes || []).length ? h('div.table-wrap', h('table.data', { 'aria-label': 'Decisions that change', dataset: { table: `${idPrefix}-changes` } },
      h('thead', h('tr', ['Active decides', `${candidateName[0].toUpperCase()}${candidateName.slice(1)} decides`, 'Events'].map((x, i) => h('th', { scope: 'col', class: i === 2 ? 'num' : '' }, x)))),
      h('tbody', c.changes.map((x) => h('tr', { dataset: { from: x.from, to: x.to } },
        h('td', h('span.decision-chip', { class: `d-${x.from}` }, decisionLabel(x.from))),
        h('td', h('span.decision-chip', { class: `d-${x.to}` }, decisionLabel(x.to))),
        h('td.num', String(x.count))))))) : h('p.muted.small', 'No decision changes.'),
    (c.examples || []).length ? h('details.examples', h('summary', `Examples of changed decisions (${c.examples.length})`),
      h('ul.plain-list', c.examples.map((x) => h('li',
        h('span.decision-chip', { class: `d-${x.from}` }, decisionLabel(x.from)), ' → ', h('span.decision-chip', { class: `d-${x.to}` }, decisionLabel(x.to)), ' ',
        h('a', { href: `#/interactions/${encodeURIComponent(x.interaction_id)}` }, x.interaction_id), ` #${x.event_index} `,
        x.action ? h('code', x.action) : null, x.text ? [' ', h('q', x.text)] : null,
        h('div.muted.small', `rules: active ${(x.active_rules || []).join(', ') || 'baseline'}; ${candidateName} ${(x.candidate_rules || []).join(', ') || 'baseline'}`,
          x.human_verdict ? ` · a person said: ${x.human_verdict.replace('_', ' ')}` : ''))))) : null),
    h('div.cmp-side',
    rows.length ? figure({
      id: `${idPrefix}-triggers`, title: 'Escalation rate by trigger',
      summary: rows.map((r) => `${r.label}: active ${pct(r.a)}, ${candidateName} ${pct(r.b)}`).join('; '),
      svg: pairedBars(rows, series, { fmt: (v) => pct(v) }),
      table: { head: ['Trigger', 'Active', 'Active rate', candidateName, `${candidateName} rate`], rows: rows.map((r) => [r.label, r.ac, pct(r.a), r.bc, pct(r.b)]) },
    }) : null,
    c.judged && c.judged.events ? h('div.table-wrap', h('table.data', { 'aria-label': 'Judged by people' },
      h('thead', h('tr', ['Where a person judged the proposal', 'Active', candidateName].map((x, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, x)))),
      h('tbody',
        h('tr', h('th', { scope: 'row' }, 'Errors let through (rejected or edited, delivered)'), h('td.num', String(c.active.judged_errors_let_through)), h('td.num', { class: c.candidate.judged_errors_let_through > c.active.judged_errors_let_through ? 'bad' : '' }, String(c.candidate.judged_errors_let_through))),
        h('tr', h('th', { scope: 'row' }, 'Errors stopped'), h('td.num', String(c.active.judged_errors_stopped)), h('td.num', String(c.candidate.judged_errors_stopped))),
        h('tr', h('th', { scope: 'row' }, 'Approved as is, yet escalated'), h('td.num', String(c.active.approvals_escalated)), h('td.num', String(c.candidate.approvals_escalated))))),
    h('p.muted.small', `${c.judged.events} events had a verdict. Errors let through are a lower bound for a policy that holds less: what both policies delivered was never judged.`)) : null));
}

export function policyChangePanel({ me, range = () => ({}), initialVersion = null }) {
  const st = { versions: [], replay: null, timer: null, staffing: null };
  const isAdmin = me.role === 'admin';
  const versionSel = h('select', { id: 'candidate-version' });
  const maxEvents = h('input', { type: 'number', min: 1, max: 200000, step: 1, value: 20000 });
  const replayOut = h('div', { 'aria-live': 'polite' });
  const shadowOut = h('div', { 'aria-live': 'polite' });
  const arrivals = h('input', { type: 'number', min: 0.1, step: 'any', value: 1000 });
  const handle = h('input', { type: 'number', min: 1, step: 'any', value: 180 });
  const handleHint = h('span', { dataset: { figure: 'handle-source' } }, 'a default: no verdicts measured yet');
  const level = h('input', { type: 'number', min: 1, max: 99, step: 'any', value: 80 });
  const within = h('input', { type: 'number', min: 0, step: 'any', value: 60 });
  const patience = h('input', { type: 'number', min: 1, step: 'any', placeholder: 'none: Erlang C' });
  const staffOut = h('div', { 'aria-live': 'polite' });

  const el = h('div.policy-change',
    h('section.sub.pc-replay', { 'aria-labelledby': 'pc-replay' },
      h('h3', { id: 'pc-replay' }, 'Replay against recent history'),
      h('form.inline-form', { onsubmit: (e) => { e.preventDefault(); replay(); } },
        field('Candidate version', versionSel),
        field('At most events (newest first)', maxEvents),
        h('button.btn.primary', { type: 'submit' }, 'Replay')),
      replayOut),
    h('section.sub', { 'aria-labelledby': 'pc-staff' },
      h('h3', { id: 'pc-staff' }, 'Staffing: reviewers needed'),
      h('form', { onsubmit: (e) => { e.preventDefault(); staffing(); } },
        h('div.field-row',
          field('Events per hour', arrivals),
          field('Handling time per task (s)', handle, handleHint),
          field('Answered within (s)', within),
          field('Target share (%)', level),
          field('Mean patience (s)', patience)),
        h('div.form-actions', h('button.btn', { type: 'submit' }, 'Compute staffing'))),
      staffOut),
    h('section.sub', { 'aria-labelledby': 'pc-shadow' },
      h('div.card-head', h('h3', { id: 'pc-shadow' }, 'Shadow mode on live traffic'),
        h('div.form-actions',
          h('button.btn.small', { type: 'button', onclick: () => loadShadow() }, 'Refresh'),
          isAdmin ? h('button.btn.small', { type: 'button', onclick: startShadow }, 'Start with the selected version') : null,
          isAdmin ? h('button.btn.small.danger', { type: 'button', onclick: stopShadow }, 'Stop') : null)),
      shadowOut));

  // The reviewers' measured handling time (claim to verdict), weighted by
  // their verdicts, replaces the 180 s default when there is one.
  async function loadHandlingTime() {
    try {
      const { from, to } = range();
      const m = await get('/v1/metrics/effectiveness' + qs({ from, to }));
      let seconds = 0, verdicts = 0;
      for (const r of m.reviewers || []) {
        if (r.verdicts > 0 && r.mean_handle_seconds > 0) { seconds += r.mean_handle_seconds * r.verdicts; verdicts += r.verdicts; }
      }
      if (verdicts > 0) {
        handle.value = Math.max(1, Math.round(seconds / verdicts));
        handleHint.textContent = `measured: mean of ${verdicts} verdict${verdicts === 1 ? '' : 's'}, claim to verdict`;
      }
    } catch { /* keep the default; the effectiveness figures have their own view */ }
  }

  async function loadVersions() {
    try {
      const { versions } = await get('/v1/policies');
      st.versions = versions.sort((a, b) => b.uploaded_at.localeCompare(a.uploaded_at));
      const pick = initialVersion || st.versions.find((v) => !v.active)?.version || st.versions[0]?.version;
      replace(versionSel, st.versions.map((v) => h('option', { value: v.version, selected: v.version === pick }, `${short(v.version)} ${v.name}${v.active ? ' (active)' : ''}`)));
    } catch (e) { replace(replayOut, h('p.form-error', { role: 'alert' }, errorText(e))); }
  }

  async function replay() {
    if (!versionSel.value) { toast('Upload a policy version first (Policies view).', 'error'); return; }
    replace(replayOut, h('p.muted', 'Replaying…'));
    const { from, to } = range();
    const body = { max_events: Number(maxEvents.value) || 20000 };
    if (from) body.from = from;
    if (to) body.to = to;
    try {
      const r = await post(`/v1/policies/${encodeURIComponent(versionSel.value)}/replay`, body);
      st.replay = r;
      const hist = r.history;
      if (hist.events_per_hour) arrivals.value = Math.round(hist.events_per_hour * 10) / 10;
      replace(replayOut,
        h('p.small', { dataset: { figure: 'replay-history' } }, `${r.candidate_policy.name} ${short(r.candidate_policy.version)} against the active ${r.active_policy.name} ${short(r.active_policy.version)}: `,
          h('strong', `${hist.events} events`), ` of ${hist.interactions} conversations`,
          hist.first_event_at ? ` from ${fmtTime(hist.first_event_at)} to ${fmtTime(hist.last_event_at)}` : '',
          hist.events_per_hour ? ` (${num(hist.events_per_hour, 1)} events an hour)` : '', '.',
          hist.truncated ? h('span.tag', { title: 'Older conversations of the range were not replayed' }, `newest ${hist.max_events} events only`) : null),
        comparisonView(r.comparison, { idPrefix: 'replay' }));
      await staffing();
    } catch (e) { replace(replayOut, h('p.form-error', { role: 'alert' }, errorText(e))); }
  }

  // Reviewers needed at one escalation rate; null when nothing escalates.
  async function needed(rate) {
    if (!(rate > 0)) return null;
    const body = { arrivals_per_hour: Number(arrivals.value), escalation_rate: Math.min(1, rate), handle_seconds: Number(handle.value), target_level: Number(level.value) / 100, target_wait_seconds: Number(within.value) };
    if (patience.value) body.patience_seconds = Number(patience.value);
    return post('/v1/staffing', body);
  }

  async function staffing() {
    const c = st.replay?.comparison;
    replace(staffOut, h('p.muted', 'Computing…'));
    try {
      const rates = c ? [['Active policy', c.active.escalation_rate], ['Candidate', c.candidate.escalation_rate]]
        : [['Every event reviewed', 1]];
      const tables = await Promise.all(rates.map(([, rate]) => needed(rate)));
      const rowAt = (t) => t && t.rows.find((x) => x.agents === t.recommended_agents);
      const cells = rates.map(([label, rate], i) => {
        const t = tables[i];
        const row = rowAt(t);
        return { label, rate, t, row };
      });
      const diff = c ? (cells[1].t?.recommended_agents ?? 0) - (cells[0].t?.recommended_agents ?? 0) : null;
      replace(staffOut,
        h('div.table-wrap', h('table.data', { 'aria-label': 'Reviewers needed', dataset: { table: 'staffing' } },
          h('thead', h('tr', ['', 'Escalation rate', 'Tasks / h', 'Reviewers', 'Service level', 'Simulated', patience.value ? 'Abandoned' : 'Occupancy'].map((x, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : '' }, x)))),
          h('tbody', cells.map(({ label, rate, t, row }) => h('tr', { dataset: { policy: label } },
            h('th', { scope: 'row' }, label), h('td.num', pct(rate)),
            h('td.num', t ? num(t.tasks_per_hour, 1) : '0'),
            h('td.num', h('strong', { dataset: { needed: label } }, t ? String(t.recommended_agents) : '0')),
            h('td.num', row ? pct(row.formula.service_level) : '—'), h('td.num', row ? pct(row.simulated.service_level) : '—'),
            h('td.num', row ? pct(patience.value ? row.formula.abandonment : row.formula.occupancy) : '—')))))),
        diff !== null ? h('p', { dataset: { figure: 'staffing-diff' } }, diff === 0 ? 'The candidate needs the same number of reviewers.'
          : h('span', { class: diff > 0 ? 'bad-text' : 'ok-text' }, `The candidate needs ${Math.abs(diff)} ${diff > 0 ? 'more' : 'fewer'} reviewer${Math.abs(diff) === 1 ? '' : 's'}.`)) : h('p.muted.small', 'Replay a candidate version to compare its staffing with the active policy\'s.'),
        h('p.muted.small', `${Number(level.value)}% of review tasks answered within ${Number(within.value)} s, ${Number(handle.value)} s each, ${Number(arrivals.value)} events an hour. ${cells.find((x) => x.t)?.t.model || 'Erlang C'}, checked by a simulation of the queue (service level: share answered within the target wait).`));
    } catch (e) { replace(staffOut, h('p.form-error', { role: 'alert' }, errorText(e))); }
  }

  async function loadShadow() {
    try {
      const s = await get('/v1/shadow');
      if (!s.shadow) {
        replace(shadowOut, h('p.muted', { dataset: { figure: 'shadow-state' } }, `Off. The active policy is ${s.active.name} ${short(s.active.version)}.`, isAdmin ? ' Start it with a saved version to compare on live traffic, without effect.' : ''));
        return;
      }
      replace(shadowOut,
        h('p', { dataset: { figure: 'shadow-state' } }, h('span.status-chip.s-live', '● Running'), ` ${s.shadow.name} ${short(s.shadow.version)} beside the active ${s.active.name} ${short(s.active.version)} since ${fmtTime(s.since)}.`),
        comparisonView(s.comparison, { idPrefix: 'shadow', candidateName: 'shadow' }),
        h('p.muted.small', 'Counted in this node\'s memory since it started; verdicts are not counted live.'));
    } catch (e) { replace(shadowOut, h('p.form-error', { role: 'alert' }, e.status === 404 ? 'Shadow mode is not available on this gateway.' : errorText(e))); }
  }

  async function startShadow() {
    if (!versionSel.value) return;
    try { await post('/v1/shadow', { version: versionSel.value }); toast(`Shadow mode started with ${short(versionSel.value)}.`, 'ok'); await loadShadow(); } catch (e) { toast(errorText(e), 'error'); }
  }

  async function stopShadow() {
    try { await del('/v1/shadow'); toast('Shadow mode stopped.', 'ok'); await loadShadow(); } catch (e) { toast(errorText(e), 'error'); }
  }

  return {
    el,
    async start() {
      await Promise.all([loadVersions(), loadShadow(), loadHandlingTime()]);
      st.timer = setInterval(loadShadow, 15000);
    },
    stop() { clearInterval(st.timer); },
    setVersion(v) { if ([...versionSel.options].some((o) => o.value === v)) versionSel.value = v; },
    reloadVersions: loadVersions,
  };
}
