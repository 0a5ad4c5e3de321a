import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHostToWebview, isWebviewToHost, METRICS } from '../../../src/protocol/webview-messages';
import { dispatchWebviewMessage, type WebviewHandlers } from '../../../src/client/chart/webview-dispatch';

function recorder(): { handlers: WebviewHandlers; calls: string[] } {
  const calls: string[] = [];
  const handlers: WebviewHandlers = {
    ready: () => calls.push('ready'),
    setPaused: (m) => calls.push(`setPaused:${m.paused}`),
    exportCsv: () => calls.push('exportCsv'),
    log: (m) => calls.push(`log:${m.message}`),
  };
  return { handlers, calls };
}

test('host handles valid webview messages', () => {
  const { handlers, calls } = recorder();
  for (const m of [{ type: 'ready' }, { type: 'setPaused', paused: true }, { type: 'exportCsv' }, { type: 'log', message: 'hi' }]) {
    assert.equal(dispatchWebviewMessage(m, handlers), true);
  }
  assert.deepEqual(calls, ['ready', 'setPaused:true', 'exportCsv', 'log:hi']);
});

test('host ignores malformed webview messages', () => {
  const { handlers, calls } = recorder();
  const invalid: unknown[] = [];
  const bad: unknown[] = [
    null, undefined, 42, 'ready', [], [{ type: 'ready' }], {}, { type: 'nope' }, { type: 42 },
    { type: 'setPaused' }, { type: 'setPaused', paused: 'yes' }, { type: 'ready', extra: 1 },
    { type: 'exportCsv', path: '/etc/passwd' }, { type: 'log', message: 'x'.repeat(5000) },
    { type: 'log' }, Object.create(null), { type: '__proto__' }, { type: 'toString' },
    JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'),
  ];
  for (const m of bad) assert.equal(dispatchWebviewMessage(m, handlers, (r) => invalid.push(r)), false, JSON.stringify(m));
  assert.deepEqual(calls, []);
  assert.equal(invalid.length, bad.length);
});

test('webview validates host messages', () => {
  const row = { t: 1, values: { abc1: METRICS.map(() => 1), ff: null } };
  assert.equal(isHostToWebview({ type: 'init', sockets: [{ cookie: 'abc1', label: 'tcp x' }], sampleIntervalMs: 1000, paused: false }), true);
  assert.equal(isHostToWebview({ type: 'rows', rows: [row] }), true);
  assert.equal(isHostToWebview({ type: 'closed', cookie: 'abc1', t: 5 }), true);
  assert.equal(isHostToWebview({ type: 'paused', paused: true }), true);
  assert.equal(isHostToWebview({ type: 'rows', rows: [{ t: 1, values: { abc1: [1, 2] } }] }), false);
  assert.equal(isHostToWebview({ type: 'rows', rows: [{ t: 1, values: { 'NOT-HEX': null } }] }), false);
  assert.equal(isHostToWebview({ type: 'rows', rows: [{ t: 1, values: { abc1: METRICS.map(() => NaN) } }] }), false);
  assert.equal(isHostToWebview({ type: 'init', sockets: [], sampleIntervalMs: 5, paused: false }), false);
  assert.equal(isHostToWebview({ type: 'closed', cookie: 'abc1' }), false);
  assert.equal(isWebviewToHost({ type: 'rows', rows: [] }), false);
});
