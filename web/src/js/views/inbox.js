// Reviewers' inbox: the queues they may work, tasks in order with a live SLA
// countdown, the task with everything needed to decide, and the verdicts.
import { get, post, qs, subscribe } from '../api.js';
import { h, replace, field, slaBadge, fmtTime, fmtMoney, toast, errorText, uid } from '../dom.js';
import { diffWords, diffParams } from '../diff.js';
import { kindLabel, VERDICT_LABELS } from '../reasons.js';
import { loadAssist, assistPanel, judgeSuggestion } from './assist_panel.js';
import { transcriptView, actionTable, reasonsView, signalsView, collectedView, section, kbdButton, actionSummary } from './shared.js';

const REJECT_REASONS = ['Not eligible under the policy', 'Amount is wrong', 'Wrong order or account', 'Needs more information from the customer', 'Suspected fraud', 'Other'];

export async function mount(root, { me, params, navigate }) {
  const st = {
    queues: [], tasks: new Map(), selectedId: params[0] || null, detail: null, mode: 'view',
    lease: null, busy: false, picked: new Set(JSON.parse(sessionStorage.getItem('hitlgate.queues') || 'null') || []),
  };
  const queuesEl = h('fieldset.queue-picker', h('legend', 'Queues'));
  const listEl = h('ul.task-list', { role: 'listbox', 'aria-label': 'Tasks waiting', tabindex: '0', id: 'task-list' });
  const countEl = h('span.count', { 'aria-live': 'polite' });
  const detailEl = h('section.detail', { 'aria-label': 'Task', id: 'task-detail' });
  replace(root, h('div.split',
    h('aside.list-pane', { 'aria-label': 'Inbox' },
      h('div.pane-head', h('h1', 'Inbox ', countEl), kbdButton('Next task', 'n', () => nextTask(), 'primary small')),
      queuesEl, listEl),
    detailEl));

  // ------------------------------------------------------------ data
  async function loadQueues() {
    try {
      const { queues } = await get('/v1/review/queues');
      st.queues = queues.filter((q) => q.name !== 'audit');
      if (!st.picked.size) st.queues.filter((q) => q.can_work).forEach((q) => st.picked.add(q.name));
      renderQueues();
    } catch (e) { toast(errorText(e), 'error'); }
  }
  async function loadTasks() {
    try {
      const [open, claimed] = await Promise.all([
        get('/v1/review/tasks' + qs({ status: 'open', limit: 500 })),
        get('/v1/review/tasks' + qs({ status: 'claimed', limit: 500 })),
      ]);
      st.tasks.clear();
      for (const t of [...open.tasks, ...claimed.tasks]) if (visible(t)) st.tasks.set(t.id, t);
      renderList();
    } catch (e) { toast(errorText(e), 'error'); }
  }
  const mine = (t) => t.status === 'claimed' && t.lease?.owner === me.key_id;
  const visible = (t) => t.queue !== 'audit' && t.kind !== 'audit_sample' &&
    ((t.status === 'open' && t.can_claim !== false) || mine(t));
  const ordered = () => [...st.tasks.values()]
    .filter((t) => st.picked.has(t.queue) || mine(t))
    .sort((a, b) => (mine(b) - mine(a)) || (a.priority - b.priority) || a.due_at.localeCompare(b.due_at));

  // ---------------------------------------------------------- render
  function renderQueues() {
    replace(queuesEl, h('legend', 'Queues'), st.queues.filter((q) => q.can_work).map((q) => {
      const cb = h('input', { type: 'checkbox', checked: st.picked.has(q.name), onchange: () => {
        cb.checked ? st.picked.add(q.name) : st.picked.delete(q.name);
        sessionStorage.setItem('hitlgate.queues', JSON.stringify([...st.picked]));
        renderList();
      } });
      return h('label.queue-chip', cb, ` ${q.name} `, h('span.badge', { 'aria-label': `${q.open} open` }, q.open), h('span.muted.small', ` SLA ${q.sla_seconds < 120 ? `${q.sla_seconds} s` : `${Math.round(q.sla_seconds / 60)} min`}`));
    }), st.queues.some((q) => !q.can_work)
      ? h('p.muted.small', 'Not your skills: ', st.queues.filter((q) => !q.can_work).map((q) => q.name).join(', '))
      : null);
  }

  function renderList() {
    const tasks = ordered();
    countEl.textContent = tasks.length ? `(${tasks.length})` : '';
    if (!tasks.length) {
      replace(listEl, h('li.empty', { role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false' }, 'No tasks waiting in your queues. New ones appear here as they arrive.'));
      listEl.removeAttribute('aria-activedescendant');
      return;
    }
    replace(listEl, tasks.map((t) => {
      const sel = t.id === st.selectedId;
      return h('li.task-item', {
        role: 'option', id: `opt-${t.id}`, 'aria-selected': sel ? 'true' : 'false', dataset: { id: t.id },
        class: [sel ? 'selected' : '', t.escalated ? 'escalated' : ''].join(' '),
        onclick: () => select(t.id),
      },
      h('div.row1', h('span.prio', { class: `p${t.priority}`, title: `Priority ${t.priority} (1 = most urgent)` }, `P${t.priority}`),
        h('span.kind', kindLabel(t.kind)), t.escalated ? h('span.tag.bad', { title: 'Escalated: the SLA was breached' }, 'escalated') : null, slaBadge(t.due_at, { short: true })),
      h('div.row2.muted', `${t.queue} · ${t.workflow} · ${t.interaction_id}`, mine(t) ? h('span.tag.mine', 'claimed by you') : null));
    }));
    if (st.selectedId && st.tasks.has(st.selectedId)) {
      listEl.setAttribute('aria-activedescendant', `opt-${st.selectedId}`);
      document.getElementById(`opt-${st.selectedId}`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  async function select(id, { keepHash = false } = {}) {
    if (st.mode !== 'view' && st.detail && st.detail.id !== id) st.mode = 'view';
    if (st.lease && st.detail && st.detail.id !== id) await release(true);
    st.selectedId = id;
    if (!keepHash) history.replaceState(null, '', id ? `#/inbox/${encodeURIComponent(id)}` : '#/inbox');
    renderList();
    if (!id) { renderEmptyDetail(); return; }
    replace(detailEl, h('p.muted', 'Loading…'));
    try {
      const t = await get(`/v1/review/tasks/${encodeURIComponent(id)}`);
      if (st.selectedId !== id) return;
      st.detail = t;
      st.lease = mine(t) ? t.lease : null;
      st.mode = 'view';
      st.assist = null;
      st.useAction = null;
      renderDetail();
      // Assist comes after the task so it never holds the review up.
      loadAssist(id).then((a) => {
        if (st.selectedId !== id) return;
        st.assist = a;
        if (st.mode === 'view') renderDetail();
      });
    } catch (e) {
      replace(detailEl, h('p.form-error', { role: 'alert' }, `This task cannot be opened: ${errorText(e)}`));
    }
  }

  function renderEmptyDetail() {
    st.detail = null;
    replace(detailEl, h('div.empty-detail',
      h('h2', 'Pick a task'),
      h('p', 'Press ', h('kbd', 'N'), ' to claim the most urgent task you qualify for, or move through the list with ', h('kbd', 'J'), ' / ', h('kbd', 'K'), '.'),
      h('p.muted', 'Press ', h('kbd', '?'), ' for all shortcuts.')));
  }

  function renderDetail() {
    const t = st.detail;
    if (!t) return renderEmptyDetail();
    const ctx = t.context || {};
    const ev = ctx.event || {};
    const dec = ctx.decision || {};
    const answered = t.status === 'answered' || t.status === 'cancelled';
    const leaseMine = t.lease && t.lease.owner === me.key_id;
    const title = ev.action ? `${ev.action.name.charAt(0).toUpperCase()}${ev.action.name.slice(1).replace(/_/g, ' ')}${ev.action.amount != null ? ' · ' + fmtMoney(ev.action.amount, ev.action.currency) : ''}` : kindLabel(t.kind);
    const statusChip = answered
      ? h('span.status-chip.s-answered', `✓ ${t.status}${t.verdict ? ': ' + (VERDICT_LABELS[t.verdict.kind] || t.verdict.kind) : ''}`)
      : leaseMine ? h('span.status-chip.s-mine', '● Claimed by you')
        : t.lease ? h('span.status-chip.s-other', `● Claimed by ${t.lease.owner}`) : h('span.status-chip.s-open', '○ Open');
    const actions = answered ? null : h('div.action-bar', { role: 'toolbar', 'aria-label': 'Verdict' },
      kbdButton('Approve', 'a', () => approve(), 'approve'),
      kbdButton('Edit', 'e', () => editAsProposed()),
      kbdButton('Reject', 'r', () => setMode('reject'), 'danger'),
      kbdButton('Take over', 't', () => setMode('takeover')),
      leaseMine ? h('button.btn.ghost', { type: 'button', onclick: () => release() }, 'Release') : null);

    let main;
    if (st.mode === 'edit') main = editor(t, ev);
    else if (st.mode === 'reject') main = rejectForm();
    else if (st.mode === 'takeover') main = takeoverForm();
    else if (t.kind === 'autonomy_change' && ctx.autonomy_change) main = autonomyChangeView(ctx.autonomy_change);
    else main = section(ev.type === 'ai_proposal' ? "The AI's proposal" : 'What happened',
      ev.text ? h('blockquote.draft', ev.text) : h('p.muted', 'No reply text.'),
      actionTable(ev.action),
      ev.intent ? h('p.muted.small', `Intent ${ev.intent}`, ev.confidence != null ? ` · AI confidence ${(ev.confidence * 100).toFixed(0)}%` : '') : null);

    replace(detailEl,
      h('header.detail-head',
        h('div', h('h2', { id: 'task-title' }, title),
          h('p.meta', `${kindLabel(t.kind)} · ${t.queue} · ${t.workflow} · customer ${t.customer_id || '—'} · `,
            h('a', { href: `#/interactions/${encodeURIComponent(t.interaction_id)}`, title: 'The full decision trail' }, t.interaction_id),
            ` · created ${fmtTime(t.created_at)}`)),
        h('div.head-right', statusChip, answered ? null : slaBadge(t.due_at, { escalated: t.escalated }))),
      actions,
      t.verdict ? h('p.notice', `Verdict: ${VERDICT_LABELS[t.verdict.kind] || t.verdict.kind} by ${t.verdict.reviewer} at ${fmtTime(t.verdict.at)}`, t.verdict.reason ? ` — ${t.verdict.reason}` : '') : null,
      h('div.detail-grid',
        h('div.col', main,
          !answered && st.assist ? assistPanel(st.assist, { onUse: useSuggestion, onWrong: markWrong }) : null,
          section(t.kind === 'handoff' ? 'Why it was handed off' : 'Why it was held', reasonsView(dec, ev)),
          section('Signals', signalsView(dec.signals))),
        h('div.col',
          section('Transcript', transcriptView(t.transcript || ctx.transcript)),
          section('What the AI already collected', collectedView(ctx.collected),
            ctx.summary ? h('p.summary', h('strong', 'Summary: '), ctx.summary) : null),
          section("Customer's recent contacts",
            h('p', ctx.repeat_contacts > 1
              ? h('strong.warn-text', `⚠ ${ctx.repeat_contacts} contacts in the repeat-contact window`)
              : `${ctx.repeat_contacts ?? 1} contact in the repeat-contact window (this one)`),
            recentContactsView(t.recent_contacts),
            h('p', h('a', { href: `#/interactions/${encodeURIComponent(t.interaction_id)}` }, 'Open the full decision trail →'))))));
    const focus = detailEl.querySelector('[data-autofocus]');
    if (focus) { focus.focus(); if (focus.select) focus.select(); }
  }

  // The customer's other interactions (the gateway sends up to ten, newest
  // first), each a link to its decision trail.
  function recentContactsView(contacts) {
    if (!contacts || contacts.length === 0) return h('p.muted', 'No earlier contacts on record.');
    return h('ul.contacts', contacts.map((c) => h('li',
      h('a', { href: `#/interactions/${encodeURIComponent(c.interaction_id)}` }, fmtTime(c.last_at)),
      ` · ${c.channel} · ${c.events} event${c.events === 1 ? '' : 's'} · ${c.strictest_decision.replace('_', ' ')}`,
      c.verdicts.length ? ` · ${c.verdicts.join(', ')}` : '',
      c.first_message ? h('div.muted.small', `“${c.first_message}”`) : null)));
  }

  // ----------------------------------------------------------- editor
  function editor(t, ev) {
    const draft = ev.text || '';
    const action = ev.action ? structuredClone(ev.action) : null;
    const textEl = h('textarea', { rows: 4, value: draft, 'data-autofocus': ev.action ? null : '1' });
    const diffEl = h('div.diff', { 'aria-live': 'polite', id: uid('diff') });
    const paramsDiffEl = h('div');
    const actionInputs = {};
    let actionFields = null;
    if (action) {
      // A suggestion the person chose to use starts as the action's name; the
      // diff below shows it against the AI's draft.
      actionInputs.name = h('input', { value: st.useAction || action.name, required: true });
      const hasAmount = action.amount !== undefined && action.amount !== null;
      if (hasAmount) {
        actionInputs.amount = h('input', { type: 'number', step: '0.01', min: '0', value: action.amount, inputmode: 'decimal', 'data-autofocus': '1', name: 'amount' });
        actionInputs.currency = h('input', { value: action.currency || '', maxlength: 3, size: 4, pattern: '[A-Za-z]{3}' });
      }
      const paramInputs = Object.entries(action.params || {}).map(([k, v]) => {
        const inp = h('input', { value: typeof v === 'object' ? JSON.stringify(v) : String(v), dataset: { param: k, type: typeof v } });
        return field(k.replace(/_/g, ' '), inp);
      });
      actionFields = h('fieldset.action-edit', h('legend', `Action: ${action.name}`),
        h('div.field-row', field('Action', actionInputs.name),
          hasAmount ? field(`Amount (AI: ${fmtMoney(action.amount, action.currency)})`, actionInputs.amount) : null,
          hasAmount ? field('Currency', actionInputs.currency) : null),
        paramInputs.length ? h('div.field-row', paramInputs) : null);
    }
    const form = h('form.card.editor', { 'aria-label': 'Edit the proposal', onsubmit: (e) => { e.preventDefault(); submitEdit(); } },
      h('h3', 'Edit before approving'),
      field('Reply to the customer', textEl),
      actionFields,
      h('h4', 'Changes against the AI’s draft'), diffEl, paramsDiffEl,
      h('div.form-actions',
        h('button.btn.primary', { type: 'submit', 'aria-keyshortcuts': 'Control+Enter' }, 'Approve with edits ', h('kbd', 'Ctrl'), '+', h('kbd', 'Enter')),
        h('button.btn.ghost', { type: 'button', onclick: () => setMode('view') }, 'Cancel ', h('kbd', 'Esc'))));

    function edited() {
      const text = textEl.value;
      let act = null;
      if (action) {
        act = { name: actionInputs.name.value.trim() || action.name };
        if (actionInputs.amount) {
          act.amount = Number(actionInputs.amount.value);
          act.currency = actionInputs.currency.value.trim().toUpperCase();
        }
        const params = {};
        for (const inp of form.querySelectorAll('[data-param]')) {
          const k = inp.dataset.param, ty = inp.dataset.type;
          let v = inp.value;
          if (ty === 'number' && v.trim() !== '' && Number.isFinite(Number(v))) v = Number(v);
          else if (ty === 'boolean') v = v === 'true';
          else if (ty === 'object') { try { v = JSON.parse(v); } catch { /* keep text */ } }
          params[k] = v;
        }
        if (action.params) act.params = params;
      }
      return { text, action: act };
    }
    function refresh() {
      const e = edited();
      const parts = diffWords(draft, e.text);
      const changed = parts.some((p) => p.op !== 'eq');
      replace(diffEl, changed
        ? h('p.diff-text', { 'aria-label': 'Text diff' }, parts.map((p) => p.op === 'eq' ? p.text : h(p.op === 'del' ? 'del' : 'ins', { title: p.op === 'del' ? 'removed' : 'added' }, p.text)))
        : h('p.muted.small', 'Text unchanged.'));
      if (action) {
        const before = { action: action.name, amount: action.amount, currency: action.currency, ...action.params };
        const after = { action: e.action.name, amount: e.action.amount, currency: e.action.currency, ...e.action.params };
        const rows = diffParams(before, after).filter((r) => r.op !== 'eq' && !(r.before === undefined && r.after === undefined));
        replace(paramsDiffEl, rows.length
          ? h('table.param-diff', { 'aria-label': 'Action changes' }, h('thead', h('tr', h('th', 'Parameter'), h('th', 'AI draft'), h('th', 'Your edit'))),
            h('tbody', rows.map((r) => h('tr', h('td', r.key), h('td', h('del', fmt(r.before))), h('td', h('ins', fmt(r.after)))))))
          : h('p.muted.small', 'Action unchanged.'));
      }
    }
    const fmt = (v) => (v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
    form.addEventListener('input', refresh);
    refresh();
    st.submitEdit = async () => {
      const e = edited();
      if (e.action && actionInputs.amount && (!Number.isFinite(e.action.amount) || e.action.amount < 0)) {
        toast('The amount must be a number of 0 or more.', 'error'); actionInputs.amount.focus(); return;
      }
      if (e.action && actionInputs.currency && !/^[A-Z]{3}$/.test(e.action.currency)) {
        toast('The currency must be a 3-letter code such as EUR.', 'error'); actionInputs.currency.focus(); return;
      }
      const textChanged = e.text !== draft;
      const actionChanged = action && JSON.stringify(e.action) !== JSON.stringify(normalise(action));
      if (!textChanged && !actionChanged) return verdict({ verdict: 'approved' }, 'Approved unchanged');
      const body = { verdict: 'edited' };
      if (textChanged) body.edited_text = e.text;
      if (actionChanged) body.edited_action = e.action;
      return verdict(body, 'Approved with edits');
    };
    return form;
  }
  const normalise = (a) => {
    const n = { name: a.name };
    if (a.amount !== undefined && a.amount !== null) { n.amount = Number(a.amount); n.currency = (a.currency || '').toUpperCase(); }
    if (a.params) n.params = a.params;
    return n;
  };
  async function submitEdit() { if (st.submitEdit) await st.submitEdit(); }

  function rejectForm() {
    const reason = h('select', { required: true, 'data-autofocus': '1' }, h('option', { value: '' }, 'Choose a reason…'), REJECT_REASONS.map((r) => h('option', r)));
    const other = h('input', { placeholder: 'Reason in your words' });
    const msg = h('textarea', { rows: 3, placeholder: 'What the customer will read instead of the AI’s reply' });
    const form = h('form.card.editor', { 'aria-label': 'Reject the proposal', onsubmit: (e) => { e.preventDefault(); st.submitForm(); } },
      h('h3', 'Reject'),
      h('p.muted.small', 'The AI’s proposal is not delivered. The agent receives your message for the customer.'),
      field('Reason (kept for retraining)', reason), field('Details', other),
      field('Message for the customer', msg),
      h('div.form-actions',
        h('button.btn.danger', { type: 'submit' }, 'Reject ', h('kbd', 'Ctrl'), '+', h('kbd', 'Enter')),
        h('button.btn.ghost', { type: 'button', onclick: () => setMode('view') }, 'Cancel ', h('kbd', 'Esc'))));
    st.submitForm = () => {
      const r = [reason.value, other.value.trim()].filter(Boolean).join(': ');
      if (!reason.value) { toast('Choose a reason for the rejection.', 'error'); reason.focus(); return; }
      const body = { verdict: 'rejected', reason: r };
      if (msg.value.trim()) body.customer_message = msg.value.trim();
      return verdict(body, 'Rejected');
    };
    return form;
  }

  function takeoverForm() {
    const msg = h('textarea', { rows: 3, 'data-autofocus': '1', placeholder: 'Optional: your first message to the customer' });
    const note = h('input', { placeholder: 'Optional note for the trail' });
    const form = h('form.card.editor', { 'aria-label': 'Take the conversation over', onsubmit: (e) => { e.preventDefault(); st.submitForm(); } },
      h('h3', 'Take the conversation over'),
      h('p.muted.small', 'The AI stops; you continue with the customer yourself.'),
      field('Message for the customer', msg), field('Note', note),
      h('div.form-actions',
        h('button.btn.primary', { type: 'submit' }, 'Take over ', h('kbd', 'Ctrl'), '+', h('kbd', 'Enter')),
        h('button.btn.ghost', { type: 'button', onclick: () => setMode('view') }, 'Cancel ', h('kbd', 'Esc'))));
    st.submitForm = () => {
      const body = { verdict: 'taken_over' };
      if (msg.value.trim()) body.customer_message = msg.value.trim();
      if (note.value.trim()) body.note = note.value.trim();
      return verdict(body, 'Taken over');
    };
    return form;
  }

  // ---------------------------------------------------------- actions
  async function ensureLease() {
    const t = st.detail;
    if (!t) return null;
    if (st.lease && t.lease?.owner === me.key_id) return st.lease;
    const claimed = await post(`/v1/review/tasks/${encodeURIComponent(t.id)}/claim`);
    st.detail = { ...claimed, context: claimed.context || t.context };
    st.lease = claimed.lease;
    st.tasks.set(claimed.id, claimed);
    renderList();
    return st.lease;
  }

  function editAsProposed() {
    st.useAction = null;
    setMode('edit');
  }

  function useSuggestion(action) {
    st.useAction = action;
    judgeSuggestion(st.detail.id, action, 'used');
    setMode('edit');
  }

  async function markWrong(action) {
    const a = st.assist;
    if (!a || a.wrong?.has(action)) return;
    if (!(await judgeSuggestion(st.detail.id, action, 'wrong'))) return;
    a.wrong = new Set([...(a.wrong || []), action]);
    if (st.assist === a && st.mode === 'view') renderDetail();
  }

  async function setMode(mode) {
    if (mode !== 'edit') st.useAction = null;
    if (!st.detail || st.busy) return;
    if (st.detail.status === 'answered' || st.detail.status === 'cancelled') return;
    if (mode !== 'view') {
      try { await ensureLease(); } catch (e) { toast(errorText(e), 'error'); return; }
    }
    st.mode = mode;
    renderDetail();
  }

  async function approve() {
    if (!st.detail || st.mode !== 'view') return;
    await verdict({ verdict: 'approved' }, 'Approved');
  }

  async function verdict(body, label) {
    if (st.busy) return;
    st.busy = true;
    const t = st.detail;
    st.answering = t.id;
    try {
      const lease = await ensureLease();
      const res = await post(`/v1/review/tasks/${encodeURIComponent(t.id)}/verdict`, { ...body, lease_id: lease.lease_id });
      st.lease = null;
      toast(`${label}: ${actionSummary(res.verdict?.edited_action) || t.interaction_id}. The agent has the verdict.`, 'ok');
      const order = ordered().map((x) => x.id);
      const idx = order.indexOf(t.id);
      st.tasks.delete(t.id);
      const nextId = order[idx + 1] || order[idx - 1] || null;
      st.mode = 'view';
      st.detail = null;
      await select(nextId && st.tasks.has(nextId) ? nextId : null);
      loadQueues();
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      st.busy = false;
      st.answering = null;
    }
  }

  async function release(quiet = false) {
    const t = st.detail;
    if (!t || !st.lease) return;
    const lease = st.lease;
    st.lease = null;
    try {
      const res = await post(`/v1/review/tasks/${encodeURIComponent(t.id)}/release`, { lease_id: lease.lease_id });
      st.tasks.set(res.id, res);
      if (!quiet) { toast('Released: the task is back in the queue.', 'info'); st.detail = { ...res, context: t.context }; st.mode = 'view'; renderDetail(); renderList(); }
    } catch (e) { if (!quiet) toast(errorText(e), 'error'); }
  }

  async function nextTask() {
    if (st.busy) return;
    try {
      if (st.lease) await release(true);
      const t = await post('/v1/review/next', { queues: [...st.picked] });
      st.tasks.set(t.id, t);
      st.selectedId = t.id;
      st.detail = t;
      st.lease = t.lease;
      st.mode = 'view';
      history.replaceState(null, '', `#/inbox/${encodeURIComponent(t.id)}`);
      renderList();
      renderDetail();
    } catch (e) {
      if (e.status === 404) toast('No task is waiting in your queues.', 'info');
      else toast(errorText(e), 'error');
    }
  }

  function move(delta) {
    const order = ordered().map((t) => t.id);
    if (!order.length) return;
    let i = order.indexOf(st.selectedId);
    i = i < 0 ? (delta > 0 ? 0 : order.length - 1) : Math.min(order.length - 1, Math.max(0, i + delta));
    if (order[i] !== st.selectedId) select(order[i]);
  }

  listEl.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); move(1); }
    if (e.key === 'ArrowUp') { e.preventDefault(); move(-1); }
  });

  // Lease renewal while the reviewer works on a claimed task.
  const renewTimer = setInterval(async () => {
    if (!st.lease || !st.detail) return;
    const left = new Date(st.lease.expires_at).getTime() - Date.now();
    if (left > 15000) return;
    try {
      const t = await post(`/v1/review/tasks/${encodeURIComponent(st.detail.id)}/renew`, { lease_id: st.lease.lease_id });
      st.lease = t.lease;
    } catch (e) { toast(`The claim on this task ended: ${errorText(e)}`, 'warn'); st.lease = null; }
  }, 5000);

  // ------------------------------------------------------------- live
  let queueRefresh = null;
  let reloadTimer = null;
  const unsub = subscribe(['task.', 'stream.reconnect'], (name, t) => {
    if (name === 'stream.reconnect') { loadTasks(); loadQueues(); return; }
    if (!t || !t.id) return;
    if (name === 'task.created' || (name === 'task.released' && !st.tasks.has(t.id))) {
      // Whether this reviewer may claim it (skills, language) is the gateway's
      // call: re-read the list, which carries can_claim.
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(async () => {
        const before = new Set(st.tasks.keys());
        await Promise.all([loadTasks(), loadQueues()]);
        for (const x of st.tasks.values()) {
          if (!before.has(x.id) && x.status === 'open' && st.picked.has(x.queue)) toast(`New task in ${x.queue}: ${kindLabel(x.kind)} from ${x.workflow}`, 'info', 4000);
        }
      }, 150);
    } else if (visible(t)) {
      st.tasks.set(t.id, t);
    } else {
      st.tasks.delete(t.id);
    }
    if (name === 'task.escalated' && visible(t)) toast(`Escalated: task ${t.id} in ${t.queue} breached its SLA`, 'warn');
    if (st.detail && st.detail.id === t.id && st.answering !== t.id) {
      const changed = t.status !== st.detail.status || t.escalated !== st.detail.escalated || t.queue !== st.detail.queue;
      const lostIt = t.status !== 'claimed' || t.lease?.owner !== me.key_id;
      if (lostIt) st.lease = null;
      st.detail = { ...t, context: st.detail.context };
      if (changed && (st.mode === 'view' || lostIt)) {
        if (lostIt && st.mode !== 'view') toast('This task is no longer yours (answered, released or escalated elsewhere).', 'warn');
        st.mode = 'view';
        renderDetail();
      }
    }
    renderList();
    clearTimeout(queueRefresh);
    queueRefresh = setTimeout(loadQueues, 400);
  });

  await Promise.all([loadQueues(), loadTasks()]);
  if (st.selectedId) select(st.selectedId, { keepHash: true }); else renderEmptyDetail();

  const inForm = () => st.mode !== 'view';
  return {
    unmount() { unsub(); clearInterval(renewTimer); clearTimeout(queueRefresh); clearTimeout(reloadTimer); if (st.lease) release(true); },
    update(p) { if ((p[0] || null) !== st.selectedId) select(p[0] || null, { keepHash: true }); },
    keys: {
      j: () => !inForm() && move(1),
      k: () => !inForm() && move(-1),
      n: () => !inForm() && nextTask(),
      a: () => !inForm() && approve(),
      e: () => !inForm() && editAsProposed(),
      r: () => !inForm() && setMode('reject'),
      t: () => !inForm() && setMode('takeover'),
      u: () => !inForm() && st.assist?.suggestions?.length && useSuggestion(st.assist.suggestions[0].action),
      w: () => !inForm() && st.assist?.suggestions?.length && markWrong(st.assist.suggestions[0].action),
      Enter: () => { if (!st.detail && st.selectedId) select(st.selectedId); },
      'Mod+Enter': () => { if (st.mode === 'edit') submitEdit(); else if (inForm()) st.submitForm?.(); },
      Escape: () => { if (inForm()) { st.mode = 'view'; st.useAction = null; renderDetail(); } },
    },
    help: [['N', 'Claim the next (most urgent) task'], ['J / K', 'Next / previous task in the list'], ['A', 'Approve the proposal as it is'],
      ['E', 'Edit the text and the action, then approve'], ['R', 'Reject with a reason and a message for the customer'],
      ['T', 'Take the conversation over'], ['U', 'Use the top assist suggestion in the editor'], ['W', 'Mark the top assist suggestion wrong'], ['Ctrl Enter', 'Submit the open form (edit, reject, take over)'], ['Esc', 'Cancel the open form']],
  };
}

// A promotion of earned autonomy: approving it signs it off (docs/autonomy.md).
function autonomyChangeView(c) {
  const e = c.evidence || {};
  return section('Promotion to sign off',
    h('p', h('strong', `${c.workflow} · ${String(c.subject).replace(':', ' ')}`), `: ${String(c.from).toUpperCase()} → ${String(c.to).toUpperCase()}`),
    h('p', `${e.agreed} of ${e.cases} judged cases agreed with the AI; ${c.reason}.`),
    h('p.muted.small', 'Approve to apply the new level to proposals decided from now on; reject to keep the current one.'),
    h('p', h('a', { href: '#/autonomy' }, 'All levels and their evidence in the Autonomy view →')));
}
