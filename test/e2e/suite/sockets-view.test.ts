// The Sockets view inside a real VS Code: grouping, filtering, counts, context actions (Copy as
// ss filter checked against real ss, kill socket on a test connection), namespace switch and a
// live tcp_info chart. The test opens its own sockets in the extension host process.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { SocketsViewSnapshot } from '../../../src/client/tree/sockets-view-setup';
import type { SocketRecord } from '../../../src/protocol/socket-record';
import { sockscopeExtension, waitFor } from './sockscope';
import { test } from './registry';

const snapshot = async (limit = 5000): Promise<SocketsViewSnapshot> =>
  (await vscode.commands.executeCommand<SocketsViewSnapshot>('sockscope.sockets.snapshot', limit));

async function ready(t: { skip(reason: string): never }): Promise<void> {
  await sockscopeExtension().activate();
  const commands = await vscode.commands.getCommands(true);
  if (!commands.includes('sockscope.sockets.snapshot')) t.skip('the Sockets view is not wired into activate() yet');
  await vscode.commands.executeCommand('sockscope.sockets.focus');
  await vscode.commands.executeCommand('sockscope.clearFilter');
}

interface Pair { server: net.Server; client: net.Socket; accepted: net.Socket; port: number; close(): void }

async function openPair(): Promise<Pair> {
  let accepted!: net.Socket;
  const server = net.createServer();
  const gotConn = new Promise<void>((resolve) => {
    server.on('connection', (s) => { accepted = s; s.on('error', () => undefined); resolve(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => undefined);
  await new Promise<void>((r) => client.once('connect', () => r()));
  await gotConn;
  return { server, client, accepted, port, close: () => { client.destroy(); accepted.destroy(); server.close(); } };
}

const findSocket = (snap: SocketsViewSnapshot, pred: (s: SocketRecord) => boolean): SocketRecord | undefined => snap.sockets.find(pred);

test('Sockets view groups by process and by state, with counts, and shows our own sockets', async (t) => {
  await ready(t);
  const pair = await openPair();
  try {
    await vscode.commands.executeCommand('sockscope.groupByProcess');
    await vscode.commands.executeCommand('sockscope.filter', `sport = :${pair.port} or dport = :${pair.port}`);
    // Watches keep the process map incrementally: a socket opened since the helper's last look at
    // /proc may sit under the unknown group for one refresh, then moves to its process.
    const snap = await waitFor('our three sockets in the view, under this process', async () => {
      const s = await snapshot();
      return s.visible >= 3 && s.groups.find((g) => g.pid === process.pid)?.count === 3 ? s : undefined;
    }, 15_000);
    assert.equal(snap.groupBy, 'process');
    assert.equal(snap.visible, 3);
    const mine = snap.groups.find((g) => g.pid === process.pid);
    assert.ok(mine, `a group for this process (pid ${process.pid}): ${JSON.stringify(snap.groups)}`);
    assert.equal(mine.count, 3);
    assert.match(mine.label, new RegExp(`\\(${process.pid}\\)$`));
    assert.deepEqual(Object.fromEntries(snap.counts), { ESTAB: 2, LISTEN: 1 });
    assert.match(snap.description ?? '', new RegExp(`sport = :${pair.port}`));
    await vscode.commands.executeCommand('sockscope.groupByState');
    const byState = await snapshot();
    assert.deepEqual(byState.groups.map((g) => [g.label, g.count]), [['ESTAB', 2], ['LISTEN', 1]]);
    await vscode.commands.executeCommand('sockscope.groupByFlat');
    assert.equal((await snapshot()).groups.length, 1);
  } finally {
    await vscode.commands.executeCommand('sockscope.groupByProcess');
    await vscode.commands.executeCommand('sockscope.clearFilter');
    pair.close();
  }
}, { timeoutMs: 40_000 });

test('filter: invalid text is refused with its column, exposed-listeners filter, clear', async (t) => {
  await ready(t);
  const wide = net.createServer();
  await new Promise<void>((r) => wide.listen(0, '0.0.0.0', r));
  const widePort = (wide.address() as net.AddressInfo).port;
  const narrow = net.createServer();
  await new Promise<void>((r) => narrow.listen(0, '127.0.0.1', r));
  const narrowPort = (narrow.address() as net.AddressInfo).port;
  try {
    const before = (await snapshot()).filter;
    await vscode.commands.executeCommand('sockscope.filter', 'dport >');
    assert.equal((await snapshot()).filter, before, 'an invalid filter is not applied');
    await vscode.commands.executeCommand('sockscope.filterExposedListeners');
    const exposed = await waitFor('our wildcard listener among exposed listeners', async () => {
      const s = await snapshot();
      return s.exposedOnly && findSocket(s, (x) => x.localPort === widePort) ? s : undefined;
    }, 15_000);
    assert.equal(findSocket(exposed, (x) => x.localPort === narrowPort), undefined, 'a loopback listener is not exposed');
    assert.ok(exposed.sockets.every((s) => s.state === 'LISTEN' || s.state === 'UNCONN'));
    assert.match(exposed.description ?? '', /exposed listeners/);
    await vscode.commands.executeCommand('sockscope.clearFilter');
    const cleared = await snapshot();
    assert.equal(cleared.filter, '');
    assert.equal(cleared.exposedOnly, false);
    assert.equal(cleared.description, undefined);
  } finally {
    wide.close();
    narrow.close();
  }
}, { timeoutMs: 40_000 });

test('Copy as ss filter: real ss accepts it and selects exactly that socket; Copy as JSON', async (t) => {
  await ready(t);
  const pair = await openPair();
  try {
    await vscode.commands.executeCommand('sockscope.filter', `sport = :${pair.port}`);
    const snap = await waitFor('the server-side sockets', async () => {
      const s = await snapshot();
      return s.visible >= 2 ? s : undefined;
    }, 15_000);
    for (const s of snap.sockets) {
      const filter = await vscode.commands.executeCommand<string>('sockscope.copySsFilter', s.cookie);
      assert.equal(await vscode.env.clipboard.readText(), filter);
      const out = execFileSync('ss', ['-H', '-n', '-e', ...filter.split(' ')], { encoding: 'utf8' }).split('\n').filter((l) => l.trim());
      assert.equal(out.length, 1, `ss ${filter}:\n${out.join('\n')}`);
      assert.match(out[0], new RegExp(`sk:${s.cookie}\\b`));
    }
    const json = await vscode.commands.executeCommand<string>('sockscope.copyJson', snap.sockets[0].cookie);
    assert.equal((JSON.parse(json) as SocketRecord).cookie, snap.sockets[0].cookie);
    const portFilter = await vscode.commands.executeCommand<string>('sockscope.filterToPort', snap.sockets[0].cookie);
    assert.equal(portFilter, `( sport = :${pair.port} or dport = :${pair.port} )`);
    assert.equal((await snapshot()).filter, portFilter);
  } finally {
    await vscode.commands.executeCommand('sockscope.clearFilter');
    pair.close();
  }
}, { timeoutMs: 40_000 });

test('Kill socket destroys a test connection (SOCK_DESTROY)', async (t) => {
  await ready(t);
  const pair = await openPair();
  try {
    await vscode.commands.executeCommand('sockscope.filter', `state established sport = :${pair.port}`);
    const target = await waitFor('the accepted connection', async () => (await snapshot()).sockets[0], 15_000);
    const closed = new Promise<string>((resolve) => {
      pair.accepted.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      pair.accepted.once('close', () => resolve('close'));
    });
    const result = await vscode.commands.executeCommand<string>('sockscope.killSocket', { cookie: target.cookie, skipConfirmation: true });
    if (result !== 'killed' && /SOCK_DESTROY|EOPNOTSUPP|NotSupported/i.test(result ?? '')) t.skip(`kernel cannot destroy sockets: ${result}`);
    assert.equal(result, 'killed');
    pair.accepted.write('x');
    const how = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still open'), 5000))]);
    assert.notEqual(how, 'still open');
    await waitFor('the killed socket to leave the view', async () => ((await snapshot()).sockets.some((s) => s.cookie === target.cookie) ? undefined : true), 15_000);
  } finally {
    await vscode.commands.executeCommand('sockscope.clearFilter');
    pair.close();
  }
}, { timeoutMs: 40_000 });

test('namespace switch: the view shows a namespace the test creates', async (t) => {
  await ready(t);
  const name = `sockscope-e2etree-${process.pid}-1`;
  let holder: ChildProcess | undefined;
  try {
    const add = spawnSync('ip', ['netns', 'add', name]);
    if (add.status !== 0) t.skip(`cannot create a network namespace: ${add.stderr.toString()}`);
    spawnSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    holder = spawn('ip', ['netns', 'exec', name, 'python3', '-c',
      'import socket,sys\ns=socket.socket()\ns.bind(("127.0.0.1", 7391))\ns.listen()\nprint("up", flush=True)\nsys.stdin.read()'], { stdio: ['pipe', 'pipe', 'ignore'] });
    await new Promise<void>((resolve) => holder!.stdout!.once('data', () => resolve()));
    await vscode.commands.executeCommand('sockscope.pickNamespace', name);
    const snap = await waitFor('the listener inside the namespace', async () => {
      const s = await snapshot();
      return s.netns === name && findSocket(s, (x) => x.localPort === 7391 && x.state === 'LISTEN') ? s : undefined;
    }, 15_000);
    assert.match(snap.description ?? '', new RegExp(`netns ${name}`));
    const filter = await vscode.commands.executeCommand<string>('sockscope.copySsFilter', findSocket(snap, (x) => x.localPort === 7391)!.cookie);
    assert.match(filter, new RegExp(`^-N ${name} -t -4 state listening src 127\\.0\\.0\\.1:7391$`));
  } finally {
    await vscode.commands.executeCommand('sockscope.pickNamespace', 'host').then(undefined, () => undefined);
    holder?.stdin?.end();
    holder?.kill();
    spawnSync('ip', ['netns', 'del', name]);
  }
}, { timeoutMs: 40_000 });

test('Chart tcp_info samples a live connection and keeps the data after it closes', async (t) => {
  await ready(t);
  const pair = await openPair();
  const payload = Buffer.alloc(64 * 1024, 1);
  const pump = setInterval(() => pair.client.write(payload), 20);
  pair.accepted.on('data', () => undefined);
  try {
    await vscode.workspace.getConfiguration('sockscope').update('chart.sampleRate', 5, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('sockscope.filter', `state established dport = :${pair.port}`);
    const client = await waitFor('the client socket', async () => (await snapshot()).sockets[0], 15_000);
    const opened = await vscode.commands.executeCommand<{ cookies: string[] }>('sockscope.chartTcpInfo', client.cookie);
    assert.deepEqual(opened.cookies, [client.cookie]);
    const chart = await waitFor('several samples', async () => (await snapshot()).charts.find((c) => c.cookies.length === 1 && c.cookies[0] === client.cookie && c.rows >= 5), 15_000);
    assert.deepEqual(chart.closed, []);
    const csvPath = `/tmp/sockscope-e2e-chart-${process.pid}.csv`;
    assert.equal(await vscode.commands.executeCommand('sockscope.charts.exportCsv', csvPath), csvPath);
    const csv = readFileSync(csvPath, 'utf8').trim().split('\n');
    rmSync(csvPath, { force: true });
    assert.match(csv[0], /^time,socket,cookie,rtt,rttvar,min_rtt,cwnd,/);
    assert.ok(csv.length >= 6, `csv has ${csv.length} lines`);
    assert.ok(csv.slice(1).every((l) => l.includes(`,${client.cookie},`)));
    await vscode.commands.executeCommand('sockscope.filter', `state established ( dport = :${pair.port} or sport = :${pair.port} )`);
    const server = await waitFor('the server side too', async () => {
      const s = await snapshot();
      return s.sockets.length === 2 ? s.sockets.find((x) => x.cookie !== client.cookie) : undefined;
    }, 15_000);
    const both = await vscode.commands.executeCommand<{ cookies: string[] }>('sockscope.chartTcpInfo', [client.cookie, server.cookie]);
    assert.deepEqual(both.cookies, [client.cookie, server.cookie]);
    await waitFor('samples of both sockets', async () => (await snapshot()).charts.find((c) => c.cookies.length === 2 && c.rows >= 2), 15_000);
    clearInterval(pump);
    pair.close();
    const after = await waitFor('the chart to notice the close', async () => (await snapshot()).charts.find((c) => c.cookies.length === 1 && c.cookies[0] === client.cookie && c.closed.length === 1), 15_000);
    assert.ok(after.rows >= chart.rows, 'data is kept after the socket closed');
  } finally {
    clearInterval(pump);
    pair.close();
    await vscode.workspace.getConfiguration('sockscope').update('chart.sampleRate', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('sockscope.clearFilter');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
}, { timeoutMs: 40_000 });
