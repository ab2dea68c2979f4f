// Auditors (human-out-of-the-loop): sampled autonomous conversations, reviewed
// in batches. Each is marked fine (verdict approved) or flagged with a
// category and a note (verdict rejected, reason "flag:<category>"); flags are
// kept by the gateway as feedback for retraining.
import { get, post, qs, subscribe } from '../api.js';
import { h, replace, field, fmtTime, toast, errorText } from '../dom.js';
import { transcriptView, reasonsView, signalsView, collectedView, section, kbdButton } from './shared.js';

export const FLAG_CATEGORIES = [
  ['wrong_answer', 'Wrong or misleading answer'],
  ['policy_violation', 'Policy violation'],
  ['should_have_escalated', 'Should have gone to a person'],
  ['tone', 'Tone or empathy'],
  ['privacy', 'Privacy or data protection'],
  ['hallucination', 'Made-up facts'],
  ['other', 'Other'],
];

export async function mount(root, { me }) {
  const st = { tasks: [], selectedId: null, detail: null, lease: null, done: 0, flagged: 0, mode: 'view', missing: false };
  const listEl = h('ul.task-list', { role: 'listbox', 'aria-label': 'Audit samples', tabindex: '0' });
  const progressEl = h('p.batch-progress', { 'aria-live': 'polite' });
  const detailEl = h('section.detail', { 'aria-label': 'Sample' });
  replace(root, h('div.split',
    h('aside.list-pane', { 'aria-label': 'Samples' },
      h('div.pane-head', h('h1', 'Audit samples'), h('button.btn.small', { type: 'button', onclick: () => load() }, 'Refresh')),
      progressEl, listEl),
    detailEl));

  async function load() {
    try {
      const [open, claimed] = await Promise.all([
        get('/v1/review/tasks' + qs({ queue: 'audit', status: 'open', limit: 200 })),
        get('/v1/review/tasks' + qs({ queue: 'audit', status: 'claimed', limit: 200 })),
      ]);
      st.tasks = [...claimed.tasks.filter((t) => t.lease?.owner === me.key_id), ...open.tasks]
        .filter((t) => t.kind === 'audit_sample')
        .sort((a, b) => a.created_at.localeCompare(b.created_at));
      st.missing = false;
    } catch (e) {
      st.missing = e.status === 404;
      if (!st.missing) toast(errorText(e), 'error');
    }
    renderList();
    if (!st.selectedId && st.tasks.length) select(st.tasks[0].id);
    else if (!st.tasks.length) renderEmpty();
  }

  function renderList() {
    progressEl.textContent = `This batch: ${st.done} reviewed, ${st.flagged} flagged · ${st.tasks.length} waiting`;
    if (!st.tasks.length) { replace(listEl, h('li.empty', { role: 'option', 'aria-selected': 'false', 'aria-disabled': 'true' }, st.missing ? 'Audit samples are not available on this gateway yet.' : 'No samples waiting. Autonomous conversations are sampled as they start.')); return; }
    replace(listEl, st.tasks.map((t) => h('li.task-item', {
      role: 'option', id: `opt-${t.id}`, 'aria-selected': t.id === st.selectedId ? 'true' : 'false', class: t.id === st.selectedId ? 'selected' : '',
      dataset: { id: t.id }, onclick: () => select(t.id) },
    h('div.row1', h('span.kind', t.workflow), h('span.muted.small', fmtTime(t.created_at))),
    h('div.row2.muted', `${t.interaction_id} · customer ${t.customer_id || '—'}`))));
    if (st.selectedId) document.getElementById(`opt-${st.selectedId}`)?.scrollIntoView({ block: 'nearest' });
  }

  function renderEmpty() {
    st.detail = null;
    replace(detailEl, h('div.empty-detail', h('h2', st.done ? 'Batch done' : 'Nothing to audit'),
      h('p', st.done ? `You reviewed ${st.done} conversations and flagged ${st.flagged}. Thank you.` : 'New samples appear as autonomous conversations start.')));
  }

  async function select(id) {
    if (st.lease && st.detail && st.detail.id !== id) releaseQuiet();
    st.selectedId = id; st.mode = 'view';
    renderList();
    try {
      const [t, trail] = await Promise.all([get(`/v1/review/tasks/${encodeURIComponent(id)}`), get(`/v1/interactions/${encodeURIComponent((st.tasks.find((x) => x.id === id) || {}).interaction_id || '')}`).catch(() => null)]);
      if (st.selectedId !== id) return;
      st.detail = t; st.trail = trail;
      st.lease = t.lease?.owner === me.key_id ? t.lease : null;
      renderDetail();
    } catch (e) { replace(detailEl, h('p.form-error', { role: 'alert' }, errorText(e))); }
  }

  function renderDetail() {
    const t = st.detail, ctx = t.context || {};
    // The whole conversation so far, from the decision trail when readable.
    const transcript = st.trail?.events?.length
      ? st.trail.events.map((e) => ({ ...e.event, decision: e.decision?.decision }))
      : t.transcript || ctx.transcript || [ctx.event].filter(Boolean);
    const category = h('select', { name: 'category', 'data-autofocus': '1' }, h('option', { value: '' }, 'Choose a category…'), FLAG_CATEGORIES.map(([v, l]) => h('option', { value: v }, l)));
    const note = h('textarea', { rows: 3, name: 'note', placeholder: 'What went wrong, for the people who retrain the AI' });
    const flagForm = st.mode === 'flag' ? h('form.card.editor', { 'aria-label': 'Flag this conversation', onsubmit: (e) => { e.preventDefault(); flag(category, note); } },
      h('h3', 'Flag this conversation'),
      h('div.field-row', field('Category', category), field('Note', note)),
      h('div.form-actions', h('button.btn.danger', { type: 'submit' }, 'Flag ', h('kbd', 'Ctrl'), '+', h('kbd', 'Enter')),
        h('button.btn.ghost', { type: 'button', onclick: () => { st.mode = 'view'; renderDetail(); } }, 'Cancel ', h('kbd', 'Esc')))) : null;
    st.submitFlag = () => flag(category, note);
    replace(detailEl,
      h('header.detail-head', h('div', h('h2', `Conversation ${t.interaction_id}`),
        h('p.meta', `${t.workflow} · customer ${t.customer_id || '—'} · sampled ${fmtTime(t.created_at)} · `,
          h('a', { href: `#/interactions/${encodeURIComponent(t.interaction_id)}` }, 'full decision trail'))),
      h('div.head-right', h('span.status-chip.s-open', 'Autonomous (not reviewed before delivery)'))),
      h('div.action-bar', { role: 'toolbar', 'aria-label': 'Audit verdict' },
        kbdButton('Fine', 'f', () => fine(), 'approve'), kbdButton('Flag', 'x', () => { st.mode = 'flag'; renderDetail(); }, 'danger'),
        kbdButton('Skip', 'j', () => move(1), 'ghost')),
      flagForm,
      h('div.detail-grid',
        h('div.col', section('Transcript', transcriptView(transcript))),
        h('div.col', section('Decision at the start', reasonsView(ctx.decision, ctx.event)), section('Signals', signalsView(ctx.decision?.signals)),
          section('Collected', collectedView(ctx.collected)))));
    detailEl.querySelector('[data-autofocus]') && st.mode === 'flag' && detailEl.querySelector('[data-autofocus]').focus();
  }

  async function lease() {
    if (st.lease) return st.lease;
    const c = await post(`/v1/review/tasks/${encodeURIComponent(st.detail.id)}/claim`);
    st.lease = c.lease;
    return st.lease;
  }
  async function answer(body, label, isFlag = false) {
    const t = st.detail;
    try {
      const l = await lease();
      await post(`/v1/review/tasks/${encodeURIComponent(t.id)}/verdict`, { ...body, lease_id: l.lease_id });
      st.lease = null; st.done++; if (isFlag) st.flagged++;
      toast(`${label}: ${t.interaction_id}`, 'ok');
      const i = st.tasks.findIndex((x) => x.id === t.id);
      st.tasks.splice(i, 1);
      const next = st.tasks[i] || st.tasks[i - 1];
      st.selectedId = null;
      renderList();
      if (next) select(next.id); else renderEmpty();
    } catch (e) { toast(errorText(e), 'error'); }
  }
  const fine = () => st.detail && answer({ verdict: 'approved', note: 'audit: fine' }, 'Marked fine');
  function flag(category, note) {
    if (!category.value) { toast('Choose a category for the flag.', 'error'); category.focus(); return; }
    return answer({ verdict: 'rejected', reason: `flag:${category.value}`, note: note.value.trim() || undefined }, `Flagged (${category.value})`, true);
  }
  function releaseQuiet() {
    const l = st.lease, t = st.detail; st.lease = null;
    post(`/v1/review/tasks/${encodeURIComponent(t.id)}/release`, { lease_id: l.lease_id }).catch(() => {});
  }
  function move(d) {
    const i = st.tasks.findIndex((t) => t.id === st.selectedId);
    const n = st.tasks[Math.max(0, Math.min(st.tasks.length - 1, i + d))];
    if (n && n.id !== st.selectedId) select(n.id);
  }

  const unsub = subscribe(['task.created', 'stream.reconnect'], (name, t) => {
    if (name === 'stream.reconnect' || (t && t.kind === 'audit_sample' && !st.tasks.some((x) => x.id === t.id))) {
      if (t && t.kind === 'audit_sample') { st.tasks.push(t); renderList(); if (!st.detail) select(t.id); } else load();
    }
  });
  await load();
  return {
    unmount() { unsub(); if (st.lease) releaseQuiet(); },
    keys: {
      j: () => st.mode === 'view' && move(1), k: () => st.mode === 'view' && move(-1),
      f: () => st.mode === 'view' && fine(), x: () => { if (st.detail && st.mode === 'view') { st.mode = 'flag'; renderDetail(); } },
      'Mod+Enter': () => st.mode === 'flag' && st.submitFlag(),
      Escape: () => { if (st.mode === 'flag') { st.mode = 'view'; renderDetail(); } },
    },
    help: [['J / K', 'Next / previous sample'], ['F', 'Mark the conversation fine'], ['X', 'Flag it with a category and a note'], ['Ctrl Enter', 'Submit the flag'], ['Esc', 'Cancel the flag']],
  };
}
