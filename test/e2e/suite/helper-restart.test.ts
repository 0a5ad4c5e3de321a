// The helper inside a real VS Code: it runs as a child of the extension host, and when it is
// killed during a watch the client restarts it and the Sockets view recovers (shows sockets opened
// after the crash).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { SocketsViewSnapshot } from '../../../src/client/tree/sockets-view-setup';
import { sockscopeExtension, waitFor } from './sockscope';
import { test } from './registry';

/** The helper process started by this extension host (directly; as root on CI there is no sudo in between). */
function helperPid(): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('dist/helper.js')) return Number(name);
    } catch { /* gone */ }
  }
  return undefined;
}

async function listener(): Promise<{ port: number; close(): void }> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

const snapshot = async (): Promise<SocketsViewSnapshot> => vscode.commands.executeCommand<SocketsViewSnapshot>('sockscope.sockets.snapshot', 5000);

test('a killed helper is restarted and the Sockets view recovers', async (t) => {
  await sockscopeExtension().activate();
  const commands = await vscode.commands.getCommands(true);
  if (!commands.includes('sockscope.sockets.snapshot')) t.skip('the Sockets view is not wired into activate() yet');
  await vscode.commands.executeCommand('sockscope.sockets.focus');
  const a = await listener();
  const b = await listener();
  try {
    await vscode.commands.executeCommand('sockscope.filter', `sport = :${a.port} or sport = :${b.port}`);
    await waitFor('the first listener in the view', async () => (await snapshot()).sockets.some((s) => s.localPort === a.port), 15_000);
    const before = await waitFor('the helper process', () => helperPid(), 5_000);
    t.log(`killing helper ${before}`);
    process.kill(before, 'SIGKILL');
    b.close();
    const c = await listener();
    try {
      await vscode.commands.executeCommand('sockscope.filter', `sport = :${a.port} or sport = :${c.port}`);
      await waitFor('a socket opened after the crash', async () => (await snapshot()).sockets.some((s) => s.localPort === c.port), 30_000);
      const after = helperPid();
      assert.ok(after && after !== before, `a new helper runs (${after})`);
    } finally {
      c.close();
    }
  } finally {
    a.close();
    b.close();
    await vscode.commands.executeCommand('sockscope.clearFilter');
  }
}, { timeoutMs: 60_000 });
