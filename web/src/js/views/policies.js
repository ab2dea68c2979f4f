// Admins: policies. View the versions, edit with the checker's messages shown
// at their line, run the policy's test cases, diff two versions, activate,
// roll back (activate an older version).
import { get, post, api } from '../api.js';
import { h, replace, field, fmtTime, toast, errorText } from '../dom.js';
import { diffLines } from '../diff.js';
import { section } from './shared.js';
import { policyChangePanel } from './policy_change.js';

const short = (v) => String(v || '').replace(/^sha256:/, '').slice(0, 12);

export async function mount(root, { me, params }) {
  const st = { versions: [], base: null, issues: [], validating: false, dirty: false, result: null };

  // --- the editor: a textarea over a highlight layer, with a line gutter
  const gutter = h('div.gutter', { 'aria-hidden': 'true' });
  const layer = h('pre.code-layer', { 'aria-hidden': 'true' });
  const ta = h('textarea.code-input', { id: 'policy-source', wrap: 'off', spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', 'aria-describedby': 'policy-status policy-issues' });
  const msgs = h('div.code-msgs-inner');
  const editor = h('div.code-editor', gutter, h('div.code-scroll', layer, ta, h('div.code-msgs', { 'aria-hidden': 'true' }, msgs)));
  const statusEl = h('p.policy-status', { id: 'policy-status', role: 'status' });
  const issuesEl = h('ul.issues', { id: 'policy-issues', 'aria-label': 'Checker messages' });
  const cases = h('textarea.code-input.plain', { rows: 8, wrap: 'off', spellcheck: 'false', placeholder: 'cases:\n  - name: a big refund is held\n    steps:\n      - event: {type: ai_proposal, workflow: retail-bot, interaction_id: t1, action: {name: refund, amount: 500, currency: EUR}}\n        expect: {decision: hold}' });
  const testOut = h('div', { 'aria-live': 'polite' });
  const versionsEl = h('div.table-wrap');
  const diffA = h('select'), diffB = h('select');
  const diffOut = h('div');
  const titleEl = h('span.muted');
  const change = policyChangePanel({ me });

  replace(root,
    h('div.page-head', h('h1', 'Policies'), titleEl),
    h('div.policy-grid',
      h('div.col.wide',
        h('section.card', { 'aria-labelledby': 'ed-title' },
          h('div.card-head', h('h3', { id: 'ed-title' }, h('label', { for: 'policy-source' }, 'Policy source (YAML)')),
            h('div.form-actions',
              h('button.btn', { type: 'button', onclick: () => validate(true), 'aria-keyshortcuts': 'Control+Enter' }, 'Validate ', h('kbd', 'Ctrl'), '+', h('kbd', 'Enter')),
              h('button.btn', { type: 'button', onclick: () => save(false) }, 'Save as new version'),
              h('button.btn.primary', { type: 'button', onclick: () => save(true) }, 'Save and activate'))),
          editor, statusEl, issuesEl),
        h('section.card', { 'aria-labelledby': 'tests-title' },
          h('h3', { id: 'tests-title' }, 'Test cases'),
          h('p.muted.small', 'Replayed through the policy in the editor (the format of examples/policies/*.cases.yaml).'),
          field('Cases (YAML)', cases),
          h('div.form-actions', h('button.btn', { type: 'button', onclick: runTests }, 'Run the tests')), testOut)),
      h('div.col',
        section('Versions', versionsEl),
        section('Compare two versions',
          h('div.field-row', field('From', diffA), field('To', diffB)),
          h('div.form-actions', h('button.btn', { type: 'button', onclick: compare }, 'Show diff')), diffOut))),
    h('section.card.policy-change-card', { 'aria-labelledby': 'pc-title' },
      h('h2', { id: 'pc-title' }, 'Before a version goes live'),
      h('p.muted.small', 'Replay a saved version against recent history, run it in shadow mode on live traffic, and see its staffing cost.'),
      change.el));

  // --- rendering the gutter and layer
  function paint() {
    const lines = ta.value.split('\n');
    const byLine = new Map();
    for (const i of st.issues) { if (!byLine.has(i.line)) byLine.set(i.line, []); byLine.get(i.line).push(i); }
    replace(gutter, lines.map((_, n) => {
      const iss = byLine.get(n + 1);
      const sev = iss ? (iss.some((x) => x.severity === 'error') ? 'error' : 'warning') : '';
      return h('div.ln', { class: sev, dataset: { line: n + 1 }, title: iss ? iss.map((x) => x.message).join('\n') : null }, iss ? (sev === 'error' ? '✖ ' : '⚠ ') : '', n + 1);
    }));
    replace(layer, lines.map((l, n) => {
      const iss = byLine.get(n + 1);
      if (!iss) return h('div.code-line', l || ' ');
      const sev = iss.some((x) => x.severity === 'error') ? 'error' : 'warning';
      const col = Math.max(1, iss[0].column || 1);
      return h('div.code-line', { class: `has-${sev}`, dataset: { line: n + 1 } },
        l.slice(0, col - 1), h('span.mark', l.slice(col - 1) || ' '));
    }));
    // The checker's messages, just under their line, starting at their column.
    replace(msgs, [...byLine.entries()].map(([line, iss]) => {
      const sev = iss.some((x) => x.severity === 'error') ? 'error' : 'warning';
      return h('div.inline-msg', { class: sev, 'data-line-message': line, style: { top: `${6 + line * 18}px`, left: `calc(8px + ${Math.max(0, (iss[0].column || 1) - 1)}ch)` } },
        `${sev === 'error' ? '✖' : '⚠'} line ${line}: ${iss.map((x) => x.message).join(' · ')}`);
    }));
    sync();
  }
  function sync() {
    layer.style.transform = msgs.style.transform = `translate(${-ta.scrollLeft}px, ${-ta.scrollTop}px)`;
    gutter.scrollTop = ta.scrollTop;
  }
  ta.addEventListener('scroll', sync);
  let debounce = null;
  ta.addEventListener('input', () => { st.dirty = true; paint(); clearTimeout(debounce); debounce = setTimeout(() => validate(false), 600); });
  ta.addEventListener('keydown', (e) => {
    if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey) {
      // Two spaces, as YAML wants; Esc then Tab leaves the editor.
      if (st.tabEscape) { st.tabEscape = false; return; }
      e.preventDefault();
      ta.setRangeText('  ', ta.selectionStart, ta.selectionEnd, 'end');
      ta.dispatchEvent(new Event('input'));
    }
    st.tabEscape = e.key === 'Escape';
  });

  function renderIssues() {
    const errors = st.issues.filter((i) => i.severity === 'error').length;
    const warnings = st.issues.length - errors;
    statusEl.className = 'policy-status ' + (st.validating ? 'pending' : errors ? 'bad' : 'good');
    statusEl.textContent = st.validating ? 'Checking…'
      : st.result === null ? 'Not checked yet.'
        : errors ? `✖ ${errors} error${errors > 1 ? 's' : ''}${warnings ? `, ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}: the policy cannot be activated until they are fixed.`
          : `✓ Valid${warnings ? ` with ${warnings} warning${warnings > 1 ? 's' : ''}` : ''} · version ${short(st.result?.version)}${st.dirty ? ' (unsaved)' : ''}`;
    replace(issuesEl, st.issues.map((i) => h('li.issue', { class: i.severity },
      h('button.linkish', { type: 'button', onclick: () => goTo(i.line, i.column), 'aria-label': `Go to line ${i.line}, column ${i.column}: ${i.message}` },
        h('span.issue-pos', `Line ${i.line}:${i.column}`), ' ', h('span.sev', i.severity === 'error' ? '✖ error' : '⚠ warning'), ' ',
        h('code', i.code), ' ', i.message))));
  }

  function goTo(line, column = 1) {
    const lines = ta.value.split('\n');
    let pos = 0;
    for (let n = 0; n < line - 1 && n < lines.length; n++) pos += lines[n].length + 1;
    pos += Math.max(0, (column || 1) - 1);
    ta.focus();
    ta.setSelectionRange(pos, pos);
    const lh = parseFloat(getComputedStyle(ta).lineHeight) || 18;
    ta.scrollTop = Math.max(0, (line - 5) * lh);
    sync();
  }

  let validateSeq = 0;
  async function validate(explicit) {
    const seq = ++validateSeq;
    st.validating = true; renderIssues();
    try {
      const r = await api('POST', '/v1/policies/validate', ta.value);
      if (seq !== validateSeq) return;
      st.result = r; st.issues = r.issues || [];
      if (explicit) toast(r.ok ? 'The policy is valid.' : 'The checker found problems; see the marked lines.', r.ok ? 'ok' : 'error');
    } catch (e) {
      if (seq !== validateSeq) return;
      st.result = null; st.issues = [];
      toast(errorText(e), 'error');
    } finally {
      if (seq === validateSeq) { st.validating = false; paint(); renderIssues(); }
    }
  }

  async function save(activate) {
    await validate(false);
    if (st.result && !st.result.ok) { toast('Fix the errors first: the marked lines.', 'error'); goTo(st.issues[0]?.line || 1, st.issues[0]?.column); return; }
    try {
      const r = await api('POST', '/v1/policies' + (activate ? '?activate=true' : ''), ta.value);
      st.dirty = false;
      toast(activate ? `Version ${short(r.version)} (${r.name}) is now active.` : `Saved version ${short(r.version)}.`, 'ok');
      st.base = r.version;
      titleEl.textContent = `Editing ${r.name} · ${short(r.version)}${activate ? ' (active)' : ''}`;
      await loadVersions();
      renderIssues();
    } catch (e) { toast(errorText(e), 'error'); }
  }

  async function runTests() {
    if (!cases.value.trim()) { toast('Write or paste some test cases first.', 'error'); cases.focus(); return; }
    replace(testOut, h('p.muted', 'Running…'));
    try {
      const r = await post('/v1/policies/test', { policy: ta.value, cases: cases.value });
      const ok = r.ok ?? (r.passed === r.cases && !(r.failures || []).length);
      replace(testOut, h('p', { class: ok ? 'ok-text' : 'bad-text' }, ok ? `✓ ${r.passed} of ${r.cases} cases passed.` : `✖ ${r.passed} of ${r.cases} cases passed.`),
        (r.failures || []).length ? h('ul.issues', r.failures.map((f) => h('li.issue.error', typeof f === 'string' ? f : JSON.stringify(f)))) : null);
    } catch (e) { replace(testOut, h('p.form-error', { role: 'alert' }, e.status === 404 ? 'Running tests is not available on this gateway yet.' : errorText(e))); }
  }

  async function open(version) {
    if (st.dirty && !confirm('Discard your unsaved changes?')) return;
    try {
      const p = await get(`/v1/policies/${encodeURIComponent(version)}`);
      ta.value = p.source || '';
      st.base = p.version; st.dirty = false; st.issues = []; st.result = null;
      titleEl.textContent = `Editing ${p.name} · ${short(p.version)}${p.active ? ' (active)' : ''}`;
      paint(); renderIssues(); renderVersions();
      validate(false);
    } catch (e) { toast(errorText(e), 'error'); }
  }

  async function activate(v) {
    const active = st.versions.find((x) => x.active);
    const older = active && v.uploaded_at < active.uploaded_at;
    if (!confirm(`${older ? 'Roll back to' : 'Activate'} version ${short(v.version)} (${v.name})? It applies to the next event.`)) return;
    try {
      await post(`/v1/policies/${encodeURIComponent(v.version)}/activate`);
      toast(`${older ? 'Rolled back to' : 'Activated'} ${short(v.version)}.`, 'ok');
      await loadVersions();
      if (st.base) titleEl.textContent = titleEl.textContent.replace(/ \(active\)$/, '') + (st.base === v.version ? ' (active)' : '');
    } catch (e) { toast(errorText(e), 'error'); }
  }

  function renderVersions() {
    replace(versionsEl, h('table.data', { 'aria-label': 'Policy versions' },
      h('thead', h('tr', ['Version', 'Uploaded', 'State', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', st.versions.map((v) => h('tr', { class: v.version === st.base ? 'selected' : '' },
        h('td', h('code', { title: v.version }, short(v.version)), h('br'), h('span.small', v.name)),
        h('td.small', fmtTime(v.uploaded_at), h('br'), h('span.muted', `by ${v.uploaded_by}`)),
        h('td', v.active ? h('span.status-chip.s-live', { title: `Activated ${fmtTime(v.activated_at)} by ${v.activated_by}` }, '● Active') : h('span.muted', 'inactive')),
        h('td.nowrap',
          h('button.btn.tiny', { type: 'button', onclick: () => open(v.version), 'aria-label': `Open version ${short(v.version)} in the editor` }, 'Open'),
          v.active ? null : h('button.btn.tiny', { type: 'button', onclick: () => activate(v), 'aria-label': `Activate version ${short(v.version)}` }, 'Activate')))))));
    const opts = (sel, pick) => replace(sel, st.versions.map((v, i) => h('option', { value: v.version, selected: i === pick }, `${short(v.version)} ${v.name}${v.active ? ' (active)' : ''}`)));
    opts(diffA, Math.min(1, st.versions.length - 1)); opts(diffB, 0);
  }

  async function loadVersions() {
    try {
      const { versions } = await get('/v1/policies');
      st.versions = versions.sort((a, b) => b.uploaded_at.localeCompare(a.uploaded_at));
      renderVersions();
      change.reloadVersions().then(() => { if (st.base) change.setVersion(st.base); });
    } catch (e) { toast(errorText(e), 'error'); }
  }

  async function compare() {
    try {
      const [a, b] = await Promise.all([get(`/v1/policies/${encodeURIComponent(diffA.value)}`), get(`/v1/policies/${encodeURIComponent(diffB.value)}`)]);
      const ops = diffLines(a.source, b.source);
      const changed = ops.filter((o) => o.op !== 'eq').length;
      // Show changed lines with three lines of context.
      const keep = new Set();
      ops.forEach((o, i) => { if (o.op !== 'eq') for (let k = i - 3; k <= i + 3; k++) keep.add(k); });
      const rows = [];
      let gap = false;
      ops.forEach((o, i) => {
        if (!keep.has(i)) { if (!gap) rows.push(h('div.diff-gap', '⋯')); gap = true; return; }
        gap = false;
        rows.push(h('div.diff-line', { class: o.op }, h('span.dl-n', o.aLine ?? ''), h('span.dl-n', o.bLine ?? ''), h('span.dl-op', { 'aria-label': o.op === 'add' ? 'added' : o.op === 'del' ? 'removed' : 'same' }, o.op === 'add' ? '+' : o.op === 'del' ? '−' : ' '), h('span.dl-t', o.text)));
      });
      replace(diffOut, h('p.small', changed ? `${changed} changed lines between ${short(a.version)} and ${short(b.version)}.` : 'The two versions are identical.'), changed ? h('div.line-diff', rows) : null);
    } catch (e) { toast(errorText(e), 'error'); }
  }

  await loadVersions();
  const first = params[0] || st.versions.find((v) => v.active)?.version || st.versions[0]?.version;
  if (first) await open(first); else { paint(); renderIssues(); }
  change.start();
  return {
    unmount: () => change.stop(),
    keys: { 'Mod+Enter': () => validate(true) },
    help: [['Ctrl Enter', 'Validate the policy in the editor'], ['Tab', 'Indent two spaces in the editor (Esc, then Tab, to leave it)']],
  };
}
