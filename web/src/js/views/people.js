// Admins: people, roles, skills and keys. A key's token is shown once.
import { get, post, del } from '../api.js';
import { h, replace, field, fmtTime, toast, errorText } from '../dom.js';
import { section } from './shared.js';

const ROLES = [
  ['reviewer', 'Reviewer: works review queues'],
  ['supervisor', 'Supervisor: live board, interventions, any queue'],
  ['auditor', 'Auditor: audit samples, decision trails (read-only otherwise)'],
  ['admin', 'Admin: everything'],
  ['agent', 'Agent: an AI agent calling the API'],
];
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

export async function mount(root) {
  const st = { keys: [], queues: [], showRevoked: false };
  const tableEl = h('div.table-wrap');
  const tokenEl = h('div', { 'aria-live': 'polite' });
  const name = h('input', { required: true, placeholder: 'e.g. Rita Gomez', autocomplete: 'off' });
  const role = h('select', ROLES.map(([v, l]) => h('option', { value: v }, l)));
  const skills = h('input', { placeholder: 'billing, legal', list: 'skill-list' });
  const langs = h('input', { placeholder: 'en, de' });
  const wfs = h('input', { placeholder: 'e.g. shop-bot, or * for all' });
  const maxc = h('input', { type: 'number', min: '0', max: '100', value: '0' });
  const skillList = h('datalist', { id: 'skill-list' });
  const revokedCb = h('input', { type: 'checkbox', onchange: () => { st.showRevoked = revokedCb.checked; render(); } });
  replace(root,
    h('div.page-head', h('h1', 'People & keys')),
    h('div.policy-grid',
      h('div.col.wide', section('Keys', h('label.check', revokedCb, ' Show revoked keys'), tableEl)),
      h('div.col', section('Add a person or agent',
        h('form.stack', { onsubmit: create },
          field('Name', name), field('Role', role),
          field('Skills', skills, 'Comma-separated; a reviewer works the queues whose skills they all have.'), skillList,
          field('Languages', langs, 'BCP 47 tags, comma-separated; empty = any'),
          field('Workflows', wfs, 'The workflows this key acts for (* = all). Agent keys must name theirs; a person\'s key that names none covers all'),
          field('Max concurrent tasks', maxc, '0 = no limit'),
          h('div.form-actions', h('button.btn.primary', { type: 'submit' }, 'Create key'))),
        tokenEl))));

  async function load() {
    try {
      const [{ keys }, q] = await Promise.all([get('/v1/keys'), get('/v1/review/queues').catch(() => ({ queues: [] }))]);
      st.keys = keys; st.queues = q.queues;
      replace(skillList, [...new Set(st.queues.flatMap((x) => x.skills))].map((s) => h('option', { value: s })));
      render();
    } catch (e) { toast(errorText(e), 'error'); }
  }

  function render() {
    const keys = st.keys.filter((k) => st.showRevoked || !k.revoked_at);
    replace(tableEl, h('table.data', { 'aria-label': 'Keys' },
      h('thead', h('tr', ['Name', 'Role', 'Skills', 'Languages', 'Workflows', 'Max', 'Created', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', keys.map((k) => h('tr', { class: k.revoked_at ? 'revoked' : '' },
        h('th', { scope: 'row' }, k.name, h('br'), h('code.muted.small', k.key_id)),
        h('td', h('span.role-chip', k.role)),
        h('td', k.skills.join(', ') || '—'), h('td', k.languages.join(', ') || 'any'), h('td', k.workflows.map((w) => (w === '*' ? 'all' : w)).join(', ') || 'all'),
        h('td.num', k.max_concurrent || '—'),
        h('td.small', fmtTime(k.created_at), h('br'), h('span.muted', `by ${k.created_by}`)),
        h('td', k.revoked_at ? h('span.status-chip.s-other', `Revoked ${fmtTime(k.revoked_at)}`)
          : h('button.btn.tiny.danger', { type: 'button', 'aria-label': `Revoke the key of ${k.name}`, onclick: () => revoke(k) }, 'Revoke')))))));
  }

  async function create(e) {
    e.preventDefault();
    if (!name.value.trim()) { name.focus(); return; }
    const body = { name: name.value.trim(), role: role.value, skills: list(skills.value), languages: list(langs.value), workflows: list(wfs.value) };
    if (Number(maxc.value) > 0) body.max_concurrent = Number(maxc.value);
    try {
      const k = await post('/v1/keys', body);
      const tok = h('input.token', { readOnly: true, value: k.token, 'aria-label': `Token for ${k.name}` });
      replace(tokenEl, h('div.notice.ok',
        h('p', h('strong', `Key created for ${k.name} (${k.role}).`), ' Copy the token now: it is shown only once.'),
        h('div.field-row', tok, h('button.btn.small', { type: 'button', onclick: async () => { tok.select(); try { await navigator.clipboard.writeText(k.token); toast('Token copied.', 'ok'); } catch { document.execCommand('copy'); } } }, 'Copy'))));
      tok.focus(); tok.select();
      name.value = ''; skills.value = ''; langs.value = ''; wfs.value = '';
      load();
    } catch (ex) { toast(errorText(ex), 'error'); }
  }

  async function revoke(k) {
    if (!confirm(`Revoke the key of ${k.name}? Anything using it stops working at once.`)) return;
    try { await del(`/v1/keys/${encodeURIComponent(k.key_id)}`); toast(`Revoked ${k.name}'s key.`, 'ok'); load(); } catch (e) { toast(errorText(e), 'error'); }
  }

  await load();
  return {};
}
