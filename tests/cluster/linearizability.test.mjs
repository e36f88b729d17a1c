// The checker must refuse what is not linearizable before its "ok" on the cluster's histories
// means anything: hand-made histories, each with the answer it must give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLinearizable } from './linearizability.mjs';

const start = { exists: true, value: 'v0' };
// [invokedAt, completedAt, kind, value or result, result]
const op = (invokedAt, completedAt, kind, a, b) =>
  kind === 'update' ? { invokedAt, completedAt, kind, value: a, result: b } : { invokedAt, completedAt, kind, result: a };

const cases = [
  { name: 'sequential write then read', ok: true, history: [op(0, 1, 'update', 'a', 'ok'), op(2, 3, 'read', 'a')] },
  { name: 'a read after a completed write sees the old value', ok: false, history: [op(0, 1, 'update', 'a', 'ok'), op(2, 3, 'read', 'v0')] },
  { name: 'a read returns a value nobody wrote', ok: false, history: [op(0, 1, 'read', 'ghost')] },
  { name: 'a read overlapping a write may see either value', ok: true, history: [op(0, 5, 'update', 'a', 'ok'), op(1, 2, 'read', 'v0'), op(3, 4, 'read', 'a')] },
  {
    name: 'two readers see two writes in opposite orders',
    ok: false,
    history: [
      op(0, 10, 'update', 'a', 'ok'),
      op(0, 10, 'update', 'b', 'ok'),
      op(11, 12, 'read', 'a'),
      op(13, 14, 'read', 'b'),
      op(11, 12, 'read', 'b'),
      op(13, 14, 'read', 'a'),
    ],
  },
  { name: 'a value comes back after it was overwritten', ok: false, history: [op(0, 1, 'update', 'a', 'ok'), op(2, 3, 'update', 'b', 'ok'), op(4, 5, 'read', 'b'), op(6, 7, 'read', 'a')] },
  { name: 'an unknown write may have happened', ok: true, history: [op(0, undefined, 'update', 'a', undefined), op(5, 6, 'read', 'a')] },
  { name: 'an unknown write may not have happened', ok: true, history: [op(0, undefined, 'update', 'a', undefined), op(5, 6, 'read', 'v0')] },
  { name: 'a deleted lead is read back', ok: false, history: [op(0, 1, 'delete', 'ok'), op(2, 3, 'read', 'v0')] },
  { name: 'an update after a delete finds nothing', ok: true, history: [op(0, 1, 'delete', 'ok'), op(2, 3, 'update', 'a', 'missing'), op(4, 5, 'read', 'missing')] },
  { name: 'an update after a completed delete succeeds', ok: false, history: [op(0, 1, 'delete', 'ok'), op(2, 3, 'update', 'a', 'ok')] },
];

for (const { name, ok, history } of cases) {
  test(`linearizability checker: ${name} → ${ok ? 'accepted' : 'refused'}`, () => {
    assert.equal(checkLinearizable(history, start).ok, ok);
  });
}
