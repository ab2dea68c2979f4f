// The console shell: sign-in, navigation by role, live connection, global
// keyboard shortcuts and the help dialog. Each view is a module under views/
// exporting mount(container, ctx) -> {unmount?, keys?, help?}.
import { api, get, getToken, setToken, setUnauthorizedHandler, startStream, stopStream, onLiveState } from './api.js';
import { h, replace, field, tickSla, toast, isTyping, errorText } from './dom.js';

const VIEWS = [
  { id: 'inbox', label: 'Inbox', roles: ['reviewer', 'supervisor', 'admin'], load: () => import('./views/inbox.js') },
  { id: 'board', label: 'Board', roles: ['supervisor', 'admin'], load: () => import('./views/board.js') },
  { id: 'audit', label: 'Audit samples', roles: ['auditor', 'admin'], load: () => import('./views/audit.js') },
  { id: 'interactions', label: 'Interactions', roles: ['auditor', 'supervisor', 'admin'], extraRoles: ['reviewer'], load: () => import('./views/interactions.js') },
  { id: 'measure', label: 'Measure', roles: ['supervisor', 'auditor', 'admin'], load: () => import('./views/measure.js') },
  { id: 'autonomy', label: 'Autonomy', roles: ['supervisor', 'auditor', 'admin'], load: () => import('./views/autonomy.js') },
  { id: 'policies', label: 'Policies', roles: ['admin'], load: () => import('./views/policies.js') },
  { id: 'people', label: 'People & keys', roles: ['admin'], load: () => import('./views/people.js') },
  { id: 'knowledge', label: 'Knowledge', roles: ['admin'], load: () => import('./views/knowledge.js') },
];

const app = document.getElementById('app');
function logoSvg() {
  const span = h('span.logo', { 'aria-hidden': 'true' });
  span.innerHTML = '<svg width="18" height="18" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="currentColor"/><path d="M4 8h8M8 4v8" stroke="#132033" stroke-width="2"/></svg>';
  return span;
}
let me = null;
let current = null; // {view, handle, container}
let routeSeq = 0;

const navViews = () => VIEWS.filter((v) => v.roles.includes(me.role));
const mayOpen = (v) => v.roles.includes(me.role) || (v.extraRoles || []).includes(me.role);

setUnauthorizedHandler(() => {
  if (!me) return;
  signOut('Your key is no longer accepted (revoked or expired). Sign in again.');
});

// ---------------------------------------------------------------- sign-in
function renderLogin(message) {
  stopStream();
  me = null;
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: 'hg_…', 'aria-describedby': 'login-hint' });
  const err = h('p.form-error', { role: 'alert', id: 'login-error' }, message || '');
  const submit = h('button.btn.primary', { type: 'submit' }, 'Sign in');
  const form = h('form.login-card', { 'aria-labelledby': 'login-title',
    onsubmit: async (e) => {
      e.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      submit.disabled = true;
      err.textContent = '';
      try {
        const who = await get('/v1/me', { token });
        setToken(token);
        start(who);
      } catch (ex) {
        err.textContent = ex.status === 401 ? 'This API key is not valid (or has been revoked).' : errorText(ex);
        submit.disabled = false;
        input.select();
      }
    } },
    h('div.brand.big', logoSvg(), ' hitlgate'),
    h('h1', { id: 'login-title' }, 'Sign in to the console'),
    field('API key', input),
    h('p.hint', { id: 'login-hint' }, 'Paste the key your administrator gave you. It is kept only in this browser tab and forgotten when you sign out or close it.'),
    err, submit);
  replace(app, h('main.login', { id: 'main' }, form));
  input.focus();
}

function signOut(message) {
  if (current?.handle?.unmount) current.handle.unmount();
  current = null;
  setToken('');
  location.hash = '';
  renderLogin(message);
}

// ------------------------------------------------------------------ shell
let liveEl, mainEl, navEl;

function start(who) {
  me = who;
  if (me.role === 'agent') {
    setToken('');
    renderLogin('This is an agent key: agents use the API, not the console. Sign in with a reviewer, supervisor, auditor or admin key.');
    return;
  }
  liveEl = h('span.live', { role: 'status', title: 'Live updates from the gateway' });
  navEl = h('nav.nav', { 'aria-label': 'Views' });
  mainEl = h('main.main', { id: 'main', tabindex: '-1' });
  const header = h('header.topbar',
    h('a.brand', { href: '#/', 'aria-label': 'hitlgate console home' }, logoSvg(), ' hitlgate'),
    navEl,
    h('div.topbar-right', liveEl,
      h('span.who', { title: `${me.name}, key ${me.key_id}` }, h('strong', me.name), ' ', h('span.role-chip', me.role)),
      h('button.btn.ghost.small', { type: 'button', onclick: showHelp, 'aria-keyshortcuts': '?', 'aria-label': 'Shortcuts', title: 'Shortcuts (?)' },
        h('span.wide-only', 'Shortcuts '), h('kbd', '?')),
      h('button.btn.ghost.small', { type: 'button', onclick: () => signOut('Signed out.') }, 'Sign out')));
  replace(app, header, mainEl);
  onLiveState((s) => {
    liveEl.dataset.state = s;
    liveEl.textContent = { live: '● Live', connecting: '○ Connecting…', reconnecting: '⚠ Reconnecting…', off: '○ Offline' }[s] || s;
  });
  startStream();
  route();
}

function renderNav(active) {
  replace(navEl, navViews().map((v, i) => h('a', { href: `#/${v.id}`, 'aria-current': v.id === active ? 'page' : null, title: `${v.label} (${i + 1})` }, v.label)));
}

async function route() {
  if (!me) return;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  let view = VIEWS.find((v) => v.id === parts[0]);
  if (!view || !mayOpen(view)) {
    const first = navViews()[0];
    if (!first) { replace(mainEl, h('p.empty', 'This role has no views in the console.')); return; }
    location.replace(`#/${first.id}`);
    return;
  }
  const params = parts.slice(1).filter(Boolean);
  renderNav(view.id);
  // Same view, new params: let the view handle it without re-mounting.
  if (current && current.view === view && current.handle?.update) {
    current.handle.update(params);
    return;
  }
  if (current?.handle?.unmount) current.handle.unmount();
  current = null;
  const seq = ++routeSeq;
  const container = h('div.view', { 'data-view': view.id });
  replace(mainEl, container);
  try {
    const mod = await view.load();
    if (seq !== routeSeq) return;
    const handle = (await mod.mount(container, { me, params, navigate })) || {};
    if (seq !== routeSeq) { handle.unmount?.(); return; }
    current = { view, handle, container };
    document.title = `${view.label} · hitlgate`;
  } catch (e) {
    console.error(e);
    replace(container, h('p.form-error', { role: 'alert' }, `This view failed to load: ${errorText(e)}`));
  }
}

export function navigate(hash) { if (location.hash !== hash) location.hash = hash; else route(); }

window.addEventListener('hashchange', route);

// -------------------------------------------------------------- shortcuts
const GLOBAL_HELP = [['?', 'Show this help'], ['1 … 9', 'Switch view (in the order of the menu)'], ['Esc', 'Close a dialog or cancel an edit']];

function showHelp() {
  const viewHelp = current?.handle?.help || [];
  const rows = (list) => list.map(([k, d]) => h('tr', h('th', { scope: 'row' }, k.split(' ').map((p) => (p === '…' || p === '/' ? ` ${p} ` : h('kbd', p)))), h('td', d)));
  const dlg = h('dialog.help', { 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title' }, 'Keyboard shortcuts'),
    viewHelp.length ? [h('h3', current.view.label), h('table.keys', h('tbody', rows(viewHelp)))] : null,
    h('h3', 'Everywhere'), h('table.keys', h('tbody', rows(GLOBAL_HELP))),
    h('form', { method: 'dialog' }, h('button.btn.primary', { type: 'submit', autofocus: true }, 'Close')));
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
}

document.addEventListener('keydown', (e) => {
  if (!me || !current) return;
  if (document.querySelector('dialog[open]')) return;
  const keys = current.handle?.keys || {};
  if (e.key === 'Escape' && keys.Escape) { keys.Escape(e); return; }
  if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && keys['Mod+Enter']) { e.preventDefault(); keys['Mod+Enter'](e); return; }
  if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e)) return;
  if (e.key === '?') { e.preventDefault(); showHelp(); return; }
  if (/^[1-9]$/.test(e.key)) {
    const v = navViews()[Number(e.key) - 1];
    if (v) { e.preventDefault(); navigate(`#/${v.id}`); }
    return;
  }
  const fn = keys[e.key] || keys[e.key.toLowerCase()];
  if (fn && !(e.target.closest && e.target.closest('button') && e.key === 'Enter')) { e.preventDefault(); fn(e); }
});

setInterval(() => { for (const el of document.querySelectorAll('[data-due]')) tickSla(el); }, 1000);

// ------------------------------------------------------------------- boot
(async () => {
  if (!getToken()) { renderLogin(); return; }
  try { start(await get('/v1/me')); } catch (e) { setToken(''); renderLogin(e.status === 401 ? 'Your session ended. Sign in again.' : errorText(e)); }
})();

export { toast, api };
