// The timeline's stacking (running sums, bottom-to-top order) and the brush (click = moment, drag = range).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brushChoice, bucketsFor, stack } from '../../../src/webview/timeline/stack';
import { bytesText, durationText, endpointText, processText } from '../../../src/webview/connection-log/format';

test('states stack bottom to top, each layer the running sum, own counts kept for the legend', () => {
  const s = stack({ at: [1, 2, 3], states: [{ state: 'TIME-WAIT', counts: [5, 0, 1] }, { state: 'ESTAB', counts: [1, 2, 3] }, { state: 'LISTEN', counts: [2, 2, 2] }] });
  assert.deepEqual(s.states, ['ESTAB', 'LISTEN', 'TIME-WAIT']);
  assert.deepEqual(s.own, [[1, 2, 3], [2, 2, 2], [5, 0, 1]]);
  assert.deepEqual(s.cumulative, [[1, 2, 3], [3, 4, 5], [8, 4, 6]]);
  assert.deepEqual(stack({ at: [], states: [] }), { states: [], own: [], cumulative: [] });
});

test('the brush: a click is a moment, a drag a range, both inside the data', () => {
  const toTime = (px: number): number => 1000 + px * 10;
  const span = { from: 1000, to: 5000 };
  assert.deepEqual(brushChoice(100, 0, toTime, span), { kind: 'moment', at: 2000 });
  assert.deepEqual(brushChoice(100, 2, toTime, span), { kind: 'moment', at: 2000 });
  assert.deepEqual(brushChoice(100, 50, toTime, span), { kind: 'range', from: 2000, to: 2500 });
  assert.deepEqual(brushChoice(-50, 1000, toTime, span), { kind: 'range', from: 1000, to: 5000 });
  assert.deepEqual(brushChoice(900, 100, toTime, span), { kind: 'moment', at: 5000 });
  assert.equal(bucketsFor(1200, 2000), 400);
  assert.equal(bucketsFor(0, 2000), 10);
  assert.equal(bucketsFor(1e6, 2000), 2000);
});

test('cell texts: durations, bytes, endpoints, processes', () => {
  assert.equal(durationText(850), '850 ms');
  assert.equal(durationText(1250), '1.25 s');
  assert.equal(durationText(65_000), '1 min 05 s');
  assert.equal(durationText(7_440_000), '2 h 04 min');
  assert.equal(durationText(null), '');
  assert.equal(bytesText(512), '512 B');
  assert.equal(bytesText(1536), '1.50 KiB');
  assert.equal(bytesText(20 * 1024 * 1024), '20.0 MiB');
  assert.equal(endpointText('::1', 443), '[::1]:443');
  assert.equal(endpointText('10.0.0.1', 0), '10.0.0.1:*');
  assert.equal(endpointText(null, 0), '*:*');
  assert.equal(processText({ pid: 42, command: 'curl' }), 'curl (42)');
  assert.equal(processText({ pid: null, command: null }), '');
});
