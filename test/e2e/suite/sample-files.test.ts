// The sample workspace's .ssq files are valid: the language server reports no errors for them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sockscopeExtension, waitFor } from './sockscope';
import { test } from './registry';

test('sample-workspace .ssq files have no error diagnostics', async (t) => {
  await sockscopeExtension().activate();
  const files = await vscode.workspace.findFiles('**/*.ssq');
  assert.ok(files.length >= 3, `found ${files.length} sample .ssq files`);
  const problems: string[] = [];
  for (const uri of files) {
    await vscode.workspace.openTextDocument(uri);
    // Diagnostics arrive asynchronously from the language server; an empty list may also mean "not yet", so
    // wait until the server has published for this file or a short grace period passed.
    const started = Date.now();
    const diagnostics = await waitFor(`diagnostics for ${uri.path}`, () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length > 0 || Date.now() - started > 3000 ? d : undefined;
    }, 10_000);
    for (const d of diagnostics) {
      t.log(`${uri.path.split('/').pop()}:${d.range.start.line + 1}:${d.range.start.character + 1} ${vscode.DiagnosticSeverity[d.severity]} ${d.message}`);
      if (d.severity === vscode.DiagnosticSeverity.Error) problems.push(`${uri.path.split('/').pop()}:${d.range.start.line + 1} ${d.message}`);
    }
  }
  assert.deepEqual(problems, []);
}, { timeoutMs: 30_000 });
