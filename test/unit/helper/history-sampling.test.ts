// Which sockets the live recording samples (history-sampling.ts): nothing looked up when nothing is
// sampled, one lookup per charted socket per refresh, the followed processes' TCP connections from the
// view's store (not listeners, not other processes), gone sockets dropped, the cap respected.
// The kernel side is test/system/helper-history-samples.test.ts; here the lookup answers from a table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SampleSet } from '../../../src/helper/history-sampling';
import { SocketStore } from '../../../src/helper/socket-store';
import type { SocketKey } from '../../../src/protocol/helper-protocol';
import { HistoryLimits } from '../../../src/protocol/history-requests';
import type { SocketRecord } from '../../../src/protocol/socket-record';
import { fakeProcesses, fakeSocket, type FakeSpec } from './fake-sockets';

function storeOf(specs: FakeSpec[]): SocketStore {
  const store = new SocketStore({ capacity: 16 });
  store.refresh((on) => { for (const f of specs) on(fakeSocket(f)); });
  return store;
}

const key = (cookie: string, localPort = 40000): SocketKey => ({
  netid: 'tcp', family: 'inet', localAddress: '127.0.0.1', localPort, peerAddress: '127.0.0.1', peerPort: 5432, inode: 1, cookie,
});

/** A lookup over the sockets alive (by cookie), counting its calls, and a target collecting samples. */
function harness(alive: Set<string>) {
  const asked: string[] = [];
  const samples: Array<[bigint, object]> = [];
  const set = new SampleSet((k) => {
    asked.push(k.cookie);
    return alive.has(k.cookie) ? { ...k, tcpInfo: { bytes_acked: 10 } } as unknown as SocketRecord : null;
  }, () => undefined);
  const target = { sampleInfo: (cookie: bigint, info: object) => { samples.push([cookie, info]); return true; } };
  return { set, asked, samples, target };
}

test('nothing sampled: no lookup at all', () => {
  const { set, asked, target } = harness(new Set(['1']));
  assert.equal(set.empty, true);
  assert.equal(set.take(storeOf([{ cookie: 1 }]), fakeProcesses(new Map()), undefined, target), 0);
  assert.deepEqual(asked, []);
});

test('a charted socket is looked up at each refresh until its chart closes or it is gone', () => {
  const alive = new Set(['a', 'b']);
  const { set, asked, samples, target } = harness(alive);
  const store = storeOf([{ cookie: 0xa }, { cookie: 0xb }]);
  // Leading zeros name the same cookie.
  set.set([key('00a'), key('b')], true);
  assert.equal(set.sockets.size, 2);
  assert.equal(set.take(store, undefined, undefined, target), 2);
  assert.deepEqual(samples.map(([c]) => c), [0xan, 0xbn]);
  assert.deepEqual(samples[0][1], { bytes_acked: 10 });
  set.set([key('a')], false);
  alive.delete('b');
  asked.length = 0;
  assert.equal(set.take(store, undefined, undefined, target), 0);
  assert.deepEqual(asked, ['b']);
  assert.equal(set.sockets.size, 0, 'a socket the kernel no longer has is dropped');
});

test('followed processes: their TCP connections in the store, not listeners, not others, a charted one once', () => {
  const alive = new Set(['1', '2', '3', '4', '5']);
  const { set, asked, target } = harness(alive);
  const store = storeOf([
    { cookie: 1, inode: 11 }, { cookie: 2, inode: 12 }, { cookie: 3, inode: 13, state: 'LISTEN' },
    { cookie: 4, inode: 14 }, { cookie: 5, inode: 15, netid: 'udp' },
  ]);
  const procs = fakeProcesses(new Map([
    [11, [{ pid: 7, name: 'app', fd: 3 }]], [12, [{ pid: 8, name: 'child', fd: 3 }, { pid: 7, name: 'app', fd: 9 }]],
    [13, [{ pid: 7, name: 'app', fd: 4 }]], [14, [{ pid: 9, name: 'other', fd: 3 }]], [15, [{ pid: 7, name: 'app', fd: 5 }]],
  ]));
  set.pids = new Set([7]);
  set.set([key('1')], true);
  assert.equal(set.take(store, procs, undefined, target), 2);
  assert.deepEqual(asked.sort(), ['1', '2']);
});

test('at most HistoryLimits.maxSampled sockets by key', () => {
  const { set } = harness(new Set());
  set.set(Array.from({ length: HistoryLimits.maxSampled + 5 }, (_, i) => key((i + 1).toString(16))), true);
  assert.equal(set.sockets.size, HistoryLimits.maxSampled);
});
