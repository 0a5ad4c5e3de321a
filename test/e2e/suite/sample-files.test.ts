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
  // Diagnostics arrive asynchronously from the language server, and "none" looks the same as "not yet": open
  // every file, then wait until each has diagnostics or a grace period has passed since they were opened.
  await Promise.all(files.map((uri) => vscode.workspace.openTextDocument(uri)));
  const opened = Date.now();
  await waitFor('diagnostics or the grace period', () => Date.now() - opened > 3000 || files.every((uri) => vscode.languages.getDiagnostics(uri).length > 0), 10_000);
  for (const uri of files) {
    for (const d of vscode.languages.getDiagnostics(uri)) {
      const where = `${uri.path.split('/').pop()}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      t.log(`${where} ${vscode.DiagnosticSeverity[d.severity]} ${d.message}`);
      if (d.severity === vscode.DiagnosticSeverity.Error) problems.push(`${where} ${d.message}`);
    }
  }
  assert.deepEqual(problems, []);
}, { timeoutMs: 30_000 });
