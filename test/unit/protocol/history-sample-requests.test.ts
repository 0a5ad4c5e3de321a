// The history/sample* requests' schemas (history-requests.ts): what the helper accepts before any handler runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkParams } from '../../../src/protocol/message-type';
import { HISTORY_REQUESTS, HistoryLimits } from '../../../src/protocol/history-requests';

const key = { netid: 'tcp', family: 'inet', localAddress: '127.0.0.1', localPort: 1, peerAddress: '127.0.0.1', peerPort: 2, inode: 0, cookie: 'ab' };
const errors = (r: ReturnType<typeof checkParams>): string => (r.ok ? '' : r.errors.join('; '));

test('history/sample takes socket keys (a whole record passes) and on', () => {
  const t = HISTORY_REQUESTS['history/sample'];
  assert.equal(checkParams(t, { sockets: [key, { ...key, cookie: 'cd', state: 'ESTAB', tcpInfo: {} }], on: true }).ok, true);
  assert.match(errors(checkParams(t, { sockets: [{ ...key, cookie: 'XYZ' }], on: true })), /cookie/);
  assert.match(errors(checkParams(t, { sockets: [key] })), /on/);
  assert.match(errors(checkParams(t, { sockets: Array(HistoryLimits.maxSampled + 1).fill(key), on: false })), /more than 256 items/);
});

test('history/sampleProcesses takes pids; history/samples a socket id and an ordered range', () => {
  assert.equal(checkParams(HISTORY_REQUESTS['history/sampleProcesses'], { pids: [] }).ok, true);
  assert.match(errors(checkParams(HISTORY_REQUESTS['history/sampleProcesses'], { pids: [0] })), /pids/);
  const s = HISTORY_REQUESTS['history/samples'];
  assert.equal(checkParams(s, { recordingId: 'rec-1', socketId: 5, since: 1, until: 2, limit: 10 }).ok, true);
  assert.match(errors(checkParams(s, { recordingId: 'rec-1', socketId: -1 })), /socketId/);
  assert.match(errors(checkParams(s, { recordingId: 'rec-1', socketId: 1, since: 3, until: 2 })), /since is after until/);
  assert.match(errors(checkParams(s, { recordingId: 'rec-1', socketId: 1, limit: HistoryLimits.maxHistorySamples + 1 })), /limit/);
});
