// Following what VS Code runs, in a real VS Code: a debug session of the sample workspace's
// follow-demo/server.js (it listens, connects to itself and forks a worker that connects too)
// gets a group at the top of the Sockets view named after its launch configuration, holding
// exactly the sockets of its process tree, worker included; a new connection shows while it runs;
// the group goes when the session stops. The same for the program started through runInTerminal,
// for a task and for a terminal; and for a program the debugger attaches to (node --inspect on a
// port), where detaching must leave the program running.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { SocketsViewSnapshot } from '../../../src/client/tree/sockets-view-setup';
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

// What the system says, read here independently of the extension: /proc for the process tree, `ss`
// (same namespace: the extension host runs in the host's) for the sockets those processes hold.

function argvOf(pid: number): string[] {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean); } catch { return []; }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch { return undefined; }
}

/** `top` and every process below it, from /proc. */
function procTree(top: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(Number(name));
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out = [top];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
}

const keyOf = (netid: string, state: string, local: number, peer: number): string => `${netid} ${state} ${local}->${peer}`;
const portOf = (addr: string): number => { const p = addr.slice(addr.lastIndexOf(':') + 1); return p === '*' ? 0 : Number(p); };

/** The tcp/udp sockets these processes hold, as `ss -tuanp` shows them, by key. */
function ssSockets(pids: readonly number[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of execFileSync('ss', ['-tuanpH'], { encoding: 'utf8' }).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    const holders = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    if (!holders.some((h) => pids.includes(h))) continue;
    out.set(keyOf(f[0], f[1], portOf(f[4]), portOf(f[5])), holders);
  }
  return out;
}

const groupKeys = (g: Pinned): string[] => g.sockets.filter((s) => s.netid === 'tcp' || s.netid === 'udp').map((s) => keyOf(s.netid, s.state, s.localPort, s.peerPort)).sort();

/** The demo's server (server.js without `worker`) among the pids. */
const demoServer = (pids: readonly number[]): number | undefined => pids.find((p) => { const a = argvOf(p); return a.some((x) => x === 'server.js' || x.endsWith('/follow-demo/server.js')) && !a.includes('worker'); });

/**
 * Where the followed tree starts: the demo's server itself (a debug session, a task), or the shell
 * it runs in (a terminal, a debugger's runInTerminal).
 */
type Top = 'server' | 'its shell';

/**
 * Waits until the group labelled `label` holds exactly the sockets `ss` shows for the process tree
 * (from /proc) of its top process, and the demo's five among them: the server's listener, its
 * connection to itself (both ends) and the worker's connection (both ends). Returns the port.
 */
async function checkGroup(label: string, top: Top | number, log: (m: string) => void): Promise<void> {
  let seen = '';
  let last = '';
  const port = await waitFor(`the group "${label}" with exactly the demo's sockets`, async () => {
    const snap = await snapshot();
    const g = snap.pinned.find((x) => x.label === label);
    const now = JSON.stringify(g ? { count: g.count, note: g.note, pids: g.pids, sockets: groupKeys(g) } : null);
    if (now !== seen) { seen = now; log(`pinned: ${now}`); }
    if (!g) return undefined;
    // A followed group comes first (only other followed groups before it).
    assert.ok(snap.groups.slice(0, snap.groups.findIndex((x) => x.label === label)).every((x) => x.kind === 'pinned'), 'at the top');
    const server = demoServer(g.pids);
    if (server === undefined) { last = 'the demo server is not in the group'; return undefined; }
    const root = typeof top === 'number' ? top : top === 'server' ? server : parentOf(server)!;
    const tree = procTree(root);
    const expected = ssSockets(tree);
    // The demo's port: the server's listener the worker is connected to (the server may listen
    // on an inspector port too, js-debug's watchdog connected to it).
    const worker = tree.find((pid) => argvOf(pid).includes('worker'));
    const listens = [...expected].filter(([k, h]) => k.startsWith('tcp LISTEN ') && h.includes(server)).map(([k]) => Number(k.split(' ')[2].split('->')[0]));
    const p = listens.find((l) => [...expected].some(([k, h]) => k.startsWith('tcp ESTAB ') && k.endsWith(`->${l}`) && worker !== undefined && h.includes(worker)));
    if (p === undefined) { last = 'the worker is not connected to the server yet'; return undefined; }
    const demo = [...expected.keys()].filter((k) => k.startsWith('tcp ') && (k.includes(` ${p}->`) || k.endsWith(`->${p}`)));
    if (demo.length !== 5) { last = `ss shows ${demo.length} sockets of the demo's port, not its 5`; return undefined; }
    const want = [...expected.keys()].sort();
    const have = groupKeys(g);
    last = `pids ${JSON.stringify([...g.pids].sort())} vs ${JSON.stringify([...tree].sort())}; sockets ${JSON.stringify(have)} vs ss ${JSON.stringify(want)}`;
    if (JSON.stringify([...g.pids].sort((a, b) => a - b)) !== JSON.stringify([...tree].sort((a, b) => a - b))) return undefined;
    if (JSON.stringify(have) !== JSON.stringify(want)) return undefined;
    log(`${label}: ${tree.length} processes from ${root} (${argvOf(root).join(' ')}), ${have.length} sockets, demo port ${p}`);
    return p;
  }, 60_000).catch((e: Error) => { throw new Error(`${e.message}: ${last}`); });
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
    await checkGroup('Follow demo', 'server', (m) => t.log(m));
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
    await checkGroup('Follow demo (terminal)', 'its shell', (m) => t.log(m));
  } finally {
    await vscode.debug.stopDebugging(session);
  }
  await gone('Follow demo (terminal)');
  for (const term of vscode.window.terminals) term.dispose();
}, { timeoutMs: 120_000 });

/** A free loopback TCP port (the kernel picks it; closed again before use). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * Starts the demo with `inspect` (its own process group, so the finally ends the worker too),
 * attaches the sample's "Follow demo (attach)" configuration with `override(pid, port)` on a port
 * picked now (the sample's fixed one could be taken), checks the group, detaches and checks the
 * program still runs.
 */
async function attachCase(inspect: (port: number) => string, override: (pid: number, port: number) => Partial<vscode.DebugConfiguration>, log: (m: string) => void, ready: RegExp): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0];
  const name = 'Follow demo (attach)';
  const config = vscode.workspace.getConfiguration('launch', folder).get<vscode.DebugConfiguration[]>('configurations', []).find((c) => c.name === name);
  assert.ok(config, `the sample workspace's "${name}" configuration`);
  const port = await freePort();
  // ELECTRON_RUN_AS_NODE: under desktop VS Code (test:electron) process.execPath is Electron.
  const demo = spawn(process.execPath, [inspect(port), 'server.js'], { cwd: workspaceFile('follow-demo').fsPath, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  let output = '';
  demo.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  demo.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  try {
    await waitFor('the demo and its worker', () => ready.test(output) && output.includes('connected to'), 20_000)
      .catch((e: Error) => { throw new Error(`${e.message}: ${output}`); });
    const started = new Promise<vscode.DebugSession>((resolve) => {
      const sub = vscode.debug.onDidStartDebugSession((s) => { if (!s.parentSession) { sub.dispose(); resolve(s); } });
    });
    assert.ok(await vscode.debug.startDebugging(folder, { ...config, ...override(demo.pid!, port) }), 'the attach session starts');
    const session = await started;
    try {
      await checkGroup(name, demo.pid!, log);
    } finally {
      await vscode.debug.stopDebugging(session);
    }
    await gone(name);
    assert.equal(demo.exitCode, null, 'detaching left the program running');
    assert.ok(argvOf(demo.pid!).includes('server.js'), 'the program is still there');
  } finally {
    try { process.kill(-demo.pid!, 'SIGKILL'); } catch { /* gone already */ }
  }
}

test('Follow: attaching by port to a program started with --inspect follows it; detaching leaves it running', async (t) => {
  await ready();
  await attachCase((port) => `--inspect=127.0.0.1:${port}`, (_pid, port) => ({ port }), (m) => t.log(m), /Debugger listening/);
}, { timeoutMs: 120_000 });

test('Follow: a task\'s group holds its process tree and goes when the task ends', async (t) => {
  await ready();
  const task = (await vscode.tasks.fetchTasks()).find((x) => x.name === 'Follow demo task');
  assert.ok(task, 'the sample workspace\'s task');
  const execution = await vscode.tasks.executeTask(task);
  try {
    await checkGroup('Task: Follow demo task', 'server', (m) => t.log(m));
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
    const shell = await term.processId;
    term.sendText('node server.js');
    await checkGroup('Terminal: follow-term', shell!, (m) => t.log(m));
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
