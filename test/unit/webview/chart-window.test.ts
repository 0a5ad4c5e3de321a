import { test } from 'node:test';
import assert from 'node:assert/strict';
import { windowStart } from '../../../src/webview/chart/chart-window';

test('time window: 1 min, 5 min, all', () => {
  const xs = Array.from({ length: 601 }, (_, i) => 1000 + i); // 10 minutes at 1 Hz
  assert.equal(windowStart(xs, 'all'), 0);
  assert.equal(windowStart(xs, '1m'), 540);
  assert.equal(windowStart(xs, '5m'), 300);
  assert.equal(windowStart([], '1m'), 0);
  assert.equal(windowStart([5], '1m'), 0);
  const fast = Array.from({ length: 100 }, (_, i) => i / 10); // 10 s at 10 Hz
  assert.equal(windowStart(fast, '1m'), 0);
});
