// Small inline-SVG charts for the console: horizontal bars (with optional
// 95% interval whiskers), stacked horizontal bars and columns over time.
// Each chart is a <figure> with a caption, the SVG (role="img", named by the
// caption and summarised in words) and the same figures as a table in a
// <details> under it, so screen-reader and keyboard users get every number.
// No library: the charts are simple and the console has no bundler.
import { h, uid } from './dom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 560;
const LABEL_W = 150;   // room for row labels on the left of bar charts
const VALUE_W = 74;    // room for the value text on the right
const ROW_H = 22;

export const COLORS = { bar: '#1f5fbf', soft: '#c9dbf5', ok: '#1d7a3e', warn: '#b07800', bad: '#b3261e', mon: '#5b3fa8', grid: '#dde1e6', ink: '#1b1f24', muted: '#5d6670' };

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const clip = (text, n) => (text.length > n ? text.slice(0, n - 1) + '…' : text);

/**
 * figure({title, summary, svg, table: {head: [...], rows: [[...]]}, id})
 * The chart's accessible frame: caption, image, table alternative.
 */
export function figure({ title, summary, svg, table, id, note }) {
  const capId = uid('cap');
  const descId = uid('desc');
  if (svg) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-labelledby', capId);
    svg.setAttribute('aria-describedby', descId);
  }
  const tableEl = table ? h('table.data.chart-table', { 'aria-label': `${title}: table` },
    h('thead', h('tr', table.head.map((c, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, c)))),
    h('tbody', table.rows.map((r) => h('tr', r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, String(c)) : h('td.num', String(c)))))))) : null;
  return h('figure.chart', { id, dataset: { chart: id || '' } },
    h('figcaption', { id: capId }, title),
    svg || null,
    h('p.sr-only', { id: descId }, summary || ''),
    note ? h('p.muted.small.chart-note', note) : null,
    tableEl ? h('details.chart-details', h('summary', 'Show as a table'), h('div.table-wrap', tableEl)) : null);
}

/**
 * Horizontal bars. rows: [{label, value, low?, high?, text?, color?}];
 * value (and low/high) in [0, max]. fmt formats the value text.
 */
export function hbars(rows, { max, fmt = String, color = COLORS.bar } = {}) {
  const top = Math.max(max ?? 0, ...rows.map((r) => Math.max(r.value || 0, r.high || 0)), 1e-9);
  const plotW = WIDTH - LABEL_W - VALUE_W;
  const height = rows.length * ROW_H + 18;
  const x = (v) => LABEL_W + (Math.max(0, v) / top) * plotW;
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', class: 'chart-svg', preserveAspectRatio: 'xMinYMin meet' });
  // Grid: 0, half, max.
  for (const f of [0, 0.5, 1]) {
    const gx = LABEL_W + f * plotW;
    svg.append(s('line', { x1: gx, x2: gx, y1: 0, y2: height - 16, stroke: COLORS.grid }),
      s('text', { x: gx, y: height - 4, 'text-anchor': 'middle', 'font-size': 10, fill: COLORS.muted }, fmt(top * f)));
  }
  rows.forEach((r, i) => {
    const y = i * ROW_H + 3;
    const label = String(r.label);
    svg.append(s('text', { x: LABEL_W - 6, y: y + 12, 'text-anchor': 'end', 'font-size': 11, fill: COLORS.ink }, s('title', {}, label), clip(label, 24)));
    svg.append(s('rect', { x: LABEL_W, y, width: Math.max(0, x(r.value || 0) - LABEL_W), height: ROW_H - 7, rx: 2, fill: r.color || color, 'data-value': r.value }));
    if (r.low !== undefined && r.high !== undefined && r.high > r.low) {
      const cy = y + (ROW_H - 7) / 2;
      svg.append(s('g', { stroke: COLORS.ink, 'stroke-width': 1.2, class: 'whisker' },
        s('line', { x1: x(r.low), x2: x(r.high), y1: cy, y2: cy }),
        s('line', { x1: x(r.low), x2: x(r.low), y1: cy - 4, y2: cy + 4 }),
        s('line', { x1: x(r.high), x2: x(r.high), y1: cy - 4, y2: cy + 4 })));
    }
    svg.append(s('text', { x: WIDTH - VALUE_W + 6, y: y + 12, 'font-size': 11, fill: COLORS.ink, class: 'bar-value' }, r.text ?? fmt(r.value)));
  });
  return svg;
}

/**
 * Stacked horizontal bars. rows: [{label, parts: [numbers]}]; series:
 * [{name, color}] in the order of parts. A legend sits on top.
 */
export function stackedBars(rows, series, { fmt = String } = {}) {
  const total = (r) => r.parts.reduce((a, b) => a + b, 0);
  const top = Math.max(1, ...rows.map(total));
  const plotW = WIDTH - LABEL_W - VALUE_W;
  const legendH = 18;
  const height = legendH + rows.length * ROW_H + 4;
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', class: 'chart-svg' });
  let lx = LABEL_W;
  for (const se of series) {
    svg.append(s('rect', { x: lx, y: 3, width: 10, height: 10, fill: se.color }),
      s('text', { x: lx + 14, y: 12, 'font-size': 11, fill: COLORS.ink }, se.name));
    lx += 22 + se.name.length * 6.5;
  }
  rows.forEach((r, i) => {
    const y = legendH + i * ROW_H + 3;
    svg.append(s('text', { x: LABEL_W - 6, y: y + 12, 'text-anchor': 'end', 'font-size': 11, fill: COLORS.ink }, s('title', {}, r.label), clip(String(r.label), 24)));
    let x = LABEL_W;
    r.parts.forEach((v, k) => {
      const w = (v / top) * plotW;
      if (w > 0) svg.append(s('rect', { x, y, width: w, height: ROW_H - 7, fill: series[k].color }, s('title', {}, `${series[k].name}: ${fmt(v)}`)));
      x += w;
    });
    svg.append(s('text', { x: WIDTH - VALUE_W + 6, y: y + 12, 'font-size': 11, fill: COLORS.ink, class: 'bar-value' }, fmt(total(r))));
  });
  return svg;
}

/**
 * Columns over time. points: [{label, value, title?}]; labels are thinned
 * to fit. max: the axis top (default: the largest value).
 */
export function columns(points, { max, fmt = String, color = COLORS.bar } = {}) {
  const height = 170;
  const left = 44, bottom = 34, topPad = 10;
  const plotW = WIDTH - left - 8;
  const plotH = height - bottom - topPad;
  const top = Math.max(max ?? 0, ...points.map((p) => p.value || 0), 1e-9);
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', class: 'chart-svg' });
  for (const f of [0, 0.5, 1]) {
    const y = topPad + plotH * (1 - f);
    svg.append(s('line', { x1: left, x2: WIDTH - 8, y1: y, y2: y, stroke: COLORS.grid }),
      s('text', { x: left - 4, y: y + 4, 'text-anchor': 'end', 'font-size': 10, fill: COLORS.muted }, fmt(top * f)));
  }
  const n = Math.max(points.length, 1);
  const slot = plotW / n;
  const every = Math.ceil(n / 8);
  points.forEach((p, i) => {
    const bh = (Math.max(0, p.value || 0) / top) * plotH;
    const x = left + i * slot + slot * 0.15;
    svg.append(s('rect', { x, y: topPad + plotH - bh, width: Math.max(1, slot * 0.7), height: bh, fill: color, 'data-value': p.value },
      s('title', {}, p.title || `${p.label}: ${fmt(p.value)}`)));
    if (i % every === 0) {
      svg.append(s('text', { x: x + slot * 0.35, y: height - bottom + 14, 'text-anchor': 'middle', 'font-size': 10, fill: COLORS.muted }, p.label));
    }
  });
  return svg;
}

/**
 * Two bars per row, side by side (e.g. active vs candidate policy).
 * rows: [{label, a, b}]; series: [{name, color}, {name, color}].
 */
export function pairedBars(rows, series, { max, fmt = String } = {}) {
  const top = Math.max(max ?? 0, ...rows.map((r) => Math.max(r.a || 0, r.b || 0)), 1e-9);
  const plotW = WIDTH - LABEL_W - VALUE_W;
  const legendH = 18, rowH = 30;
  const height = legendH + rows.length * rowH + 4;
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', class: 'chart-svg' });
  let lx = LABEL_W;
  for (const se of series) {
    svg.append(s('rect', { x: lx, y: 3, width: 10, height: 10, fill: se.color }),
      s('text', { x: lx + 14, y: 12, 'font-size': 11, fill: COLORS.ink }, se.name));
    lx += 22 + se.name.length * 6.5;
  }
  rows.forEach((r, i) => {
    const y = legendH + i * rowH + 2;
    svg.append(s('text', { x: LABEL_W - 6, y: y + 16, 'text-anchor': 'end', 'font-size': 11, fill: COLORS.ink }, s('title', {}, r.label), clip(String(r.label), 24)));
    [r.a, r.b].forEach((v, k) => {
      const by = y + k * 12;
      svg.append(s('rect', { x: LABEL_W, y: by, width: (Math.max(0, v || 0) / top) * plotW, height: 10, fill: series[k].color, 'data-value': v }, s('title', {}, `${series[k].name}: ${fmt(v || 0)}`)),
        s('text', { x: WIDTH - VALUE_W + 6, y: by + 9, 'font-size': 10, fill: COLORS.ink, class: 'bar-value' }, fmt(v || 0)));
    });
  });
  return svg;
}
