// The group pass: holders from the typed lookup (one pid) or the list (several), groups, labels,
// members, pinned groups and the pid filter; a changed, added or removed list is seen at the next
// pass; the kernel's own netlink sockets are not searched for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SocketStore } from '../../../src/helper/socket-store';
import { groupPass, type GroupPassOptions } from '../../../src/helper/view-groups';
import type { ProcessRef } from '../../../src/protocol/socket-record';
import { UNKNOWN_GROUP, UNKNOWN_PROCESS_LABEL } from '../../../src/protocol/view-protocol';
import { fakeProcesses, fakeSocket, type FakeSpec } from './fake-sockets';

const pg: ProcessRef = { pid: 100, name: 'postgres', fd: 5 };
const nginx: ProcessRef = { pid: 200, name: 'nginx', fd: 6 };

function storeOf(specs: FakeSpec[]): SocketStore {
  const store = new SocketStore({ capacity: 16 });
  store.refresh((on) => { for (const f of specs) on(fakeSocket(f)); });
  return store;
}

test('groups and members by holder, following list changes; pinned groups and the pid filter', () => {
  const store = storeOf([{ cookie: 1, inode: 1 }, { cookie: 2, inode: 2 }, { cookie: 3, inode: 3 }, { cookie: 4, inode: 4 }]);
  const byInode = new Map<number, ProcessRef[]>([[1, [pg]], [2, [pg]], [3, [nginx, pg]]]);
  const unknown: number[][] = [];
  const procs = { ...fakeProcesses(byInode), unknown: (i: number[]) => { unknown.push(i); } };
  const opts = (o: Partial<GroupPassOptions> = {}): GroupPassOptions => ({
    groupBy: 'process', query: {}, pinned: [], want: new Set(['p:100', 'p:200', UNKNOWN_GROUP]), processes: procs, root: false, ...o,
  });
  const shape = (o: GroupPassOptions): unknown => {
    const p = groupPass(store, o);
    return { groups: p.groups.map((g) => [g.key, g.label, g.count]), members: [...p.members].map(([k, m]) => [k, m.map((s) => store.key(s))]), total: p.total };
  };
  const fresh = shape(opts());
  assert.deepEqual(fresh, {
    groups: [['p:200', 'nginx (200)', 1], ['p:100', 'postgres (100)', 3], [UNKNOWN_GROUP, UNKNOWN_PROCESS_LABEL, 1]],
    members: [['p:100', ['1', '2', '3']], ['p:200', ['3']], [UNKNOWN_GROUP, ['4']]],
    total: 4,
  });
  assert.deepEqual(shape(opts()), fresh, 'a second pass');
  assert.deepEqual(unknown.at(-1), [4]);
  // Socket 2 moves to nginx, socket 1 loses its holder, socket 4 gains one.
  byInode.set(2, [nginx]);
  byInode.delete(1);
  byInode.set(4, [{ ...pg, fd: 9 }]);
  const p = groupPass(store, opts());
  assert.deepEqual(p.groups.map((g) => [g.key, g.count]), [['p:200', 2], ['p:100', 2], [UNKNOWN_GROUP, 1]]);
  const pinned = groupPass(store, opts({ pinned: [{ id: 'x', label: 'X', pids: [200] }], query: { pid: 100 } }));
  assert.deepEqual(pinned.groups.map((g) => [g.key, g.count]), [['pin:x', 1], ['p:200', 1], ['p:100', 2]]);
});

test('the kernel\'s own netlink sockets (port id 0) are not searched for; a process\'s are', () => {
  const store = new SocketStore({ capacity: 16 });
  store.refresh((on) => {
    for (const [cookie, port] of [[1, 0], [2, 4242]]) {
      const s = fakeSocket({ cookie, inode: 70 + cookie, localPort: port });
      s.family = 16;
      s.srcOff = -1;
      on(s);
    }
  });
  const asked: number[][] = [];
  const procs = { ...fakeProcesses(new Map()), unknown: (i: number[]) => { asked.push(i); } };
  const p = groupPass(store, { groupBy: 'process', query: {}, pinned: [], want: new Set(), processes: procs, root: true });
  assert.deepEqual(p.groups.map((g) => [g.key, g.count]), [[UNKNOWN_GROUP, 2]]);
  assert.deepEqual(asked, [[72]]);
});
