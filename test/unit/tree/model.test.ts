import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SocketTreeModel, UNKNOWN_GROUP, UNKNOWN_PROCESS_LABEL, NO_VISIBLE_PROCESS_LABEL, FLAT_GROUP } from '../../../src/client/tree/model';
import { sock } from './fixtures';

const pg = { pid: 100, name: 'postgres', fd: 5 };
const nginx = { pid: 200, name: 'nginx', fd: 6 };

test('groups by process, unknown process last, with counts', () => {
  const m = new SocketTreeModel('process');
  m.applyDelta({ added: [
    sock({ cookie: 'a', processes: [pg] }),
    sock({ cookie: 'b', processes: [pg] }),
    sock({ cookie: 'c', processes: [nginx] }),
    sock({ cookie: 'd' }),
  ], removed: [], changed: [] });
  const groups = m.groups();
  assert.deepEqual(groups.map((g) => [g.label, g.count]), [['nginx (200)', 1], ['postgres (100)', 2], [UNKNOWN_PROCESS_LABEL, 1]]);
  assert.equal(groups[2].key, UNKNOWN_GROUP);
  assert.equal(m.visibleCount, 4);
  // When the helper runs as root the same group no longer tells the user to become root.
  assert.deepEqual(m.setPrivileged(true), { structure: false, groups: [UNKNOWN_GROUP], counts: false });
  assert.equal(m.groups()[2].label, NO_VISIBLE_PROCESS_LABEL);
  assert.deepEqual(m.setPrivileged(true).groups, []);
  m.setPrivileged(false);
  assert.equal(m.groups()[2].label, UNKNOWN_PROCESS_LABEL);
});

test('a socket shared by two processes is listed under both', () => {
  const m = new SocketTreeModel('process');
  m.applyDelta({ added: [sock({ cookie: 'a', processes: [pg, nginx] })], removed: [], changed: [] });
  assert.deepEqual(m.groups().map((g) => g.count), [1, 1]);
  assert.equal(m.visibleCount, 1);
});

test('groups by state in ss order and flat', () => {
  const m = new SocketTreeModel('state');
  m.applyDelta({ added: [
    sock({ cookie: 'a', state: 'LISTEN' }), sock({ cookie: 'b' }), sock({ cookie: 'c' }), sock({ cookie: 'd', state: 'TIME-WAIT' }),
  ], removed: [], changed: [] });
  assert.deepEqual(m.groups().map((g) => [g.label, g.count]), [['ESTAB', 2], ['TIME-WAIT', 1], ['LISTEN', 1]]);
  m.setGrouping('flat');
  assert.deepEqual(m.groups().map((g) => [g.key, g.count]), [[FLAT_GROUP, 4]]);
  assert.deepEqual(m.countsByState(), [['ESTAB', 2], ['LISTEN', 1], ['TIME-WAIT', 1]]);
});

test('deltas: removal empties a group, change moves a socket, only touched groups reported', () => {
  const m = new SocketTreeModel('state');
  m.applyDelta({ added: [sock({ cookie: 'a' }), sock({ cookie: 'b', state: 'LISTEN' }), sock({ cookie: 'c', state: 'CLOSE-WAIT' })], removed: [], changed: [] });
  let ch = m.applyDelta({ added: [], removed: [], changed: [sock({ cookie: 'a', recvQ: 5 })] });
  assert.equal(ch.structure, false);
  assert.deepEqual(ch.groups, ['s:ESTAB']);
  assert.equal(m.children('s:ESTAB', 10).items[0].recvQ, 5);
  ch = m.applyDelta({ added: [], removed: [], changed: [sock({ cookie: 'a', state: 'TIME-WAIT' })] });
  assert.equal(ch.structure, true);
  assert.deepEqual(m.groups().map((g) => g.label), ['TIME-WAIT', 'CLOSE-WAIT', 'LISTEN']);
  ch = m.applyDelta({ added: [], removed: ['b', 'zz'], changed: [] });
  assert.equal(ch.structure, true);
  assert.equal(m.group('s:LISTEN'), undefined);
  assert.equal(m.size, 2);
  assert.equal(m.get('b'), undefined);
});

test('paging returns the first N in stable order and the total', () => {
  const m = new SocketTreeModel('flat');
  const added = Array.from({ length: 1234 }, (_, i) => sock({ cookie: (0x1000 + i).toString(16), localPort: 10000 + ((i * 7919) % 1234) }));
  m.applyDelta({ added, removed: [], changed: [] });
  const page1 = m.children(FLAT_GROUP, 500);
  assert.equal(page1.total, 1234);
  assert.equal(page1.items.length, 500);
  const page2 = m.children(FLAT_GROUP, 1000);
  assert.deepEqual(page2.items.slice(0, 500).map((s) => s.cookie), page1.items.map((s) => s.cookie));
  const ports = m.children(FLAT_GROUP, 2000).items.map((s) => s.localPort);
  assert.deepEqual(ports, [...ports].sort((a, b) => a - b));
});

test('local filters: kinds, states, exposed listeners, process', () => {
  const m = new SocketTreeModel('flat');
  m.applyDelta({ added: [
    sock({ cookie: 'a', state: 'LISTEN', localAddress: '0.0.0.0', peerAddress: '0.0.0.0', peerPort: 0, processes: [pg] }),
    sock({ cookie: 'b', state: 'LISTEN', localAddress: '127.0.0.1', peerAddress: '0.0.0.0', peerPort: 0 }),
    sock({ cookie: 'c', netid: 'u_str', family: 'unix', localAddress: '/run/x.sock' }),
    sock({ cookie: 'd', netid: 'udp', state: 'UNCONN', family: 'inet6', localAddress: '::', peerAddress: '::', peerPort: 0 }),
  ], removed: [], changed: [] });
  assert.equal(m.visibleCount, 4);
  m.setLocalFilter({ exposedOnly: true });
  assert.deepEqual(m.children(FLAT_GROUP, 10).items.map((s) => s.cookie).sort(), ['a', 'd']);
  m.setLocalFilter({ kinds: new Set(['unix']) });
  assert.deepEqual(m.children(FLAT_GROUP, 10).items.map((s) => s.cookie), ['c']);
  m.setLocalFilter({ states: new Set(['LISTEN']) });
  assert.equal(m.visibleCount, 2);
  m.setLocalFilter({ pid: 100 });
  assert.deepEqual(m.children(FLAT_GROUP, 10).items.map((s) => s.cookie), ['a']);
  assert.equal(m.size, 4);
  // Hidden sockets still receive deltas and reappear when the filter is cleared.
  m.applyDelta({ added: [], removed: [], changed: [sock({ cookie: 'c', netid: 'u_str', family: 'unix', localAddress: '/run/x.sock', recvQ: 9 })] });
  m.setLocalFilter({});
  assert.equal(m.visibleCount, 4);
  assert.equal(m.get('c')?.recvQ, 9);
});

test('100k sockets group and page quickly enough to stay interactive', () => {
  const m = new SocketTreeModel('process');
  const added = Array.from({ length: 100_000 }, (_, i) => sock({ cookie: (0x100000 + i).toString(16), localPort: i % 60000, processes: i % 10 ? [{ pid: 1000 + (i % 50), name: `p${i % 50}`, fd: 3 }] : undefined }));
  m.applyDelta({ added, removed: [], changed: [] });
  assert.equal(m.groups().length, 46); // pids whose i % 50 is a multiple of 10 are all unknown
  const ch = m.applyDelta({ added: [], removed: [added[1].cookie], changed: [] });
  assert.deepEqual(ch.groups, ['p:1001']);
  assert.equal(m.children('p:1001', 500).items.length, 500);
});
