// The history webviews' messages: the host routes only valid ones (a fuzzer throws random and mutated
// messages at the validators: they come from a page, untrusted), and the pages accept only valid host messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LOG_WEBVIEW_TO_HOST, TIMELINE_WEBVIEW_TO_HOST, isLogHostToWebview, isTimelineHostToWebview, type LogTableRow,
} from '../../../src/protocol/history-webview';
import { dispatchLogMessage, dispatchTimelineMessage, type LogHandlers, type TimelineHandlers } from '../../../src/client/history/log-queries';
import { parseMessage } from '../../../src/protocol/message-type';
import { stateName as stateNameOf } from '../../../src/protocol/history-requests';
import { prng } from '../../lib/prng';

const row: LogTableRow = {
  id: 7, netid: 'tcp', localAddress: '127.0.0.1', localPort: 5000, peerAddress: '127.0.0.1', peerPort: 40000, pid: 42, command: 'curl',
  openedAt: 1_764_000_000_000, closedAt: 1_764_000_001_000, durationMs: 1000, bytesSent: 10, bytesReceived: 20, retrans: 0, state: 'TIME-WAIT', closedBy: 'watch',
};
const sort = { column: 'closed', descending: false };
const range = { from: null, to: 1_764_000_001_000 };

const VALID_LOG: unknown[] = [
  { type: 'ready' },
  { type: 'query', queryId: 1, filter: 'dport = :443', range, sort },
  { type: 'fetchPage', queryId: 1, offset: 999_800, limit: 200 },
  { type: 'exportCsv', queryId: 1 },
  { type: 'rowAction', action: 'showInSockets', row },
  { type: 'rowAction', action: 'chart', row: { ...row, closedAt: null, durationMs: null, cookie: 'ab12' } },
  { type: 'log', message: 'hello' },
];
const VALID_TIMELINE: unknown[] = [
  { type: 'ready' },
  { type: 'load', requestId: 3, scope: { kind: 'all' }, from: 1, to: 2, buckets: 300 },
  { type: 'load', requestId: 3, scope: { kind: 'process', pid: 42 }, from: 1, to: 2, buckets: 1 },
  { type: 'load', requestId: 3, scope: { kind: 'query', uri: 'file:///w/web.ssq', name: 'https-peers' }, from: 1, to: 2, buckets: 2000 },
  { type: 'showMoment', at: 1_764_000_000_000 },
  { type: 'compareWithNow', at: 5 },
  { type: 'showLog', range: { from: 1, to: 2 }, scope: { kind: 'all' } },
];

function logRecorder(): { handlers: LogHandlers; calls: string[] } {
  const calls: string[] = [];
  const h = (name: string) => () => { calls.push(name); };
  return { calls, handlers: { ready: h('ready'), query: h('query'), fetchPage: h('fetchPage'), exportCsv: h('exportCsv'), rowAction: h('rowAction'), log: h('log') } };
}
function timelineRecorder(): { handlers: TimelineHandlers; calls: string[] } {
  const calls: string[] = [];
  const h = (name: string) => () => { calls.push(name); };
  return { calls, handlers: { ready: h('ready'), load: h('load'), showMoment: h('showMoment'), compareWithNow: h('compareWithNow'), showLog: h('showLog'), log: h('log') } };
}

test('the host routes every valid message to its handler', () => {
  const log = logRecorder();
  for (const m of VALID_LOG) assert.equal(dispatchLogMessage(m, log.handlers), true, JSON.stringify(m));
  assert.deepEqual(log.calls, ['ready', 'query', 'fetchPage', 'exportCsv', 'rowAction', 'rowAction', 'log']);
  const tl = timelineRecorder();
  for (const m of VALID_TIMELINE) assert.equal(dispatchTimelineMessage(m, tl.handlers), true, JSON.stringify(m));
  assert.equal(tl.calls.length, VALID_TIMELINE.length);
});

test('the host ignores malformed messages', () => {
  const bad: unknown[] = [
    null, 1, 'ready', [], {}, { type: 'nope' }, { type: '__proto__' }, { type: 'constructor' },
    { type: 'query', queryId: -1, filter: '', range, sort },
    { type: 'query', queryId: 1, filter: 'x'.repeat(5000), range, sort },
    { type: 'query', queryId: 1, filter: '', range, sort: { column: 'rm -rf', descending: false } },
    { type: 'query', queryId: 1, filter: '', range: { from: NaN, to: null }, sort },
    { type: 'query', queryId: 1, filter: '', range, sort, extra: true },
    { type: 'fetchPage', queryId: 1, offset: 0, limit: 0 },
    { type: 'fetchPage', queryId: 1, offset: 0, limit: 100_000 },
    { type: 'fetchPage', queryId: 1, offset: 1.5, limit: 10 },
    { type: 'exportCsv', queryId: 1, path: '/etc/shadow' },
    { type: 'rowAction', action: 'kill', row },
    { type: 'rowAction', action: 'chart', row: { ...row, cookie: 'not hex!' } },
    { type: 'rowAction', action: 'chart', row: { ...row, state: 'EVIL' } },
    { type: 'rowAction', action: 'chart', row: { ...row, localAddress: 'a'.repeat(10_000) } },
    { type: 'rowAction', action: 'chart', row: { ...row, __proto__: { x: 1 }, extra: 1 } },
    JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'),
  ];
  const log = logRecorder();
  for (const m of bad) assert.equal(dispatchLogMessage(m, log.handlers), false, JSON.stringify(m));
  assert.deepEqual(log.calls, []);
  const badTimeline: unknown[] = [
    { type: 'load', requestId: 1, scope: { kind: 'shell', cmd: 'x' }, from: 1, to: 2, buckets: 10 },
    { type: 'load', requestId: 1, scope: { kind: 'process', pid: -4 }, from: 1, to: 2, buckets: 10 },
    { type: 'load', requestId: 1, scope: { kind: 'query', uri: '', name: 'x' }, from: 1, to: 2, buckets: 10 },
    { type: 'load', requestId: 1, scope: { kind: 'all', pid: 3 }, from: 1, to: 2, buckets: 10 },
    { type: 'load', requestId: 1, scope: null, from: 1, to: 2, buckets: 10 },
    { type: 'load', requestId: 1, scope: { kind: 'all' }, from: 1, to: 2, buckets: 1e6 },
    { type: 'showMoment', at: -1 }, { type: 'showMoment', at: Infinity }, { type: 'showMoment' },
    { type: 'showLog', range: { from: 1 }, scope: { kind: 'all' } },
  ];
  const tl = timelineRecorder();
  for (const m of badTimeline) assert.equal(dispatchTimelineMessage(m, tl.handlers), false, JSON.stringify(m));
  assert.deepEqual(tl.calls, []);
});

/** Random JSON-ish values, and valid messages with one field replaced by one. */
function randomValue(rnd: () => number, depth = 0): unknown {
  const pick = Math.floor(rnd() * 12);
  switch (pick) {
    case 0: return null;
    case 1: return rnd() < 0.5;
    case 2: return Math.floor(rnd() * 2 ** 40) - 2 ** 39;
    case 3: return [NaN, Infinity, -0, 1e300, 0.5, -1][Math.floor(rnd() * 6)];
    case 4: return 'x'.repeat(Math.floor(rnd() * 6000));
    case 5: return ['ready', 'query', '__proto__', 'toString', 'closed', 'all', 'process', 'query', 'TIME-WAIT', ''][Math.floor(rnd() * 10)];
    case 6: case 7: return depth > 3 ? {} : Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, () => [['type', 'kind', 'pid', 'row', 'from', 'x'][Math.floor(rnd() * 6)], randomValue(rnd, depth + 1)]));
    case 8: return depth > 3 ? [] : Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1));
    case 9: return undefined;
    default: return Math.floor(rnd() * 100);
  }
}

function mutate(rnd: () => number, v: unknown, depth = 0): unknown {
  if (typeof v !== 'object' || v === null || depth > 4) return rnd() < 0.5 ? randomValue(rnd) : v;
  const copy: Record<string, unknown> = Array.isArray(v) ? [...v] as unknown as Record<string, unknown> : { ...v as Record<string, unknown> };
  const keys = Object.keys(copy);
  const r = rnd();
  if (r < 0.15) copy[['extra', 'kind', 'pid', '__proto__'][Math.floor(rnd() * 4)]] = randomValue(rnd);
  else if (r < 0.3 && keys.length) delete copy[keys[Math.floor(rnd() * keys.length)]];
  else if (keys.length) { const k = keys[Math.floor(rnd() * keys.length)]; copy[k] = mutate(rnd, copy[k], depth + 1); }
  return copy;
}

test('fuzz: random and mutated messages never throw and are accepted only when they fit the schema', () => {
  const rnd = prng(20261202);
  const started = Date.now();
  let accepted = 0;
  for (let i = 0; i < 20_000; i++) {
    const seeds = i % 2 ? VALID_LOG : VALID_TIMELINE;
    const m = rnd() < 0.2 ? randomValue(rnd) : mutate(rnd, seeds[Math.floor(rnd() * seeds.length)]);
    const table = i % 2 ? LOG_WEBVIEW_TO_HOST : TIMELINE_WEBVIEW_TO_HOST;
    const parsed = parseMessage(table, m);
    if (!parsed) continue;
    accepted++;
    // What passes is what the handlers may rely on: JSON-serialisable, bounded texts, finite numbers.
    const text = JSON.stringify(parsed);
    assert.ok(text.length < 20_000, 'bounded size');
    assert.ok(!/null,"__proto__"/.test(text));
    const walk = (x: unknown): void => {
      if (typeof x === 'number') assert.ok(Number.isFinite(x), 'finite numbers only');
      else if (x && typeof x === 'object') for (const y of Object.values(x)) walk(y);
    };
    walk(parsed);
  }
  assert.ok(accepted > 100, `some mutated messages stay valid (${accepted})`);
  assert.ok(Date.now() - started < 20_000);
});

test('the pages accept only valid host messages', () => {
  assert.equal(isLogHostToWebview({ type: 'page', queryId: 1, offset: 0, rows: [row] }), true);
  assert.equal(isLogHostToWebview({ type: 'page', queryId: 1, offset: 0, rows: new Array(1001).fill(row) }), false);
  assert.equal(isLogHostToWebview({ type: 'queryError', queryId: 1, error: { message: 'expected a port', column: 7, start: 6, end: 7 }, message: 'x' }), true);
  assert.equal(isLogHostToWebview({ type: 'queryResult', queryId: 1, total: 1_000_000 }), true);
  const series = { at: [1, 2], states: [{ state: 'ESTAB', counts: [1, 2] }] };
  assert.equal(isTimelineHostToWebview({ type: 'series', requestId: 1, from: 1, to: 2, series }), true);
  assert.equal(isTimelineHostToWebview({ type: 'series', requestId: 1, from: 1, to: 2, series: { ...series, states: [{ state: 'ESTAB', counts: [1] }] } }), false);
  assert.equal(stateNameOf(1), 'ESTAB');
  assert.equal(stateNameOf(10), 'LISTEN');
  assert.equal(stateNameOf(99), 'UNKNOWN');
});
