// Admins: agent assist's procedures and articles (docs/assist.md). The
// version the gateway serves, every uploaded version with an Activate
// button (also how a rollback is done), and an upload of a new document.
import { get, api, post } from '../api.js';
import { h, replace, field, fmtTime, toast, errorText } from '../dom.js';
import { section } from './shared.js';

const short = (v) => String(v || '').replace(/^sha256:/, '').slice(0, 12);
const contents = (v) => `${v.procedures} procedure${v.procedures === 1 ? '' : 's'}, ${v.articles} article${v.articles === 1 ? '' : 's'}`;

export async function mount(root) {
  const st = { versions: [], served: null };
  const servedEl = h('div', { 'aria-live': 'polite' });
  const versionsEl = h('div.table-wrap');
  const doc = h('textarea.code-input.plain', { id: 'knowledge-document', rows: 12, wrap: 'off', spellcheck: 'false',
    placeholder: '{"format": "hitlgate-assist/1", "procedures": [...], "articles": [...]}' });
  const file = h('input', { type: 'file', accept: 'application/json,.json', onchange: readFile });
  const uploadStatus = h('p.small', { role: 'status', id: 'knowledge-upload-status' });

  replace(root,
    h('div.page-head', h('h1', 'Assist knowledge')),
    h('div.policy-grid',
      h('div.col.wide',
        section('Served now', servedEl),
        section('Versions', versionsEl)),
      h('div.col',
        section('Upload a new version',
          h('p.muted.small', 'The procedures and articles as one JSON document (docs/assist.md). It is stored as a new version and served at once; nothing changes if it is refused.'),
          field('From a file', file),
          h('label', { for: 'knowledge-document' }, 'Document (JSON)'), doc,
          h('div.form-actions', h('button.btn.primary', { type: 'button', onclick: upload }, 'Upload and activate')),
          uploadStatus))));

  async function readFile() {
    const f = file.files?.[0];
    if (f) doc.value = await f.text();
  }

  function renderServed() {
    const v = st.served;
    replace(servedEl, v
      ? h('dl.kv',
        h('dt', 'Version'), h('dd', h('code', { title: v.id }, short(v.id))),
        h('dt', 'Contents'), h('dd', contents(v)),
        h('dt', 'Uploaded'), h('dd', `${fmtTime(v.uploaded_at)} by ${v.uploaded_by}`),
        v.activated_at ? [h('dt', 'Activated'), h('dd', `${fmtTime(v.activated_at)} by ${v.activated_by}`)] : null)
      : h('p.empty', 'Nothing is served.'));
  }

  function renderVersions() {
    replace(versionsEl, h('table.data', { 'aria-label': 'Knowledge versions' },
      h('thead', h('tr', ['Version', 'Contents', 'Uploaded', 'State', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', st.versions.map((v) => h('tr', { 'data-id': v.id },
        h('td', h('code', { title: v.id }, short(v.id))),
        h('td.small', contents(v)),
        h('td.small', fmtTime(v.uploaded_at), h('br'), h('span.muted', `by ${v.uploaded_by}`)),
        h('td', v.id === st.served?.id ? h('span.status-chip.s-live', '● Served') : h('span.muted', v.activated_at ? `activated ${fmtTime(v.activated_at)}` : 'never activated')),
        h('td.nowrap', v.id === st.served?.id ? null
          : h('button.btn.tiny', { type: 'button', onclick: () => activate(v), 'aria-label': `Activate version ${short(v.id)}` }, 'Activate')))))));
  }

  async function load() {
    try {
      const [served, { versions }] = await Promise.all([get('/v1/assist/knowledge'), get('/v1/assist/knowledge/versions')]);
      st.served = served;
      st.versions = versions;
      renderServed(); renderVersions();
    } catch (e) {
      // 412: the gateway runs without --assist-model.
      replace(servedEl, h('p.empty', e.status === 412 ? `Agent assist is off on this gateway: ${e.message}` : errorText(e)));
      replace(versionsEl);
    }
  }

  async function activate(v) {
    const older = st.served && v.uploaded_at < st.served.uploaded_at;
    if (!confirm(`${older ? 'Roll back to' : 'Activate'} version ${short(v.id)} (${contents(v)})? Reviewers see it on their next task.`)) return;
    uploadStatus.textContent = '';
    try {
      await post(`/v1/assist/knowledge/versions/${encodeURIComponent(v.id)}/activate`);
      toast(`${older ? 'Rolled back to' : 'Activated'} ${short(v.id)}.`, 'ok');
      await load();
    } catch (e) { toast(errorText(e), 'error'); }
  }

  async function upload() {
    uploadStatus.textContent = '';
    try {
      const v = await api('PUT', '/v1/assist/knowledge', doc.value, { contentType: 'application/json' });
      uploadStatus.textContent = `Version ${short(v.id)} (${contents(v)}) is served now.`;
      await load();
    } catch (e) {
      // The gateway names the field; the served version is unchanged.
      uploadStatus.textContent = `Refused, nothing changed: ${errorText(e)}`;
    }
  }

  await load();
  return {};
}
