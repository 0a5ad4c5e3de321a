// Following what VS Code runs, in a real VS Code: a debug session of the sample workspace's
// follow-demo/server.js (it listens, connects to itself and forks a worker that connects too)
// gets a group at the top of the Sockets view named after its launch configuration, holding
// exactly the sockets of its process tree, worker included; a new connection shows while it runs;
// the group goes when the session stops. The same for the program started through runInTerminal,
// for a task and for a terminal.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { SocketsViewSnapshot } from '../../../src/client/tree/sockets-view-setup';
import type { SocketRecord } from '../../../src/protocol/socket-record';
import { sockscopeExtension, waitFor, workspaceFile } from './sockscope';
import { test } from './registry';

type Pinned = SocketsViewSnapshot['pinned'][number];

const snapshot = async (): Promise<SocketsViewSnapshot> => (await vscode.commands.executeCommand<SocketsViewSnapshot>('sockscope.sockets.snapshot', 5000));

async function ready(): Promise<void> {
  await sockscopeExtension().activate();
  await vscode.commands.executeCommand('sockscope.sockets.focus');
  await vscode.commands.executeCommand('sockscope.clearFilter');
  await vscode.commands.executeCommand('sockscope.groupByProcess');
}

const holds = (s: SocketRecord, pids: number[]): boolean => (s.processes ?? []).some((p) => pids.includes(p.pid));

/**
 * The demo's port: the listener a socket of another process of the tree (the worker) is connected
 * to. The debuggee may listen on an inspector port too.
 */
function demoPort(g: Pinned): number | undefined {
  for (const l of g.sockets) {
    if (l.state !== 'LISTEN') continue;
    const server = (l.processes ?? []).map((p) => p.pid);
    if (g.sockets.some((s) => s.state === 'ESTAB' && s.peerPort === l.localPort && !holds(s, server))) return l.localPort;
  }
  return undefined;
}

/** Waits for the group labelled `label` to hold the demo's five sockets; returns it and the port. */
async function demoGroup(label: string, log: (m: string) => void): Promise<{ group: Pinned; port: number }> {
  let seen = '';
  return waitFor(`the group "${label}" with the demo's sockets`, async () => {
    const snap = await snapshot();
    const now = JSON.stringify(snap.pinned.map((g) => ({ label: g.label, count: g.count, note: g.note, pids: g.pids, sockets: g.sockets.map((s) => `${s.state} ${s.localPort}->${s.peerPort} ${(s.processes ?? []).map((p) => p.pid).join('/')}`) })));
    if (now !== seen) { seen = now; log(`pinned: ${now}`); }
    const i = snap.groups.findIndex((g) => g.label === label);
    if (i < 0) return undefined;
    assert.equal(snap.groups[i].kind, 'pinned');
    const group = snap.pinned.find((g) => g.label === label)!;
    const port = demoPort(group);
    if (port === undefined) return undefined;
    const ofDemo = group.sockets.filter((s) => s.localPort === port || s.peerPort === port);
    // The listener and the worker's connection (both ends); the server's connection to itself too
    // where it is made (under js-debug it may not be, the listener's first tick is the inspector's).
    if (ofDemo.length < 3) return undefined;
    log(`${label}: pids ${group.pids.join(',')}, ${group.count} sockets, demo port ${port}; groups before it: ${snap.groups.slice(0, i).map((g) => g.label).join(', ') || 'none'}`);
    return { group, port };
  }, 60_000);
}

async function checkGroup(label: string, log: (m: string) => void): Promise<void> {
  const { group, port } = await demoGroup(label, log);
  assert.ok(group.pids.length >= 2, 'the server and its worker');
  // Exactly the tree's sockets: each is held by one of its processes, and the demo's are all there.
  for (const s of group.sockets) assert.ok(holds(s, group.pids), `${s.netid} ${s.localPort}->${s.peerPort} is held by the tree`);
  const ofDemo = group.sockets.filter((s) => s.localPort === port || s.peerPort === port);
  const server = ofDemo.find((s) => s.state === 'LISTEN')!.processes!.map((p) => p.pid);
  const worker = ofDemo.find((s) => s.state === 'ESTAB' && s.peerPort === port && !holds(s, server));
  assert.ok(worker, 'the worker\'s own connection');
  assert.ok(ofDemo.some((s) => s.state === 'ESTAB' && s.localPort === port && s.peerPort === worker.localPort && holds(s, server)), 'its accepted end in the server');
  // A new connection while it runs shows within a refresh or two.
  const c = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => c.once('connect', () => r()));
  try {
    await waitFor('the new connection in the group', async () => (await snapshot()).pinned.find((g) => g.label === label)?.sockets.some((s) => s.peerPort === c.localPort), 15_000);
  } finally {
    c.destroy();
  }
}

async function gone(label: string): Promise<void> {
  await waitFor(`the group "${label}" to go`, async () => !(await snapshot()).groups.some((g) => g.label === label), 20_000);
}

test('Follow: a debug session\'s group: named after the launch configuration, its process tree, gone when it stops', async (t) => {
  await ready();
  const folder = vscode.workspace.workspaceFolders![0];
  const started = new Promise<vscode.DebugSession>((resolve) => {
    const sub = vscode.debug.onDidStartDebugSession((s) => { if (!s.parentSession) { sub.dispose(); resolve(s); } });
  });
  assert.ok(await vscode.debug.startDebugging(folder, 'Follow demo'), 'the session starts');
  const session = await started;
  try {
    await checkGroup('Follow demo', (m) => t.log(m));
  } finally {
    await vscode.debug.stopDebugging(session);
  }
  await gone('Follow demo');
}, { timeoutMs: 120_000 });

test('Follow: a program the debugger starts through runInTerminal is followed too', async (t) => {
  await ready();
  const folder = vscode.workspace.workspaceFolders![0];
  const started = new Promise<vscode.DebugSession>((resolve) => {
    const sub = vscode.debug.onDidStartDebugSession((s) => { if (!s.parentSession) { sub.dispose(); resolve(s); } });
  });
  assert.ok(await vscode.debug.startDebugging(folder, 'Follow demo (terminal)'));
  const session = await started;
  try {
    await checkGroup('Follow demo (terminal)', (m) => t.log(m));
  } finally {
    await vscode.debug.stopDebugging(session);
  }
  await gone('Follow demo (terminal)');
  for (const term of vscode.window.terminals) term.dispose();
}, { timeoutMs: 120_000 });

test('Follow: a task\'s group holds its process tree and goes when the task ends', async (t) => {
  await ready();
  const task = (await vscode.tasks.fetchTasks()).find((x) => x.name === 'Follow demo task');
  assert.ok(task, 'the sample workspace\'s task');
  const execution = await vscode.tasks.executeTask(task);
  try {
    await checkGroup('Task: Follow demo task', (m) => t.log(m));
  } finally {
    execution.terminate();
  }
  await gone('Task: Follow demo task');
}, { timeoutMs: 120_000 });

test('Follow: Show Sockets of This Terminal follows what runs in it', async (t) => {
  await ready();
  const term = vscode.window.createTerminal({ name: 'follow-term', cwd: workspaceFile('follow-demo') });
  try {
    assert.ok(await vscode.commands.executeCommand('sockscope.followTerminal', term));
    term.sendText('node server.js');
    await checkGroup('Terminal: follow-term', (m) => t.log(m));
  } finally {
    term.dispose();
  }
  await gone('Terminal: follow-term');
}, { timeoutMs: 120_000 });

test('Follow: Follow Process… by pid, then Stop Following', async () => {
  await ready();
  const id = await vscode.commands.executeCommand<string>('sockscope.followProcess', process.pid);
  assert.ok(id);
  const g = await waitFor('the followed extension host', async () => (await snapshot()).pinned.find((p) => p.pids.includes(process.pid)));
  assert.match(g.label, /\(\d+\)$/);
  await vscode.commands.executeCommand('sockscope.unfollow', g.key);
  await waitFor('unfollowed', async () => !(await snapshot()).pinned.some((p) => p.key === g.key));
}, { timeoutMs: 60_000 });
