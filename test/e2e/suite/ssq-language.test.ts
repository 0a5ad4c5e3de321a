// The .ssq language server inside a real VS Code: diagnostics as you type, quick fixes, completion,
// and a query run through its code lens.
import * as assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { sockscopeExtension, waitFor, workspaceFile } from './sockscope';
import { test } from './registry';

test('ssq: diagnostics, quick fix and completion from the language server', async () => {
  await sockscopeExtension().activate();
  const doc = await vscode.workspace.openTextDocument({ language: 'ssq', content: '[bad]\n-t state listen\n' });
  await vscode.window.showTextDocument(doc);
  const diag = await waitFor('an unknown-state diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find((d) => /listening/.test(d.message)), 20_000);
  assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
  assert.equal(diag.range.start.line, 1);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range);
  assert.ok(actions.some((a) => /listening/.test(a.title)), `quick fixes: ${actions.map((a) => a.title).join(', ')}`);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 9));
  const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  assert.ok(labels.includes('established') && labels.includes('listening'), labels.slice(0, 20).join(' '));
}, { timeoutMs: 40_000 });

test('ssq: code lenses on each query, and Run through the lens', async () => {
  await sockscopeExtension().activate();
  const uri = workspaceFile('web.ssq');
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  const lenses = await waitFor('code lenses', async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    return l && l.length > 0 ? l : undefined;
  }, 20_000);
  const titles = lenses.map((l) => l.command?.title);
  assert.ok(titles.includes('Run') && titles.includes('Run in terminal (ss)') && titles.includes('Apply to Sockets view'));
  const run = lenses.find((l) => l.command?.title === 'Run' && (l.command.arguments?.[0] as { name?: string })?.name === 'https-peers');
  assert.ok(run?.command, 'a Run lens for [https-peers]');
  assert.equal(run.command.command, 'sockscope.runQuery');
  assert.match((run.command.arguments?.[0] as { text: string }).text, /dport = :443/);
  const result = await vscode.commands.executeCommand<{ count: number; elapsedMs: number } | undefined>(run.command.command, ...(run.command.arguments ?? []));
  assert.ok(result && result.count >= 0 && result.elapsedMs >= 0, `Run reports a count and a time: ${JSON.stringify(result)}`);
  // The result is shown in the Sockets view: its filter is the query, its rows are the count.
  const snap = await vscode.commands.executeCommand<{ filter: string; sockets: unknown[] }>('sockscope.sockets.snapshot', 100_000);
  assert.match(snap.filter, /dport = :443/);
  assert.equal(snap.sockets.length, result.count);
}, { timeoutMs: 40_000 });

test('ssq: Apply to Sockets view through the code lens filters the Sockets view', async () => {
  await sockscopeExtension().activate();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const doc = await vscode.workspace.openTextDocument({ language: 'ssq', content: `[mine]\n-tl sport = :${port}\n` });
    await vscode.window.showTextDocument(doc);
    const apply = await waitFor('an Apply lens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return l?.find((x) => x.command?.command === 'sockscope.applyQuery');
    }, 20_000);
    await vscode.commands.executeCommand(apply.command!.command, ...(apply.command!.arguments ?? []));
    type Snapshot = { filter: string; sockets: { localPort: number; state: string; netid: string }[] };
    const snap = await waitFor('the Sockets view to show only our listener', async () => {
      const s = await vscode.commands.executeCommand<Snapshot>('sockscope.sockets.snapshot');
      return s && s.sockets.some((x) => x.localPort === port) ? s : undefined;
    }, 20_000);
    assert.match(snap.filter, new RegExp(`sport = :${port}`));
    assert.ok(snap.sockets.every((x) => x.localPort === port && x.netid === 'tcp' && x.state === 'LISTEN'), JSON.stringify(snap.sockets.slice(0, 5)));
  } finally {
    server.close();
  }
}, { timeoutMs: 60_000 });

test('ssq: completion offers the ports listening now, from the helper', async () => {
  await sockscopeExtension().activate();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const doc = await vscode.workspace.openTextDocument({ language: 'ssq', content: '[live]\n-tl sport = ' });
    await vscode.window.showTextDocument(doc);
    const item = await waitFor(`a completion for :${port}`, async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 12));
      return list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === `:${port}`);
    }, 20_000);
    assert.match(item.detail ?? '', new RegExp(`^:${port} — .*tcp LISTEN`));
  } finally {
    server.close();
  }
}, { timeoutMs: 40_000 });
