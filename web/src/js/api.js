// The public hitlgate API, the same one agents use. Every call carries the
// signed-in key as a bearer token; errors come back as ApiError.
const TOKEN_KEY = 'hitlgate.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || 'http_' + status;
  }
}

export function getToken() { return sessionStorage.getItem(TOKEN_KEY) || ''; }
export function setToken(t) {
  if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

/**
 * api('GET', '/v1/me') -> parsed JSON.
 * body: an object (sent as JSON) or a string (sent as text, e.g. policy YAML).
 * opts.text: return the response body as text (JSON lines, Prometheus).
 */
export async function api(method, path, body, opts = {}) {
  const headers = { Authorization: `Bearer ${opts.token ?? getToken()}` };
  let payload;
  if (typeof body === 'string') {
    payload = body;
    headers['Content-Type'] = opts.contentType || 'application/yaml';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, signal: opts.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The gateway cannot be reached. Check the connection and try again.');
  }
  const text = await res.text();
  if (!res.ok) {
    let code, message;
    try { ({ code, message } = JSON.parse(text).error || {}); } catch { message = text.slice(0, 200); }
    const err = new ApiError(res.status, code, message);
    if (res.status === 401 && !opts.token) onUnauthorized(err);
    throw err;
  }
  if (opts.text) return text;
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    // An older gateway answers unknown API paths with the console's
    // index.html: treat that as "this endpoint does not exist here".
    throw new ApiError(404, 'not_found', `${method} ${path.split('?')[0]} is not available on this gateway`);
  }
}

export const get = (p, o) => api('GET', p, undefined, o);
export const post = (p, b, o) => api('POST', p, b ?? {}, o);
export const del = (p, o) => api('DELETE', p, undefined, o);

export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? '?' + s : '';
}

// Live updates: GET /v1/stream as server-sent events, read with fetch()
// because EventSource cannot send the Authorization header. One connection
// per signed-in session; views subscribe by event-name prefix. Reconnects
// with a growing delay and tells subscribers the connection state.
const subscribers = new Set();
const stateListeners = new Set();
let controller = null;
let liveState = 'off';

export function subscribe(prefixes, fn) {
  const sub = { prefixes: [].concat(prefixes), fn };
  subscribers.add(sub);
  return () => subscribers.delete(sub);
}
export function onLiveState(fn) { stateListeners.add(fn); fn(liveState); return () => stateListeners.delete(fn); }
function setLive(s) { liveState = s; for (const fn of stateListeners) fn(s); }

function dispatch(name, data) {
  let payload;
  try { payload = JSON.parse(data); } catch { payload = data; }
  for (const sub of subscribers) {
    if (sub.prefixes.some((p) => name.startsWith(p))) {
      try { sub.fn(name, payload); } catch (e) { console.error(e); }
    }
  }
}

export function startStream(topics = 'task.,decision,control.,policy.,autonomy.') {
  stopStream();
  controller = new AbortController();
  const signal = controller.signal;
  let delay = 1000;
  (async () => {
    while (!signal.aborted) {
      setLive('connecting');
      try {
        const res = await fetch('/v1/stream' + qs({ topics }), {
          headers: { Authorization: `Bearer ${getToken()}`, Accept: 'text/event-stream' },
          signal,
        });
        if (res.status === 401) { setLive('off'); onUnauthorized(new ApiError(401, 'unauthenticated')); return; }
        if (!res.ok || !res.body) throw new Error('stream ' + res.status);
        setLive('live');
        delay = 1000;
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let name = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) name = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length) dispatch(name, data.join('\n'));
          }
        }
      } catch (e) {
        if (signal.aborted) return;
      }
      if (signal.aborted) return;
      setLive('reconnecting');
      dispatch('stream.reconnect', '{}');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15000);
    }
  })();
}

export function stopStream() {
  if (controller) controller.abort();
  controller = null;
  setLive('off');
}
