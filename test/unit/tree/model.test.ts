// The extension host's view model: it applies the helper view's notifications (groups, counts,
// pages of expanded groups) and holds only that. The memory test runs the helper's view over 10k
// and 100k sockets with one group expanded: the model retains the same rows either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Notify } from '../../../src/helper/rpc-server';
import type { ViewChangedNotification, ViewRow } from '../../../src/protocol/view-protocol';
import { SocketTreeModel, UNKNOWN_GROUP } from '../../../src/client/tree/model';
import { ViewSession } from '../../../src/helper/view-session';
import { fakeProcesses, fakeSource } from '../helper/fake-sockets';
import { sock } from './fixtures';

const row = (cookie: string, recvQ = 0): ViewRow => ({ id: cookie, record: sock({ cookie, recvQ }), rates: { sendBps: null, recvBps: null, retransPerSec: null, rttUs: null } });
const base = { viewId: 'v', invisibleProcesses: 0 };

test('loading until the first counts; groups and counts from the helper; only changed groups reported', () => {
  const m = new SocketTreeModel('state');
  assert.equal(m.loaded, false);
  let ch = m.apply({ ...base, seq: 0, reset: true, total: 3, counts: [['ESTAB', 2], ['LISTEN', 1]], pages: [],
    groups: [{ key: 's:ESTAB', kind: 'state', label: 'ESTAB', state: 'ESTAB', count: 2 }, { key: 's:LISTEN', kind: 'state', label: 'LISTEN', state: 'LISTEN', count: 1 }] });
  assert.equal(m.loaded, true);
  assert.equal(ch.structure, true);
  assert.equal(m.visibleCount, 3);
  assert.deepEqual(m.countsByState(), [['ESTAB', 2], ['LISTEN', 1]]);
  ch = m.apply({ ...base, seq: 1, reset: false, total: 4, counts: [['ESTAB', 3], ['LISTEN', 1]], pages: [],
    groups: [{ key: 's:ESTAB', kind: 'state', label: 'ESTAB', state: 'ESTAB', count: 3 }, { key: 's:LISTEN', kind: 'state', label: 'LISTEN', state: 'LISTEN', count: 1 }] });
  assert.deepEqual(ch, { structure: false, groups: ['s:ESTAB'], counts: true });
  assert.deepEqual(m.startOver(), { structure: true, groups: [], counts: true });
  assert.equal(m.loaded, false);
});

test('pages: rows by id, changed rows replace theirs, rows that leave every page are dropped', () => {
  const m = new SocketTreeModel('state');
  const groups = [{ key: 's:ESTAB', kind: 'state' as const, label: 'ESTAB', count: 3 }];
  m.apply({ ...base, seq: 0, reset: true, total: 3, counts: [['ESTAB', 3]], groups, pages: [{ group: 's:ESTAB', offset: 0, limit: 2, total: 3, ids: ['a', 'b'], rows: [row('a'), row('b')] }] });
  assert.deepEqual(m.children('s:ESTAB').items.map((s) => s.cookie), ['a', 'b']);
  assert.equal(m.children('s:ESTAB').total, 3);
  const ch = m.apply({ ...base, seq: 1, reset: false, total: 3, counts: [['ESTAB', 3]], pages: [{ group: 's:ESTAB', offset: 0, limit: 2, total: 3, ids: ['a', 'c'], rows: [row('a', 5), row('c')] }] });
  assert.deepEqual(ch.groups, ['s:ESTAB']);
  assert.equal(m.get('a')?.recvQ, 5);
  assert.equal(m.get('b'), undefined, 'b left the page');
  m.dropPage('s:ESTAB');
  assert.deepEqual(m.retained(), { groups: 1, pages: 0, rows: 0, remembered: 0 });
  assert.equal(m.children('s:ESTAB').total, 3, 'a collapsed group still has its count');
});

test('sockets read once are remembered, the oldest forgotten first', () => {
  const m = new SocketTreeModel();
  m.remember(Array.from({ length: 300 }, (_, i) => sock({ cookie: `r${i}` })));
  assert.equal(m.retained().remembered, 256);
  assert.equal(m.get('r0'), undefined);
  assert.equal(m.get('r299')?.cookie, 'r299');
});

/** The helper's view of `n` sockets in 6 processes (and some without one), one group expanded, applied to a model. */
async function modelOver(n: number): Promise<{ model: SocketTreeModel; bytes: number }> {
  const holders = new Map<number, Array<{ pid: number; name: string; fd: number }>>();
  for (let i = 1; i <= n; i++) if (i % 7) holders.set(i, [{ pid: 1000 + (i % 6), name: 'python3', fd: 3 + (i % 1000) }]);
  const specs = Array.from({ length: n }, (_, i) => ({ cookie: i + 1, inode: i + 1, localPort: 1024 + (i % 60000), peerPort: 900 + (i % 6) }));
  const model = new SocketTreeModel('process');
  let bytes = 0;
  const notify: Notify = async (_m, p) => {
    bytes += JSON.stringify(p).length;
    model.apply(JSON.parse(JSON.stringify(p)) as ViewChangedNotification);
  };
  const session = new ViewSession({ viewId: 'v', intervalMs: 3_600_000, query: {}, groupBy: 'process', expanded: [{ group: 'p:1001', offset: 0, limit: 500 }] },
    fakeSource(() => specs, () => fakeProcesses(holders)), notify, { root: () => true });
  session.start();
  await session.update({ refresh: true });
  session.stop();
  return { model, bytes };
}

test('the model holds what is shown: the same at 10k and 100k sockets in the helper', async () => {
  const small = await modelOver(10_000);
  const large = await modelOver(100_000);
  assert.equal(small.model.visibleCount, 10_000);
  assert.equal(large.model.visibleCount, 100_000);
  assert.deepEqual(small.model.retained(), { groups: 7, pages: 1, rows: 500, remembered: 0 });
  assert.deepEqual(large.model.retained(), small.model.retained());
  assert.equal(large.model.group(UNKNOWN_GROUP)?.count, Math.floor(100_000 / 7));
  // What the model keeps, serialized, differs only by the digits of larger counts and cookies.
  const kept = (m: SocketTreeModel): number => JSON.stringify({ g: m.groups(), p: m.page('p:1001'), r: m.children('p:1001').items }).length;
  assert.ok(Math.abs(kept(large.model) - kept(small.model)) < 0.05 * kept(small.model), `${kept(small.model)} vs ${kept(large.model)} bytes`);
  // And so does what crossed the wire.
  assert.ok(large.bytes < 1.2 * small.bytes, `${small.bytes} vs ${large.bytes} bytes sent`);
});
