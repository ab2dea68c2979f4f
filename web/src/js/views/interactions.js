// The full decision trail of one interaction: every event with its decision,
// the rules that fired, the tasks and verdicts; export as JSON. Supervisors
// can intervene from here; auditors can export the audit log.
import { get, post } from '../api.js';
import { h, replace, field, fmtTime, toast, errorText, download } from '../dom.js';
import { decisionLabel, kindLabel, VERDICT_LABELS } from '../reasons.js';
import { reasonsView, signalsView, actionSummary, section } from './shared.js';

function verdictLabel(t) {
  const v = t.verdict;
  if (t.kind === 'audit_sample') {
    if (v.kind === 'approved') return 'Audited: fine';
    if (v.kind === 'rejected' && /^flag:/.test(v.reason || '')) return `Audited: flagged as ${v.reason.slice(5).replace(/_/g, ' ')}`;
  }
  return VERDICT_LABELS[v.kind] || v.kind;
}

export async function mount(root, { me, params, navigate }) {
  const input = h('input', { name: 'interaction', placeholder: 'e.g. chat-20260412-0042', autocomplete: 'off', value: params[0] || '' });
  const out = h('div');
  const canSupervise = me.role === 'supervisor' || me.role === 'admin';
  const canAudit = me.role === 'auditor' || me.role === 'admin';
  replace(root,
    h('div.page-head', h('h1', 'Interactions'),
      h('form.head-tools', { role: 'search', onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) navigate(`#/interactions/${encodeURIComponent(input.value.trim())}`); } },
        field('Interaction id', input), h('button.btn.primary', { type: 'submit' }, 'Open'),
        canAudit ? h('button.btn', { type: 'button', onclick: exportAudit }, 'Export audit log (JSON lines)') : null)),
    out);

  async function exportAudit() {
    try {
      // Page through the log (JSON lines, each with its seq).
      let text = '', from = 1;
      for (let page = 0; page < 200; page++) {
        const chunk = await get(`/v1/audit?from_seq=${from}&limit=1000`, { text: true });
        const lines = chunk.split('\n').filter(Boolean);
        text += lines.map((l) => l + '\n').join('');
        if (lines.length < 1000) break;
        const last = JSON.parse(lines[lines.length - 1]).seq;
        if (!Number.isFinite(last)) break;
        from = last + 1;
      }
      download(`hitlgate-audit-${new Date().toISOString().slice(0, 19)}.jsonl`, text, 'application/x-ndjson');
      toast('Audit log exported.', 'ok');
    } catch (e) { toast(errorText(e), 'error'); }
  }

  async function show(id) {
    input.value = id || '';
    if (!id) { replace(out, h('p.muted', 'Enter an interaction id, or follow a link from a task, an alert or the live board.')); return; }
    replace(out, h('p.muted', 'Loading…'));
    let trail;
    try { trail = await get(`/v1/interactions/${encodeURIComponent(id)}`); } catch (e) {
      replace(out, h('p.form-error', { role: 'alert' }, e.status === 404 ? `No interaction ${id} is known to the gateway.` : errorText(e)));
      return;
    }
    const tasks = trail.tasks || [];
    const reason = h('input', { placeholder: 'reason (audited)' });
    const control = async (kind) => {
      try {
        await post(`/v1/interactions/${encodeURIComponent(id)}/${kind}`, kind === 'handback' ? {} : { reason: reason.value.trim() });
        toast({ 'hold-next': 'The next AI turn will be held for review.', takeover: 'You took the conversation over.', handback: 'Handed back to the AI.' }[kind], 'ok');
      } catch (e) { toast(errorText(e), 'error'); }
    };
    replace(out,
      h('div.trail-head',
        h('p.meta', `Customer ${trail.customer_id || '—'} · ${trail.events.length} events · ${tasks.length} tasks`),
        h('div.form-actions',
          h('button.btn', { type: 'button', onclick: () => download(`interaction-${id}.json`, JSON.stringify(trail, null, 2)) }, 'Export trail (JSON)'),
          canSupervise ? [field('Reason', reason),
            h('button.btn', { type: 'button', onclick: () => control('hold-next') }, 'Hold next AI turn'),
            h('button.btn', { type: 'button', onclick: () => control('takeover') }, 'Take over'),
            h('button.btn.ghost', { type: 'button', onclick: () => control('handback') }, 'Hand back to the AI')] : null)),
      h('ol.trail', { 'aria-label': 'Decision trail' }, trail.events.map((e, idx) => {
        const ev = e.event || {}, d = e.decision || {};
        const task = e.task_id ? tasks.find((t) => t.id === e.task_id) : null;
        return h('li.trail-item', { class: `d-${d.decision}` },
          h('div.trail-marker', { 'aria-hidden': 'true', title: e.seq !== undefined ? `audit seq ${e.seq}` : null }, idx + 1),
          h('div.card',
            h('div.trail-top', h('strong', ev.type === 'customer_message' ? 'Customer' : ev.type === 'ai_proposal' ? 'AI proposal' : ev.type),
              ev.at ? h('time.muted', { datetime: ev.at }, ' · ', fmtTime(ev.at)) : null,
              h('span.decision-chip', { class: `d-${d.decision}` }, decisionLabel(d.decision)),
              d.policy_version ? h('span.muted.small', { title: d.policy_version }, ` policy ${String(d.policy_version).slice(7, 19)}`) : null),
            ev.text ? h('p.bubble-text', ev.text) : null,
            ev.action ? h('p.bubble-action', '⚙ ', actionSummary(ev.action)) : null,
            h('details', h('summary', 'Why (rules and signals)'), reasonsView(d, ev), signalsView(d.signals)),
            task ? h('p.task-line', `${kindLabel(task.kind)} ${task.id} in ${task.queue}: ${task.status}`,
              task.verdict ? ` — ${verdictLabel(task)} by ${task.verdict.reviewer} at ${fmtTime(task.verdict.at)}${task.verdict.reason ? ` (${task.verdict.reason})` : ''}${task.verdict.edited_action ? `; final action ${actionSummary(task.verdict.edited_action)}` : ''}${task.verdict.edited_text ? `; final text “${task.verdict.edited_text}”` : ''}${task.verdict.customer_message ? `; message to the customer “${task.verdict.customer_message}”` : ''}${task.verdict.note ? `; note: ${task.verdict.note}` : ''}` : '') : null));
      })),
      tasks.filter((t) => !trail.events.some((e) => e.task_id === t.id)).length
        ? section('Other tasks', h('ul', tasks.filter((t) => !trail.events.some((e) => e.task_id === t.id)).map((t) => h('li', `${kindLabel(t.kind)} ${t.id} (${t.queue}): ${t.status}${t.verdict ? ' — ' + (VERDICT_LABELS[t.verdict.kind] || t.verdict.kind) + (t.verdict.reason ? ` (${t.verdict.reason})` : '') : ''}`))))
        : null);
  }

  await show(params[0]);
  return { update(p) { show(p[0]); } };
}
