// The follow service's pure parts: process trees from one `processes` answer, the pinned group of a
// target with its note (no process reported, exited, root needed) and tooltip; targets come and go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pinnedGroupOf } from '../../../src/client/follow/follow-service';
import { childSessionPid, FollowTargets, targetId } from '../../../src/client/follow/follow-targets';
import { commandLine, identityDescription, identityTooltip, treesOf } from '../../../src/client/follow/identity-text';
import type { ProcessIdentity } from '../../../src/protocol/process-identity';

const ident = (pid: number, ppid: number, over: Partial<ProcessIdentity> = {}): ProcessIdentity => ({
  pid, ppid, label: `node ${pid}.js`, comm: 'MainThread', cmdline: ['node', `${pid}.js`], uid: 0, user: 'root', startedAt: 0, socketsVisible: true, ...over,
});

test('trees from one answer for every target', () => {
  const all = [ident(10, 1), ident(11, 10), ident(12, 11), ident(20, 1), ident(21, 20)];
  assert.deepEqual(treesOf(all, [10]).map((p) => p.pid), [10, 11, 12]);
  assert.deepEqual(treesOf(all, [20, 10]).map((p) => p.pid), [20, 10, 21, 11, 12]);
  assert.deepEqual(treesOf(all, [99]), []);
});

test('a target\'s group: pids of its tree, notes for no process, exited, root needed', () => {
  const targets = new FollowTargets();
  let changes = 0;
  targets.onDidChange(() => changes++);
  const t = targets.add(targetId('debug', 'session 1'), 'debug', 'Launch server');
  assert.equal(t.id, 'debug:session_1');
  assert.match(pinnedGroupOf(t, []).note, /reported no process: Follow Process…/);
  targets.addRoot(t.id, 10);
  targets.addRoot(t.id, 10);
  assert.deepEqual(t.roots, [10]);
  assert.match(pinnedGroupOf(t, []).note, /exited/);
  assert.match(pinnedGroupOf(t, [ident(10, 1, { socketsVisible: false, user: 'postgres' })]).note, /runs as postgres: its sockets need root/);
  const g = pinnedGroupOf(t, treesOf([ident(10, 1), ident(11, 10)], [10]));
  assert.deepEqual(g.group, { id: t.id, label: 'Launch server', pids: [10, 11] });
  assert.match(g.tooltip ?? '', /2 processes/);
  targets.remove(t.id);
  assert.equal(targets.list().length, 0);
  assert.equal(changes, 3, 'added, a root, removed (a known root changes nothing)');
});

test('identity text: tooltip, picker description, quoted command line', () => {
  const p = ident(42, 1, { cmdline: ['python3', '-m', 'http.server', '8000', 'a b'], cwd: '/srv', container: { runtime: 'docker', id: 'f'.repeat(64), name: 'web' }, ports: [8000] });
  assert.equal(commandLine(p.cmdline), "python3 -m http.server 8000 'a b'");
  const tip = identityTooltip(p);
  for (const want of [/pid 42 \(parent 1\) · user root/, /command: python3 -m http\.server 8000 'a b'/, /cwd: \/srv/, /started: /, /runs in: container web \(docker ffffffffffff\)/]) assert.match(tip, want);
  assert.equal(identityDescription(p), 'pid 42 · root · container web (docker ffffffffffff) · :8000');
});

test('a child debug session\'s pid: from its configuration\'s name, else from the session name with a suffix', () => {
  assert.equal(childSessionPid('server.js [15475]', 'server.js [15475] « Follow demo'), 15475);
  // The first child's session name carries the parent's name after the pid (the old miss).
  assert.equal(childSessionPid(undefined, 'server.js [15475] « Follow demo'), 15475);
  assert.equal(childSessionPid('[42]', '[42]'), 42);
  assert.equal(childSessionPid('Follow demo', 'Follow demo'), undefined);
  assert.equal(childSessionPid('x [0]', 'x [0]'), undefined);
  assert.equal(childSessionPid('x [99999999999999999999]', 'y'), undefined);
});
