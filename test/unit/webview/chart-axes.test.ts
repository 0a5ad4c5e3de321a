// The charts' axis labels (src/webview/chart/axes.ts): one-line clock times on x, short values on y, and a
// y axis as wide as its longest label so the unit label ("Mbit/s") never overlaps the tick labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X_TICK_SPACE, clockLabel, xTickLabels, yAxisSize, yTickLabel } from '../../../src/webview/chart/axes';

test('x ticks are one-line clock times, no date, even across a minute or a day', () => {
  const t0 = new Date(2026, 11, 1, 23, 59, 50).getTime() / 1000;
  const labels = xTickLabels([t0, t0 + 10, t0 + 20, t0 + 30]);
  assert.deepEqual(labels, ['23:59:50', '00:00:00', '00:00:10', '00:00:20']);
  for (const l of labels) assert.match(l, /^\d\d:\d\d:\d\d$/);
  assert.equal(clockLabel(new Date(2026, 0, 2, 9, 5, 7).getTime() / 1000), '09:05:07');
  // 8 characters of about 7 px at 12 px: ticks at least X_TICK_SPACE apart leave room between labels.
  assert.ok(X_TICK_SPACE >= 8 * 7 + 16);
});

test('y ticks are short: no trailing zeros, k/M/G from 10,000 up', () => {
  const cases: Array<[number, string]> = [
    [0, '0'], [0.25, '0.25'], [0.1, '0.1'], [0.000123, '0.00012'], [7.5, '7.5'], [12.5, '12.5'], [10, '10'],
    [2500, '2500'], [12_000, '12k'], [1_500_000, '1.5M'], [2e9, '2G'], [-3, '-3'],
  ];
  for (const [v, want] of cases) assert.equal(yTickLabel(v), want, String(v));
});

test('the y axis is as wide as its longest label plus tick and gaps', () => {
  const measure = (t: string): number => t.length * 7;
  assert.equal(yAxisSize(['0', '2500'], measure, 4), 28 + 4 + 12);
  assert.ok(yAxisSize(['1.5M', '12.5', '0'], measure, 4) > yAxisSize(['0', '5'], measure, 4));
  assert.equal(yAxisSize([], measure, 4), 16);
});
