// tcp_info samples of a charted socket in the live recording, inside a real VS Code: the extension's
// recorder follows the Sockets view; Chart tcp_info on a connection of this process makes the helper keep
// its tcp_info at each refresh (tcp_samples, read here from the recording file with bytes_acked growing);
// closing the chart stops it.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { RecordingState } from '../../../src/client/history/live-recording';
import type { SocketsViewSnapshot } from '../../../src/client/tree/sockets-view-setup';
import { Recording } from '../../../src/host/history/queries';
import { sockscopeExtension, waitFor } from './sockscope';
import { test } from './registry';

const snapshot = async (): Promise<SocketsViewSnapshot> => (await vscode.commands.executeCommand<SocketsViewSnapshot>('sockscope.sockets.snapshot', 5000));

/** bytes_acked of each sample of the socket on `localPort`, oldest first, read from the file. */
function samplesOf(path: string, localPort: number): Array<{ at: number; acked: number }> {
  const rec = new Recording(path, { shortLived: true });
  try {
    return rec.db.all<{ at: number; info: string }>(
      'SELECT t.at AS at, t.info AS info FROM tcp_samples t JOIN sockets s ON s.id = t.socket WHERE s.local_port = ? ORDER BY t.at', [localPort],
    ).map((r) => ({ at: Number(r.at), acked: Number((JSON.parse(r.info) as { bytes_acked?: number }).bytes_acked) }));
  } finally {
    rec.close();
  }
}

test('the live recording keeps tcp_info samples of a charted socket while its chart is open', async (t) => {
  await sockscopeExtension().activate();
  await vscode.commands.executeCommand('sockscope.sockets.focus');
  await vscode.commands.executeCommand('sockscope.clearFilter');
  let accepted: net.Socket | undefined;
  const server = net.createServer((s) => { accepted = s; s.on('error', () => undefined); s.on('data', () => undefined); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => undefined);
  const pump = setInterval(() => client.write(Buffer.alloc(4096, 1)), 50);
  try {
    await new Promise<void>((r) => client.once('connect', () => r()));
    await vscode.commands.executeCommand('sockscope.filter', `state established dport = :${port}`);
    const sock = await waitFor('the client socket', async () => (await snapshot()).sockets[0], 15_000);
    const state = await waitFor('the live recorder running', async () => {
      const s = await vscode.commands.executeCommand<RecordingState>('sockscope.history.recordingSnapshot');
      return s.recording ? s : undefined;
    }, 20_000);
    t.log(`recording into ${state.path}`);
    await vscode.commands.executeCommand('sockscope.chartTcpInfo', sock.cookie);
    const rows = await waitFor('three samples in the file', () => {
      const s = samplesOf(state.path, sock.localPort);
      return s.length >= 3 ? s : undefined;
    }, 30_000);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i].acked > rows[i - 1].acked, `bytes_acked grows: ${rows.map((r) => r.acked).join(' ')}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The chart closed: after the refresh that may be in flight, no more samples.
    await new Promise((r) => setTimeout(r, 3000));
    const settled = samplesOf(state.path, sock.localPort).length;
    await new Promise((r) => setTimeout(r, 5000));
    assert.equal(samplesOf(state.path, sock.localPort).length, settled, 'no samples after the chart closed');
    t.log(`${settled} samples while charted`);
  } finally {
    clearInterval(pump);
    client.destroy();
    accepted?.destroy();
    server.close();
    await vscode.commands.executeCommand('sockscope.clearFilter');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
}, { timeoutMs: 70_000 });
