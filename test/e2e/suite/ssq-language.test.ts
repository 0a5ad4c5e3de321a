// The .ssq language server inside a real VS Code: diagnostics as you type, quick fixes, completion,
// and a query run through its code lens.
import * as assert from 'node:assert/strict';
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
  await vscode.commands.executeCommand(run.command.command, ...(run.command.arguments ?? []));
}, { timeoutMs: 40_000 });
