// Agent assist beside a task (docs/assist.md): the procedure with its done
// and next steps, the suggested next actions with why, and the articles that
// match the conversation with the matched words marked. A suggestion only
// fills the editor; the verdict stays the person's.
import { get, post } from '../api.js';
import { h, toast, errorText } from '../dom.js';
import { section } from './shared.js';

/** The assist answer for a task; null when the gateway runs without assist. */
export async function loadAssist(taskId) {
  try {
    return await get(`/v1/review/tasks/${encodeURIComponent(taskId)}/assist`);
  } catch (e) {
    if (e.status === 412) return null;
    return { error: e.message || String(e) };
  }
}

/** Records that the person used a suggestion or marked it wrong (an audit record). */
export async function judgeSuggestion(taskId, action, judgement) {
  try {
    await post(`/v1/review/tasks/${encodeURIComponent(taskId)}/assist/feedback`, { action, judgement });
    return true;
  } catch (e) {
    toast(`Could not record that: ${errorText(e)}`, 'error');
    return false;
  }
}

const pct = (x) => `${Math.round(x * 100)}%`;

// The gateway marks matches as byte ranges of the UTF-8 snippet.
function markedSnippet(snippet, marks) {
  const bytes = new TextEncoder().encode(snippet);
  const text = (a, b) => new TextDecoder().decode(bytes.slice(a, b));
  const out = [];
  let at = 0;
  for (const [begin, end] of marks || []) {
    if (begin < at || end > bytes.length) continue;
    out.push(text(at, begin), h('mark', text(begin, end)));
    at = end;
  }
  out.push(text(at, bytes.length));
  return out;
}

/**
 * The panel; onUse(action) puts a suggested action into the editor,
 * onWrong(action) marks it wrong. assist.wrong: the actions marked so far.
 */
export function assistPanel(assist, { onUse, onWrong }) {
  if (assist.error) return section('Assist', h('p.muted', `Assist is not available for this task: ${assist.error}`));
  const p = assist.procedure;
  const procedure = p
    ? h('div.assist-procedure',
      h('p', h('strong', p.title), ` · ${p.flow || 'procedure'} · ${pct(p.confidence)} sure`),
      h('ol.assist-steps', { 'aria-label': 'Procedure steps' }, p.steps.map((s) => h('li', {
        class: s.done ? 'done' : s.next ? 'next' : '',
        'aria-current': s.next ? 'step' : null,
      }, s.done ? '✓ ' : s.next ? '→ ' : '', s.label || s.action, s.done ? ' (done)' : s.next ? ' (next)' : ''))))
    : h('p.muted', 'No procedure matches this conversation.');
  const suggestions = assist.dont_know
    ? h('p.assist-unsure', `Not sure what comes next (best guess under ${pct(assist.threshold)}).`)
    : null;
  const wrong = assist.wrong || new Set();
  const list = h('ul.assist-suggestions', { 'aria-label': 'Suggested next actions' }, (assist.suggestions || []).map((s, i) => h('li',
    { class: wrong.has(s.action) ? 'marked-wrong' : '' },
    h('button.btn', { type: 'button', onclick: () => onUse(s.action), title: 'Put this action into the editor' },
      'Use ', h('code', s.action), i === 0 ? h('kbd', 'U') : null),
    ` ${pct(s.confidence)} `,
    wrong.has(s.action)
      ? h('span.muted.small', 'marked wrong')
      : h('button.btn.ghost', { type: 'button', onclick: () => onWrong(s.action), 'aria-label': `Mark ${s.action} wrong` },
        'Wrong', i === 0 ? h('kbd', 'W') : null),
    h('div.muted.small', s.evidence),
    s.slots?.length
      ? h('div.small.assist-slots', 'Needs ', s.slots.map((slot, j) => [j ? ', ' : '', h('code', slot.name),
        slot.value == null ? ' (not collected)' : ` = ${slot.value}`]))
      : null)));
  const articles = (assist.articles || []).length
    ? h('ul.assist-articles', { 'aria-label': 'Articles' }, assist.articles.map((a) => h('li',
      h('strong', a.title),
      a.matched_words?.length ? h('span.muted.small', ` · matches ${a.matched_words.join(', ')}`) : null,
      h('p.small', markedSnippet(a.snippet, a.marks)))))
    : h('p.muted', 'No article matches this conversation.');
  return section('Assist', procedure, suggestions, list, h('h4', 'Articles'), articles,
    h('p.muted.small', 'Suggestions are input, not instructions: the verdict is yours.'));
}
