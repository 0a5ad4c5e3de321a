// Time travel inside a real VS Code: a recording made by `sockscope record` in the test (a listener
// and a connection of this process, then closed) opens with Open Recording; Show Sockets at This
// Moment shows its sockets in the Sockets view, marked as history; Return to Live shows the live
// sockets again; Compare with Now lists the connection as gone. The live recorder's state is there too.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SocketsViewSnapshot } from '../../../src/client/tree/sockets-view-setup';
import type { RecordingState } from '../../../src/client/history/live-recording';
import { sockscopeExtension, waitFor } from './sockscope';
import { test } from './registry';

const snapshot = async (): Promise<SocketsViewSnapshot> => (await vscode.commands.executeCommand<SocketsViewSnapshot>('sockscope.sockets.snapshot', 5000));

test('time travel: Open Recording, Show Sockets at This Moment (marked as history), Compare with Now, Return to Live', async (t) => {
  const ext = sockscopeExtension();
  await ext.activate();
  await vscode.commands.executeCommand('sockscope.sockets.focus');
  await vscode.commands.executeCommand('sockscope.clearFilter');
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-e2e-history-'));
  const db = join(dir, 'recorded.db');
  const server = net.createServer((s) => s.on('error', () => undefined));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => undefined);
  try {
    await new Promise<void>((r) => client.once('connect', () => r()));
    // Two seconds of the host's sockets on that port, recorded by the CLI as a server would.
    const rec = spawnSync(process.execPath, [join(ext.extensionPath, 'dist', 'cli.js'), 'record', '--db', db, '--interval', '300ms', '--duration', '2s', '-t',
      `( sport = :${port} or dport = :${port} )`], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(rec.status, 0, rec.stderr);
    client.destroy();
    server.close();

    const opened = await vscode.commands.executeCommand<{ recordingId: string; from: number; to: number; sockets: number }>('sockscope.history.openRecording', { path: db });
    assert.ok(opened && opened.from !== null && opened.to !== null, JSON.stringify(opened));
    t.log(`recording ${opened.recordingId}: ${opened.sockets} sockets from ${new Date(opened.from).toISOString()} to ${new Date(opened.to).toISOString()}`);
    assert.equal(opened.sockets, 3, 'the listener and both ends of the connection');

    const shown = await vscode.commands.executeCommand<{ recordingId: string; at: number; total: number }>('sockscope.history.showMoment', { recordingId: opened.recordingId, at: opened.to });
    assert.equal(shown.total, 3);
    const past = await waitFor('the Sockets view at the recorded moment', async () => {
      const s = await snapshot();
      return s.description?.startsWith('History · ') && s.total === 3 ? s : undefined;
    }, 15_000);
    assert.match(past.message ?? '', /^History · .* \(read only\)/);
    const ports = past.sockets.map((s) => `${s.state} ${s.localPort}->${s.peerPort}`).sort();
    t.log(`recorded sockets: ${ports.join(', ')}`);
    assert.ok(past.sockets.some((s) => s.state === 'LISTEN' && s.localPort === port), JSON.stringify(past.sockets));
    assert.equal(past.sockets.filter((s) => s.state === 'ESTAB' && (s.localPort === port || s.peerPort === port)).length, 2);
    // Grouping still works on history.
    await vscode.commands.executeCommand('sockscope.groupByState');
    const byState = await waitFor('grouped by state', async () => { const s = await snapshot(); return s.groupBy === 'state' && s.groups.length === 2 ? s : undefined; }, 10_000);
    assert.deepEqual(byState.groups.map((g) => [g.label, g.count]), [['ESTAB', 2], ['LISTEN', 1]]);
    await vscode.commands.executeCommand('sockscope.groupByProcess');

    const report = await vscode.commands.executeCommand<string>('sockscope.history.compareWithNow', { recordingId: opened.recordingId, at: opened.from });
    assert.match(report, /Appeared \(0\)/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    const state = await vscode.commands.executeCommand<RecordingState & { moment?: { label: string } }>('sockscope.history.recordingSnapshot');
    assert.ok(state.moment?.label, 'the moment shown');
    t.log(`live recorder: ${JSON.stringify(state)}`);

    await vscode.commands.executeCommand('sockscope.history.returnToLive');
    const live = await waitFor('the live Sockets view', async () => { const s = await snapshot(); return !s.description?.startsWith('History') && s.total > 0 ? s : undefined; }, 15_000);
    assert.ok(!live.sockets.some((s) => s.localPort === port && s.state === 'LISTEN'), 'the closed listener is not live');
  } finally {
    client.destroy();
    server.close();
    await vscode.commands.executeCommand('sockscope.history.returnToLive');
    rmSync(dir, { recursive: true, force: true });
  }
}, { timeoutMs: 60_000 });
