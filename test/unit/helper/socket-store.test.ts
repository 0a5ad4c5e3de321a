// The helper's socket store: typed columns by cookie, refreshed from engine Sockets; what changed,
// what went, records and ssq views built on demand, rates from two tcp_info samples.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SocketStore } from '../../../src/helper/socket-store';
import { fakeSocket, type FakeSpec } from './fake-sockets';

const fill = (store: SocketStore, specs: FakeSpec[], at?: number): ReturnType<SocketStore['refresh']> =>
  store.refresh((on) => { for (const f of specs) on(fakeSocket(f)); }, at);

test('refresh adds, changes (shown columns only) and removes by cookie; slots are reused', () => {
  const store = new SocketStore({ capacity: 16 });
  let r = fill(store, [{ cookie: 1 }, { cookie: 2, state: 'LISTEN', peer: [0, 0, 0, 0], peerPort: 0 }, { cookie: 3 }]);
  assert.deepEqual([r.added, r.changed, r.removed, r.size], [3, 0, 0, 3]);
  const v = store.version[store.slotOf('1')];
  r = fill(store, [{ cookie: 1, recvQ: 7 }, { cookie: 2, state: 'LISTEN', peer: [0, 0, 0, 0], peerPort: 0 }]);
  assert.deepEqual([r.added, r.changed, r.removed, r.size], [0, 1, 1, 2]);
  assert.equal(store.version[store.slotOf('1')], v + 1);
  assert.equal(store.slotOf('3'), -1);
  r = fill(store, [{ cookie: 1, recvQ: 7 }, { cookie: 2, state: 'LISTEN', peer: [0, 0, 0, 0], peerPort: 0 }, { cookie: 0x44 }]);
  assert.deepEqual([r.added, r.changed, r.removed], [1, 0, 0]);
  assert.ok(store.end <= 3, 'the freed slot is reused');
  assert.equal(store.record(store.slotOf('1')).recvQ, 7);
});

test('records are built from the columns: inet addresses as text, unix name and inodes, processes', () => {
  const store = new SocketStore();
  fill(store, [
    { cookie: 0xabc, local: [10, 0, 0, 2], localPort: 443, peer: [192, 168, 1, 9], peerPort: 50000, inode: 77 },
    { cookie: 0xabd, netid: 'u_str', name: '/run/x.sock', inode: 500, peerPort: 501 },
  ]);
  const inet = store.record(store.slotOf('abc'), new Map([[77, [{ pid: 9, name: 'nginx', fd: 4 }]]]));
  assert.deepEqual(inet, {
    netid: 'tcp', state: 'ESTAB', family: 'inet', recvQ: 0, sendQ: 0, localAddress: '10.0.0.2', localPort: 443,
    peerAddress: '192.168.1.9', peerPort: 50000, iface: null, inode: 77, uid: 0, cookie: 'abc', processes: [{ pid: 9, name: 'nginx', fd: 4 }],
  });
  const unix = store.record(store.slotOf('abd'));
  assert.equal(unix.localAddress, '/run/x.sock');
  assert.equal(unix.localPort, 500);
  assert.equal(unix.peerPort, 501);
  assert.equal(unix.family, 'unix');
  assert.equal(store.key(store.slotOf('abd')), 'abd');
});

test('address order compares addresses as numbers, then ports', () => {
  const store = new SocketStore();
  fill(store, [
    { cookie: 1, local: [10, 0, 0, 10], localPort: 1 },
    { cookie: 2, local: [10, 0, 0, 2], localPort: 9 },
    { cookie: 3, local: [10, 0, 0, 2], localPort: 3 },
  ]);
  const slots = ['1', '2', '3'].map((k) => store.slotOf(k));
  slots.sort((a, b) => store.compareAddress(a, b));
  assert.deepEqual(slots.map((s) => store.key(s)), ['3', '2', '1']);
});

test('rates: "—" (null) until two samples, then per second between them', () => {
  const store = new SocketStore({ tcpInfo: true });
  fill(store, [{ cookie: 1, info: { acked: 1000, received: 0, retrans: 0, rtt: 250 } }, { cookie: 2 }], 1000);
  assert.deepEqual(store.rates(store.slotOf('1')), { sendBps: null, recvBps: null, retransPerSec: null, rttUs: 250 });
  fill(store, [{ cookie: 1, info: { acked: 5000, received: 2000, retrans: 4, rtt: 300 } }, { cookie: 2 }], 3000);
  assert.deepEqual(store.rates(store.slotOf('1')), { sendBps: 2000, recvBps: 1000, retransPerSec: 2, rttUs: 300 });
  assert.equal(store.rates(store.slotOf('2')).sendBps, null, 'no tcp_info: no figure');
  assert.ok(store.measure(store.slotOf('1'), 'rate') > store.measure(store.slotOf('2'), 'rate'));
});

test('subscribers hear about every refresh', () => {
  const store = new SocketStore();
  const heard: number[] = [];
  const off = store.onRefresh((_s, r) => heard.push(r.size));
  fill(store, [{ cookie: 1 }, { cookie: 2 }]);
  fill(store, [{ cookie: 1 }]);
  off();
  fill(store, []);
  assert.deepEqual(heard, [2, 1]);
});

test('100,000 sockets take typed columns, not an object each', () => {
  const store = new SocketStore();
  const specs = Array.from({ length: 100_000 }, (_, i) => ({ cookie: i + 1, localPort: i % 60000 }));
  fill(store, specs);
  assert.equal(store.size, 100_000);
  assert.ok(store.bytes < 20 * 1024 * 1024, `${store.bytes} bytes`);
  const r = fill(store, specs);
  assert.deepEqual([r.added, r.changed, r.removed], [0, 0, 0]);
});

test('a dump in another order, with sockets gone, new and reused slots, finds each socket by its cookie', () => {
  const store = new SocketStore({ capacity: 16 });
  fill(store, Array.from({ length: 40 }, (_, i) => ({ cookie: i + 1, recvQ: i })));
  const before = new Map(Array.from({ length: 40 }, (_, i) => [String(i + 1), store.slotOf((i + 1).toString(16))]));
  // Reversed, without 5 and 6, with 0x99 new (it takes a freed slot) and 1 changed.
  const next: FakeSpec[] = [];
  for (let i = 40; i >= 1; i--) if (i !== 5 && i !== 6) next.push({ cookie: i, recvQ: i === 1 ? 100 : i - 1 });
  next.splice(3, 0, { cookie: 0x99, recvQ: 9 });
  const r = fill(store, next);
  assert.deepEqual([r.added, r.changed, r.removed, r.size], [1, 1, 2, 39]);
  for (let i = 1; i <= 40; i++) {
    if (i === 5 || i === 6) continue;
    const slot = store.slotOf(i.toString(16));
    assert.equal(slot, before.get(String(i)));
    assert.equal(store.record(slot).recvQ, i === 1 ? 100 : i - 1);
  }
  assert.equal(store.record(store.slotOf('99')).recvQ, 9);
  // The same order again: nothing changed.
  assert.deepEqual([fill(store, next).changed, fill(store, next).added], [0, 0]);
});
