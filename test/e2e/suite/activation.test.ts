// The extension activates inside a real VS Code (code-server) and exposes its API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sockscopeExtension, waitFor, workspaceFile } from './sockscope';
import { test } from './registry';

test('opening an .ssq file activates Sockscope (onLanguage:ssq)', async (t) => {
  const ext = sockscopeExtension();
  const languages = (ext.packageJSON as { contributes?: { languages?: { id: string }[] } }).contributes?.languages ?? [];
  if (!languages.some((l) => l.id === 'ssq')) t.skip('package.json contributes no ssq language yet');
  const doc = await vscode.workspace.openTextDocument(workspaceFile('web.ssq'));
  await vscode.window.showTextDocument(doc);
  assert.equal(doc.languageId, 'ssq');
  await waitFor('the extension to become active', () => ext.isActive, 15_000);
  await ext.exports.ready;
});

test('activate() returns the Sockscope API and registers the refresh command', async () => {
  const ext = sockscopeExtension();
  const api = await ext.activate();
  assert.ok(api && typeof api.ready?.then === 'function', 'exports.ready is a promise');
  await api.ready;
  assert.ok(ext.isActive);
  const commands = await vscode.commands.getCommands(true);
  const declared = ((ext.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command);
  assert.ok(declared.includes('sockscope.refresh'));
  const missing = declared.filter((c) => !commands.includes(c));
  assert.deepEqual(missing, [], 'every command declared in package.json is registered after activation');
});
