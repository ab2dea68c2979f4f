// Word-level and line-level diffs by longest common subsequence. Small
// inputs only (a reply draft, a policy file): O(n*m) time and memory, with a
// guard that falls back to "all removed, all added" beyond ~4M cells.

/** Splits text into words and the whitespace between them, keeping both. */
export function tokenize(text) {
  return String(text ?? '').match(/\s+|[^\s]+/g) || [];
}

/** diffTokens(a, b) -> [{op: 'eq'|'del'|'add', text}], merged runs. */
export function diffTokens(a, b) {
  const n = a.length, m = b.length;
  if (n * m > 4_000_000) return merge([...a.map((t) => ['del', t]), ...b.map((t) => ['add', t])]);
  // lcs[i][j] = LCS length of a[i..] and b[j..], in one flat array.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  const out = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push(['eq', a[i]]); i++; j++; }
    else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) out.push(['del', a[i++]]);
    else out.push(['add', b[j++]]);
  }
  while (i < n) out.push(['del', a[i++]]);
  while (j < m) out.push(['add', b[j++]]);
  return merge(out);
}

function merge(ops) {
  const out = [];
  for (const [op, text] of ops) {
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += op === 'line' ? '' : text;
    else out.push({ op, text });
  }
  return out;
}

/** Word diff of two texts. Whitespace-only changes between equal words stay "eq". */
export function diffWords(before, after) {
  return diffTokens(tokenize(before), tokenize(after));
}

/** Line diff: [{op, text, aLine?, bLine?}] one entry per line. */
export function diffLines(before, after) {
  const a = String(before ?? '').split('\n'), b = String(after ?? '').split('\n');
  const ops = [];
  let ai = 1, bi = 1;
  for (const part of diffTokensRaw(a, b)) {
    if (part[0] === 'eq') ops.push({ op: 'eq', text: part[1], aLine: ai++, bLine: bi++ });
    else if (part[0] === 'del') ops.push({ op: 'del', text: part[1], aLine: ai++ });
    else ops.push({ op: 'add', text: part[1], bLine: bi++ });
  }
  return ops;
}

function diffTokensRaw(a, b) {
  // Same as diffTokens without merging, items kept one per line.
  const res = [];
  for (const part of diffTokens(a.map((x) => x + '\n'), b.map((x) => x + '\n'))) {
    for (const line of part.text.split('\n').slice(0, -1)) res.push([part.op, line]);
  }
  return res;
}

/** Compares two flat objects (action params): [{key, before, after, op}]. */
export function diffParams(before = {}, after = {}) {
  const keys = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])];
  return keys.map((key) => {
    const b = before?.[key], a = after?.[key];
    const op = !(key in (before || {})) ? 'add' : !(key in (after || {})) ? 'del' : JSON.stringify(a) === JSON.stringify(b) ? 'eq' : 'change';
    return { key, before: b, after: a, op };
  });
}
