// Process trees: descendants by ppid, roots first, cycles and missing roots handled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { descendants, readParents, statFields } from '../../../src/host/process-tree';

test('descendants are the roots that exist and everything below them', () => {
  const parents = new Map([[1, 0], [10, 1], [11, 10], [12, 10], [13, 11], [20, 1], [30, 30]]);
  assert.deepEqual(descendants(parents, [10]), [10, 11, 12, 13]);
  assert.deepEqual(descendants(parents, [13, 10]), [13, 10, 11, 12]);
  assert.deepEqual(descendants(parents, [99]), []);
  assert.deepEqual(descendants(parents, [30]), [30]);
});

test('stat fields survive a name with spaces and parentheses', () => {
  const f = statFields('42 (a) b (c)) S 7 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 12345 0 0');
  assert.equal(f?.[0], 'S');
  assert.equal(f?.[1], '7');
  assert.equal(f?.[19], '12345');
});

test('this process is a descendant of its parent in /proc', () => {
  const parents = readParents();
  assert.equal(parents.get(process.pid), process.ppid);
  assert.ok(descendants(parents, [process.ppid]).includes(process.pid));
});
