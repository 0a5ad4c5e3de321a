// The group pass with its owner cache: a pass that reads holders from the cache gives the same
// groups, labels and members as one that looks every list up, and a changed, added or removed list
// (a new serial) is seen at the next pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SocketStore } from '../../../src/helper/socket-store';
import { groupPass, OwnerCache, type GroupPassOptions } from '../../../src/helper/view-groups';
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

test('cached holders give the same groups and members as fresh lookups, and follow list changes', () => {
  const store = storeOf([{ cookie: 1, inode: 1 }, { cookie: 2, inode: 2 }, { cookie: 3, inode: 3 }, { cookie: 4, inode: 4 }]);
  const byInode = new Map<number, ProcessRef[]>([[1, [pg]], [2, [pg]], [3, [nginx, pg]]]);
  const owners = new OwnerCache();
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
  assert.deepEqual(shape(opts({ owners })), fresh, 'the pass that fills the cache');
  assert.deepEqual(shape(opts({ owners })), fresh, 'the pass that reads it');
  assert.deepEqual(unknown.at(-1), [4]);
  // Socket 2 moves to nginx, socket 1 loses its holder, socket 4 gains one.
  byInode.set(2, [nginx]);
  byInode.delete(1);
  byInode.set(4, [{ ...pg, fd: 9 }]);
  assert.deepEqual(shape(opts({ owners })), shape(opts()));
  const p = groupPass(store, opts({ owners }));
  assert.deepEqual(p.groups.map((g) => [g.key, g.count]), [['p:200', 2], ['p:100', 2], [UNKNOWN_GROUP, 1]]);
  // Pinned groups and the pid filter read cached holders too.
  const pinned = groupPass(store, opts({ owners, pinned: [{ id: 'x', label: 'X', pids: [200] }], query: { pid: 100 } }));
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
  const owners = new OwnerCache();
  for (const o of [undefined, owners]) {
    const p = groupPass(store, { groupBy: 'process', query: {}, pinned: [], want: new Set(), processes: procs, root: true, owners: o });
    assert.deepEqual(p.groups.map((g) => [g.key, g.count]), [[UNKNOWN_GROUP, 2]]);
  }
  assert.deepEqual(asked, [[72], [72]]);
});
