// "Sockscope: Install 'sockscope' Command in PATH" writes a launcher that runs the bundled CLI.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { sockscopeExtension } from './sockscope';
import { test } from './registry';

test("Install 'sockscope' Command in PATH: the launcher runs the bundled CLI", async () => {
  await (await sockscopeExtension().activate()).ready;
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-bin-'));
  try {
    const target = await vscode.commands.executeCommand<string | undefined>('sockscope.installCli', dir);
    assert.equal(target, join(dir, 'sockscope'));
    const version = String((sockscopeExtension().packageJSON as { version: string }).version);
    assert.match(execFileSync(target, ['--version'], { encoding: 'utf8' }), new RegExp(`^sockscope ${version.replace(/\./g, '\\.')} `));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
