// Unit tests for the console's word and line diff (pure functions, no browser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffWords, diffLines, diffParams } from '../src/js/diff.js';

test('word diff marks only the changed words', () => {
  const parts = diffWords('I have refunded 120.00 EUR to your card.', 'I have refunded 95.00 EUR to your card.');
  assert.deepEqual(parts.filter((p) => p.op !== 'eq'), [{ op: 'del', text: '120.00' }, { op: 'add', text: '95.00' }]);
  assert.equal(parts.filter((p) => p.op !== 'del').map((p) => p.text).join(''), 'I have refunded 95.00 EUR to your card.');
  assert.equal(parts.filter((p) => p.op !== 'add').map((p) => p.text).join(''), 'I have refunded 120.00 EUR to your card.');
});

test('word diff of equal, empty and disjoint texts', () => {
  assert.deepEqual(diffWords('same text', 'same text'), [{ op: 'eq', text: 'same text' }]);
  assert.deepEqual(diffWords('', 'new'), [{ op: 'add', text: 'new' }]);
  assert.deepEqual(diffWords('old', ''), [{ op: 'del', text: 'old' }]);
});

test('line diff numbers both sides', () => {
  const ops = diffLines('a\nb\nc', 'a\nB\nc\nd');
  assert.deepEqual(ops.map((o) => [o.op, o.text, o.aLine ?? null, o.bLine ?? null]), [
    ['eq', 'a', 1, 1], ['del', 'b', 2, null], ['add', 'B', null, 2], ['eq', 'c', 3, 3], ['add', 'd', null, 4],
  ]);
});

test('params diff', () => {
  const rows = diffParams({ amount: 120, order_id: '1' }, { amount: 95, order_id: '1', note: 'x' });
  assert.deepEqual(rows.map((r) => [r.key, r.op]), [['amount', 'change'], ['order_id', 'eq'], ['note', 'add']]);
});
