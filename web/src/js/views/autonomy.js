// Earned autonomy (docs/autonomy.md): per workflow and intent or action, the
// oversight level the AI has earned (HITL -> HOTL -> HOOTL), the evidence
// behind it (judged cases, agreement, its Wilson bounds against the target,
// the drift detector), the promotions waiting for a supervisor's sign-off,
// and the recent changes. Supervisors and admins sign promotions off here (a
// verdict on the `autonomy_change` task, audited like any other); auditors
// read. Demotions never wait for anyone, so there is nothing to sign for them.
import { get, post, subscribe } from '../api.js';
import { h, replace, pct, num, toast, errorText, field } from '../dom.js';
import { section } from './shared.js';

const LEVELS = { hitl: 'HITL', hotl: 'HOTL', hootl: 'HOOTL' };
const LEVEL_HELP = {
  hitl: 'Human in the loop: a person approves every proposal first',
  hotl: 'Human on the loop: proposals go out, supervisors watch',
  hootl: 'Human out of the loop: proposals go out, audited by sampling',
};
const NEXT = { hitl: 'hotl', hotl: 'hootl' };

// Keys are "action:refund" or "intent:track_order".
function subjectText(subject) {
  const i = subject.indexOf(':');
  return i > 0 ? `${subject.slice(0, i)} ${subject.slice(i + 1)}` : subject;
}
function subjectView(subject) {
  const i = subject.indexOf(':');
  return i > 0 ? [h('span.muted', subject.slice(0, i) + ' '), h('code', subject.slice(i + 1))] : h('code', subject);
}

function levelChip(level) {
  return h('span.level-chip', { class: `lv-${level}`, title: LEVEL_HELP[level] || level }, LEVELS[level] || level);
}

// The Wilson lower bound as a bar, with the next level's target marked.
function boundBar(evidence, target) {
  const lower = Math.max(0, Math.min(1, evidence.wilson_lower || 0));
  const label = target !== undefined
    ? `Lower bound ${pct(lower)} against a target of ${pct(target)}`
    : `Lower bound ${pct(lower)}`;
  return h('div.bound', { role: 'img', 'aria-label': label, title: label },
    h('div.bound-fill', { class: target !== undefined && lower >= target ? 'met' : '', style: { width: `${(lower * 100).toFixed(1)}%` } }),
    target !== undefined ? h('div.bound-target', { style: { left: `${(target * 100).toFixed(1)}%` } }) : null);
}

export async function mount(root, { me }) {
  const maySign = me.role === 'supervisor' || me.role === 'admin';
  const st = { data: null, busy: new Set(), refusing: null };
  const updatedEl = h('span.muted.small', { 'aria-live': 'off' });
  const rulesEl = h('p.muted');
  const pendingEl = h('div', { 'aria-live': 'polite' });
  const levelsEl = h('div.table-wrap');
  const changesEl = h('div.table-wrap');
  replace(root,
    h('div.page-head', h('h1', 'Earned autonomy'), h('div.head-tools', updatedEl)),
    rulesEl,
    section('Waiting for sign-off', pendingEl),
    section('Levels and evidence', levelsEl),
    section('Recent changes', changesEl));

  const targetFor = (cfg, level) => (level === 'hitl' ? cfg.hotl_target : level === 'hotl' ? cfg.hootl_target : undefined);

  async function refresh() {
    try {
      st.data = await get('/v1/autonomy');
      updatedEl.textContent = `Updated ${new Date().toLocaleTimeString([], { hour12: false })}`;
      render();
    } catch (e) {
      replace(levelsEl, h('p.form-error', errorText(e)));
    }
  }

  function render() {
    const { config: cfg, levels = [], recent_changes: recent = [] } = st.data;
    replace(rulesEl,
      `A promotion needs at least ${cfg.min_cases} judged cases since the last change, and the one-sided Wilson lower bound of the agreement over the last ${cfg.window} at or above the next level's target: `,
      h('strong', `${pct(cfg.hotl_target)} for HOTL`), ', ', h('strong', `${pct(cfg.hootl_target)} for HOOTL`),
      `. A supervisor signs each promotion off. Drift, a severe audit finding or a falling upper bound demote at once. Autonomous proposals are audited: ${pct(cfg.audit_rate_hotl)} at HOTL, ${pct(cfg.audit_rate_hootl)} at HOOTL. Floors in the policy are never relaxed.`);

    const pending = levels.filter((l) => l.pending);
    replace(pendingEl, pending.length
      ? h('ul.signoffs', pending.map((l) => signoffCard(cfg, l)))
      : h('p.ok-text', '✓ No promotion is waiting for a sign-off.'));

    replace(levelsEl, levels.length
      ? h('table.data', { 'aria-label': 'Autonomy levels' },
        h('thead', h('tr', ['Workflow', 'Intent or action', 'Level', 'Agreed', 'Lower bound vs. next target', 'Upper bound', 'Drift (CUSUM)', 'Since change', 'Audit flags', 'Audited'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', levels.map((l) => {
          const e = l.evidence;
          const target = targetFor(cfg, l.level);
          return h('tr', { dataset: { key: `${l.workflow}/${l.subject}` } },
            h('th', { scope: 'row' }, l.workflow),
            h('td', subjectView(l.subject)),
            h('td', levelChip(l.level), l.pending ? h('span.tag', { title: 'A promotion waits for a sign-off' }, `→ ${LEVELS[l.pending.to]}?`) : null),
            h('td.num', `${e.agreed} / ${e.cases}`, h('div.small.muted', pct(e.agreement))),
            h('td', boundBar(e, target), h('div.small.muted', `${pct(e.wilson_lower)}${target !== undefined ? ` (needs ${pct(target)})` : ' (top level)'}`)),
            h('td.num', pct(e.wilson_upper)),
            h('td.num', { class: e.cusum >= (cfg.cusum_threshold || 4) * 0.75 ? 'bad' : '' }, num(e.cusum, 2)),
            h('td.num', e.since_change),
            h('td.num', { class: e.audit_flags ? 'bad' : '' }, e.audit_flags),
            h('td.num', pct(l.audit_rate)));
        })))
      : h('p.muted', 'No proposal has been judged yet. Levels appear here once reviewers give verdicts on held proposals or auditors on samples.'));

    replace(changesEl, recent.length
      ? h('table.data', { 'aria-label': 'Recent changes of level' },
        h('thead', h('tr', ['Workflow', 'Intent or action', 'Change', 'Why', 'Evidence then'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', recent.map((c) => h('tr',
          h('th', { scope: 'row' }, c.workflow), h('td', subjectView(c.subject)),
          h('td', levelChip(c.from), c.promotion ? ' ↑ ' : ' ↓ ', levelChip(c.to)),
          h('td', c.reason),
          h('td.small', `${c.evidence.agreed} / ${c.evidence.cases} agreed, lower bound ${pct(c.evidence.wilson_lower)}`)))))
      : h('p.muted', 'No level has changed since the audit log began.'));
  }

  function signoffCard(cfg, l) {
    const e = l.evidence;
    const target = l.pending.to === 'hootl' ? cfg.hootl_target : cfg.hotl_target;
    const busy = st.busy.has(l.pending.task_id);
    const head = h('div.signoff-head',
      h('strong', `${l.workflow} · `, subjectView(l.subject)), ' ', levelChip(l.level), ' → ', levelChip(l.pending.to));
    const facts = h('p', `${e.agreed} of ${e.cases} judged cases agreed with the AI (${pct(e.agreement)}); the lower bound ${pct(e.wilson_lower)} meets the target ${pct(target)}. `,
      `${l.pending.to === 'hootl' ? 'At HOOTL' : 'At HOTL'} its proposals go out without waiting for a person; ${pct(l.pending.to === 'hootl' ? cfg.audit_rate_hootl : cfg.audit_rate_hotl)} of them are audited.`);
    let controls = null;
    if (!maySign) controls = h('p.muted.small', 'Only supervisors and admins sign promotions off.');
    else if (!l.pending.task_id) controls = h('p.muted.small', 'The sign-off task is being opened…');
    else if (st.refusing === l.pending.task_id) {
      const reason = h('input', { type: 'text', required: true, placeholder: 'e.g. new product line, wait a month' });
      controls = h('form.inline-form', { onsubmit: (ev) => { ev.preventDefault(); if (reason.value.trim()) answer(l, 'rejected', reason.value.trim()); } },
        field('Why refuse?', reason),
        h('button.btn.danger', { type: 'submit', disabled: busy }, 'Refuse promotion'),
        h('button.btn.ghost', { type: 'button', onclick: () => { st.refusing = null; render(); } }, 'Cancel'));
      queueMicrotask(() => reason.focus());
    } else {
      controls = h('div.signoff-actions',
        h('button.btn.primary', { type: 'button', disabled: busy, onclick: () => answer(l, 'approved'), 'aria-label': `Sign off ${l.workflow} ${subjectText(l.subject)} to ${LEVELS[l.pending.to]}` }, `Sign off: ${LEVELS[l.pending.to]}`),
        h('button.btn', { type: 'button', disabled: busy, onclick: () => { st.refusing = l.pending.task_id; render(); }, 'aria-label': `Refuse ${l.workflow} ${subjectText(l.subject)}` }, 'Refuse…'));
    }
    return h('li.card.signoff', { dataset: { key: `${l.workflow}/${l.subject}` } }, head, facts, controls);
  }

  // A sign-off is a verdict on the autonomy_change task: claim it, answer it.
  async function answer(l, verdict, reason) {
    const id = l.pending.task_id;
    st.busy.add(id);
    render();
    try {
      const claimed = await post(`/v1/review/tasks/${encodeURIComponent(id)}/claim`, {});
      const body = { verdict, lease_id: claimed.lease.lease_id };
      if (reason) body.reason = reason;
      await post(`/v1/review/tasks/${encodeURIComponent(id)}/verdict`, body);
      toast(verdict === 'approved'
        ? `Signed off: ${l.workflow} · ${subjectText(l.subject)} moves to ${LEVELS[l.pending.to]}.`
        : `Refused: ${l.workflow} · ${subjectText(l.subject)} stays at ${LEVELS[l.level]}.`, 'info');
      st.refusing = null;
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      st.busy.delete(id);
    }
    // The gateway applies the verdict on its next tick (about a second).
    await refresh();
    setTimeout(refresh, 1500);
  }

  await refresh();
  const unsub = subscribe(['autonomy.', 'task.'], () => { clearTimeout(st.timer); st.timer = setTimeout(refresh, 300); });
  const poll = setInterval(refresh, 15000);
  return { unmount() { unsub(); clearInterval(poll); clearTimeout(st.timer); } };
}
