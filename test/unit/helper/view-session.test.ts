// A helper view over synthetic sockets: groups (process, unknown last, shared sockets, state order,
// flat, pinned pid sets first), the view's filters, pages in a stable order with paging, filters and
// sorts within a group, and only what changed sent at each refresh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Notify } from '../../../src/helper/rpc-server';
import type { ProcessRef } from '../../../src/protocol/socket-record';
import type { ViewChangedNotification, ViewOpenParams } from '../../../src/protocol/view-protocol';
import { FLAT_GROUP, NO_VISIBLE_PROCESS_LABEL, UNKNOWN_GROUP, UNKNOWN_PROCESS_LABEL } from '../../../src/protocol/view-protocol';
import { ViewSession } from '../../../src/helper/view-session';
import { fakeProcesses, fakeSource, type FakeSpec } from './fake-sockets';

const pg: ProcessRef = { pid: 100, name: 'postgres', fd: 5 };
const nginx: ProcessRef = { pid: 200, name: 'nginx', fd: 6 };

interface Harness {
  session: ViewSession;
  sent: ViewChangedNotification[];
  set(specs: FakeSpec[]): void;
  /** Waits for the first notification. */
  first(): Promise<ViewChangedNotification>;
  root: { value: boolean };
}

function open(specs: FakeSpec[], holders: Map<number, ProcessRef[]>, params: Partial<ViewOpenParams> = {}): Harness {
  let current = specs;
  const sent: ViewChangedNotification[] = [];
  const notify: Notify = async (_m, p) => { sent.push(p as ViewChangedNotification); };
  const root = { value: false };
  const session = new ViewSession({ viewId: 'v', intervalMs: 3_600_000, query: {}, groupBy: 'process', ...params }, fakeSource(() => current, () => fakeProcesses(holders)), notify, { root: () => root.value });
  session.start();
  return {
    session, sent, root,
    set: (s) => { current = s; },
    first: async () => {
      for (let i = 0; i < 200 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      return sent[0];
    },
  };
}

test('groups by process, unknown process last, with counts; the label follows root', async () => {
  const h = open([{ cookie: 1, inode: 1 }, { cookie: 2, inode: 2 }, { cookie: 3, inode: 3 }, { cookie: 4, inode: 4 }],
    new Map([[1, [pg]], [2, [pg]], [3, [nginx]]]));
  const n = await h.first();
  assert.equal(n.reset, true);
  assert.equal(n.total, 4);
  assert.deepEqual(n.groups?.map((g) => [g.label, g.count]), [['nginx (200)', 1], ['postgres (100)', 2], [UNKNOWN_PROCESS_LABEL, 1]]);
  assert.equal(n.groups?.[2].key, UNKNOWN_GROUP);
  h.root.value = true;
  await h.session.update({ refresh: true });
  assert.equal(h.sent.at(-1)?.groups?.[2].label, NO_VISIBLE_PROCESS_LABEL);
});

test('a socket shared by two processes is listed under both and counted once in the total', async () => {
  const h = open([{ cookie: 1, inode: 1 }], new Map([[1, [pg, nginx, { ...pg, fd: 9 }]]]));
  const n = await h.first();
  assert.deepEqual(n.groups?.map((g) => g.count), [1, 1]);
  assert.equal(n.total, 1);
});

test('groups by state in ss order, flat, and counts by state', async () => {
  const h = open([{ cookie: 1, state: 'LISTEN' }, { cookie: 2 }, { cookie: 3 }, { cookie: 4, state: 'TIME-WAIT' }], new Map(), { groupBy: 'state' });
  const n = await h.first();
  assert.deepEqual(n.groups?.map((g) => [g.label, g.count]), [['ESTAB', 2], ['TIME-WAIT', 1], ['LISTEN', 1]]);
  assert.deepEqual(n.counts, [['ESTAB', 2], ['LISTEN', 1], ['TIME-WAIT', 1]]);
  await h.session.update({ groupBy: 'flat' });
  assert.deepEqual(h.sent.at(-1)?.groups?.map((g) => [g.key, g.count]), [[FLAT_GROUP, 4]]);
});

test('pinned groups come first and match by pid; sockets stay in their own groups too', async () => {
  const h = open([{ cookie: 1, inode: 1 }, { cookie: 2, inode: 2 }, { cookie: 3, inode: 3 }], new Map([[1, [pg]], [2, [nginx]]]),
    { pinned: [{ id: 'dbg', label: 'Launch: api server', pids: [200, 4242] }], expanded: [{ group: 'pin:dbg', offset: 0, limit: 10 }] });
  const n = await h.first();
  assert.deepEqual(n.groups?.map((g) => [g.key, g.kind, g.label, g.count]), [
    ['pin:dbg', 'pinned', 'Launch: api server', 1], ['p:200', 'process', 'nginx (200)', 1], ['p:100', 'process', 'postgres (100)', 1], [UNKNOWN_GROUP, 'unknown', UNKNOWN_PROCESS_LABEL, 1],
  ]);
  assert.deepEqual(n.pages.map((p) => [p.group, p.ids]), [['pin:dbg', ['2']]]);
});

test('view filters: exposed listeners, given sockets, one process', async () => {
  const specs: FakeSpec[] = [
    { cookie: 0xa, state: 'LISTEN', local: [0, 0, 0, 0], peer: [0, 0, 0, 0], peerPort: 0, inode: 1 },
    { cookie: 0xb, state: 'LISTEN', local: [127, 0, 0, 1], peer: [0, 0, 0, 0], peerPort: 0, inode: 2 },
    { cookie: 0xc, netid: 'u_str', name: '/run/x.sock', inode: 3 },
    { cookie: 0xd, netid: 'udp', state: 'UNCONN', local: [0, 0, 0, 0], peer: [0, 0, 0, 0], peerPort: 0, inode: 4 },
  ];
  const h = open(specs, new Map([[1, [pg]]]), { groupBy: 'flat', query: { exposedOnly: true }, expanded: [{ group: FLAT_GROUP, offset: 0, limit: 10 }] });
  const n = await h.first();
  assert.deepEqual(n.pages[0].ids.slice().sort(), ['a', 'd']);
  await h.session.update({ query: { cookies: ['b', 'c', 'zz'] } });
  assert.deepEqual(h.sent.at(-1)!.pages[0].ids.slice().sort(), ['b', 'c'], 'only the given sockets (a finding\'s evidence)');
  await h.session.update({ query: { pid: 100 } });
  const m = h.sent.at(-1)!;
  assert.equal(m.reset, true);
  assert.deepEqual(m.pages[0].ids, ['a']);
  assert.equal(m.total, 1);
});

test('pages: the first N in a stable address order, "show more" extends it, the total is the group\'s', async () => {
  const specs = Array.from({ length: 1234 }, (_, i) => ({ cookie: 0x1000 + i, localPort: 10000 + ((i * 7919) % 1234) }));
  const h = open(specs, new Map(), { groupBy: 'flat', expanded: [{ group: FLAT_GROUP, offset: 0, limit: 500 }] });
  const n = await h.first();
  const page1 = n.pages[0];
  assert.equal(page1.total, 1234);
  assert.equal(page1.ids.length, 500);
  assert.equal(page1.rows.length, 500);
  await h.session.update({ expanded: [{ group: FLAT_GROUP, offset: 0, limit: 1000 }] });
  const page2 = h.sent.at(-1)!.pages[0];
  assert.deepEqual(page2.ids.slice(0, 500), page1.ids);
  const rows = await h.session.rows({ group: FLAT_GROUP, offset: 0, limit: 2000 });
  const ports = rows.rows.map((r) => r.record.localPort);
  assert.deepEqual(ports, [...ports].sort((a, b) => a - b));
});

test('refreshes send only what changed: nothing, then the one changed row, then a removal', async () => {
  let specs: FakeSpec[] = Array.from({ length: 50 }, (_, i) => ({ cookie: i + 1, localPort: 1000 + i }));
  const h = open(specs, new Map(), { groupBy: 'state', expanded: [{ group: 's:ESTAB', offset: 0, limit: 10 }] });
  await h.first();
  const before = h.sent.length;
  const heard: number[] = [];
  h.session.onRefresh((store, r) => heard.push(store.size + r.added));
  await h.session.update({ refresh: true });
  assert.equal(h.sent.length, before, 'an unchanged refresh sends nothing');
  assert.deepEqual(heard, [50], 'subscribers hear every refresh of the view\'s store');
  specs = specs.map((s) => (s.cookie === 3 ? { ...s, recvQ: 99 } : s));
  h.set(specs);
  await h.session.update({ refresh: true });
  const changed = h.sent.at(-1)!;
  assert.equal(changed.groups, undefined, 'counts did not change');
  assert.deepEqual(changed.pages[0].rows.map((r) => [r.id, r.record.recvQ]), [['3', 99]]);
  h.set(specs.filter((s) => s.cookie !== 2));
  await h.session.update({ refresh: true });
  const removed = h.sent.at(-1)!;
  assert.equal(removed.groups?.[0].count, 49);
  assert.equal(removed.pages[0].ids.includes('2'), false);
  assert.deepEqual(removed.pages[0].rows.map((r) => r.id), ['b'], 'only the row that moved into the page');
});

test('an idle refresh keeps the last walk over the sockets; a socket that comes, a state, a port or a holder that changes walks again', async () => {
  let specs: FakeSpec[] = [{ cookie: 1, inode: 1, localPort: 80 }, { cookie: 2, inode: 2, localPort: 81 }, { cookie: 3, inode: 3, localPort: 82 }];
  const holders = new Map([[1, [pg]], [2, [pg]]]);
  const h = open(specs, holders, { expanded: [{ group: 'p:100', offset: 0, limit: 10 }] });
  await h.first();
  const walks = (): number => h.session.tallies;
  const before = walks();
  await h.session.update({ refresh: true });
  assert.equal(walks(), before, 'nothing changed: the last walk is kept');
  h.root.value = true;
  await h.session.update({ refresh: true });
  assert.equal(walks(), before);
  assert.equal(h.sent.at(-1)?.groups?.at(-1)?.label, NO_VISIBLE_PROCESS_LABEL, 'labels are made again from the kept walk');
  h.set(specs = specs.map((s) => (s.cookie === 3 ? { ...s, recvQ: 7 } : s)));
  await h.session.update({ refresh: true });
  assert.equal(walks(), before, 'a queue is not what groups read');
  const steps: Array<[string, () => void, (n: ViewChangedNotification) => void]> = [
    ['a socket comes', () => h.set(specs = [...specs, { cookie: 4, inode: 4 }]), (n) => assert.equal(n.total, 4)],
    ['a state changes', () => h.set(specs = specs.map((s) => (s.cookie === 4 ? { ...s, state: 'CLOSE-WAIT' } : s))), (n) => assert.ok(n.counts.some(([st]) => st === 'CLOSE-WAIT'))],
    ['a port changes', () => h.set(specs = specs.map((s) => (s.cookie === 1 ? { ...s, localPort: 90 } : s))), (n) => assert.deepEqual(n.pages[0].ids, ['2', '1'])],
    ['a holder comes', () => holders.set(3, [nginx]), (n) => assert.ok(n.groups?.some((g) => g.key === 'p:200'))],
  ];
  for (const [what, change, check] of steps) {
    const n = walks();
    change();
    await h.session.update({ refresh: true });
    assert.equal(walks(), n + 1, what);
    check(h.sent.at(-1)!);
  }
});

test('filter and sort within a group; a bad group filter is the page\'s error', async () => {
  const specs: FakeSpec[] = [
    { cookie: 1, localPort: 900, info: { acked: 0, received: 0, retrans: 0, rtt: 100 } },
    { cookie: 2, localPort: 901, info: { acked: 0, received: 0, retrans: 0, rtt: 900 } },
    { cookie: 3, localPort: 900, info: { acked: 0, received: 0, retrans: 0, rtt: 500 } },
  ];
  const h = open(specs, new Map(), { groupBy: 'flat', expanded: [{ group: FLAT_GROUP, offset: 0, limit: 10, filter: 'sport = :900' }] });
  const n = await h.first();
  assert.deepEqual([n.pages[0].total, n.pages[0].ids], [2, ['1', '3']]);
  await h.session.update({ sort: 'rtt', expanded: [{ group: FLAT_GROUP, offset: 0, limit: 10 }] });
  const sorted = h.sent.at(-1)!.pages[0];
  assert.deepEqual(sorted.ids, ['2', '3', '1']);
  assert.deepEqual(sorted.rows.find((r) => r.id === '2')?.rates, { sendBps: null, recvBps: null, retransPerSec: null, rttUs: 900 });
  await h.session.update({ expanded: [{ group: FLAT_GROUP, offset: 0, limit: 10, filter: 'dport >' }] });
  assert.match(h.sent.at(-1)!.pages[0].error ?? '', /bad filter/);
});
