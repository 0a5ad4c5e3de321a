// Pinned groups (followed debug sessions, tasks, terminals): first, by pid set, kept current as
// sockets and pids come and go; empty ones stay with their note; inet sockets before unix ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SocketTreeModel, pinnedKey } from '../../../src/client/tree/model';
import { pinnedGroupOf } from '../../../src/client/follow/follow-service';
import { FollowTargets } from '../../../src/client/follow/follow-targets';
import { treesOf } from '../../../src/client/follow/identity-text';
import type { ProcessIdentity } from '../../../src/protocol/process-identity';
import { sock } from './fixtures';

const ref = (pid: number, fd = 3) => ({ pid, name: 'MainThread', fd });

test('a pinned group comes first and holds the sockets of its pids, child included', () => {
  const m = new SocketTreeModel('process');
  m.applyDelta({ added: [
    sock({ cookie: 'a', processes: [ref(10)] }),
    sock({ cookie: 'b', processes: [ref(11)] }),
    sock({ cookie: 'c', processes: [ref(99)] }),
  ], removed: [], changed: [] });
  const change = m.setPinned([{ id: 'debug:1', label: 'Launch server', pids: [10] }]);
  assert.equal(change.structure, true);
  assert.deepEqual(m.groups().map((g) => [g.key, g.count]), [[pinnedKey('debug:1'), 1], ['p:10', 1], ['p:11', 1], ['p:99', 1]]);
  // The child appears in the tree: its socket joins the group.
  m.setPinned([{ id: 'debug:1', label: 'Launch server', pids: [10, 11] }]);
  assert.deepEqual(m.children(pinnedKey('debug:1'), 10).items.map((s) => s.cookie), ['a', 'b']);
  // A new connection while it runs.
  m.applyDelta({ added: [sock({ cookie: 'd', processes: [ref(11, 4)] })], removed: [], changed: [] });
  assert.equal(m.group(pinnedKey('debug:1'))?.count, 3);
  m.applyDelta({ added: [], removed: ['a', 'b', 'd'], changed: [] });
  assert.equal(m.group(pinnedKey('debug:1'))?.count, 0, 'an empty pinned group stays');
  m.setPinned([]);
  assert.equal(m.group(pinnedKey('debug:1')), undefined, 'the session ended: the group goes');
});

test('several pinned groups keep their order and survive a regrouping', () => {
  const m = new SocketTreeModel('state');
  m.applyDelta({ added: [sock({ cookie: 'a', processes: [ref(1)] }), sock({ cookie: 'b', processes: [ref(2)] })], removed: [], changed: [] });
  m.setPinned([{ id: 'x', label: 'X', pids: [2] }, { id: 'y', label: 'Y', pids: [1] }]);
  m.setGrouping('flat');
  assert.deepEqual(m.groups().slice(0, 2).map((g) => [g.label, g.count]), [['X', 1], ['Y', 1]]);
});

test('inet sockets sort before unix ones; groups with inet sockets first', () => {
  const m = new SocketTreeModel('process');
  m.applyDelta({ added: [
    sock({ cookie: 'u', netid: 'u_str', family: 'unix', processes: [{ pid: 1, name: 'aaa', fd: 1 }] }),
    sock({ cookie: 't', processes: [{ pid: 2, name: 'zzz', fd: 1 }] }),
    sock({ cookie: 't2', processes: [{ pid: 1, name: 'aaa', fd: 2 }] }),
  ], removed: [], changed: [] });
  assert.deepEqual(m.children('p:1', 10).items.map((s) => s.cookie), ['t2', 'u']);
  m.applyDelta({ added: [], removed: ['t2'], changed: [] });
  assert.deepEqual(m.groups().map((g) => g.key), ['p:2', 'p:1']);
});

const ident = (pid: number, ppid: number, over: Partial<ProcessIdentity> = {}): ProcessIdentity => ({
  pid, ppid, label: `node ${pid}.js`, comm: 'MainThread', cmdline: ['node', `${pid}.js`], uid: 0, user: 'root', startedAt: 0, socketsVisible: true, ...over,
});

test('trees from one answer; notes for no process, exited, root needed', () => {
  const all = [ident(10, 1), ident(11, 10), ident(12, 11), ident(20, 1)];
  assert.deepEqual(treesOf(all, [10]).map((p) => p.pid), [10, 11, 12]);
  const targets = new FollowTargets();
  const t = targets.add('debug:s', 'debug', 'Launch server');
  assert.match(pinnedGroupOf(t, []).note ?? '', /reported no process: Follow Process…/);
  targets.addRoot('debug:s', 10);
  assert.match(pinnedGroupOf(t, []).note ?? '', /exited/);
  assert.match(pinnedGroupOf(t, [ident(10, 1, { socketsVisible: false, user: 'postgres' })]).note ?? '', /runs as postgres: its sockets need root/);
  const g = pinnedGroupOf(t, treesOf(all, [10]));
  assert.deepEqual(g.pids, [10, 11, 12]);
  assert.match(g.tooltip ?? '', /3 processes/);
});
