// A tiny DOM toolkit: h() builds elements, plus formatting helpers.
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  // A first argument that is not an attribute object is a child (0 too).
  if (attrs !== undefined && attrs !== null && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'class') el.className = [el.className, v].filter(Boolean).join(' ');
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'hidden' || k === 'required' || k === 'readOnly' || k === 'open') el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) { while (el.firstChild) el.firstChild.remove(); return el; }
export function replace(el, ...children) { clear(el); append(el, children); return el; }

let idSeq = 0;
export const uid = (p = 'id') => `${p}-${++idSeq}`;

// A labelled form field: <label for=id>text</label><input id=id ...>.
export function field(label, control, hint) {
  if (!control.id) control.id = uid('f');
  const hintEl = hint ? h('small.hint', { id: control.id + '-hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div.field', h('label', { for: control.id }, label), control, hintEl);
}

export function fmtMoney(amount, currency) {
  if (amount === undefined || amount === null || amount === '') return '—';
  const n = Number(amount);
  if (!Number.isFinite(n)) return String(amount);
  return `${n.toFixed(2)} ${currency || ''}`.trim();
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function fmtDuration(ms) {
  const s = Math.floor(Math.abs(ms) / 1000);
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const two = (n) => String(n).padStart(2, '0');
  return hh ? `${hh}:${two(mm)}:${two(ss)}` : `${mm}:${two(ss)}`;
}

export function ago(iso) {
  const ms = Date.now() - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return '';
  if (ms < 60000) return 'just now';
  if (ms < 3600000) return `${Math.floor(ms / 60000)} min ago`;
  if (ms < 86400000) return `${Math.floor(ms / 3600000)} h ago`;
  return `${Math.floor(ms / 86400000)} d ago`;
}

export const pct = (x) => (x === undefined || x === null ? '—' : `${(Number(x) * 100).toFixed(1)}%`);
export const num = (x, d = 2) => (x === undefined || x === null ? '—' : Number(x).toFixed(d));

// An SLA countdown: <span data-due=ISO>; main.js ticks them all every second.
export function slaBadge(dueAt, { escalated = false, label = 'SLA', short = false } = {}) {
  const el = h('span.sla', { dataset: { due: dueAt }, title: `${label} due ${fmtTime(dueAt)}` });
  if (escalated) el.dataset.escalated = '1';
  if (short) el.dataset.short = '1';
  tickSla(el);
  return el;
}

export function tickSla(el) {
  const left = new Date(el.dataset.due).getTime() - Date.now();
  if (!Number.isFinite(left)) { el.textContent = ''; return; }
  const breached = left < 0;
  el.classList.toggle('breached', breached);
  el.classList.toggle('soon', !breached && left < 30000);
  const esc = el.dataset.escalated ? ' · escalated' : '';
  const d = fmtDuration(breached ? Math.min(left, -1000) : left);
  if (el.dataset.short) el.textContent = breached ? `⚠ ${d} over` : `${d} left`;
  else el.textContent = breached ? `⚠ SLA breached ${d} ago${esc}` : `${d} left${esc}`;
  el.setAttribute('aria-label', breached ? `SLA breached ${d} ago${esc}` : `${d} left before the SLA${esc}`);
}

export function toast(message, kind = 'info', ms = 5000) {
  const box = document.getElementById('toasts');
  if (!box) return;
  const icon = { ok: '✓', error: '✖', warn: '⚠', info: 'ℹ' }[kind] || 'ℹ';
  const t = h('div.toast', { class: 'toast-' + kind }, h('span.toast-icon', { 'aria-hidden': 'true' }, icon), h('span', message));
  box.append(t);
  while (box.children.length > 3) box.firstElementChild.remove();
  setTimeout(() => t.remove(), ms);
}

export function errorText(e) {
  if (!e) return '';
  if (e.status === 403) return `Not allowed for this key: ${e.message}`;
  if (e.status === 409) return `Someone else got there first: ${e.message}`;
  if (e.status === 412) return `Not possible now: ${e.message}`;
  return e.message || String(e);
}

export function download(filename, text, type = 'application/json') {
  const a = h('a', { href: URL.createObjectURL(new Blob([text], { type })), download: filename });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

export function isTyping(e) {
  const t = e.target;
  if (!t || !t.tagName) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}
