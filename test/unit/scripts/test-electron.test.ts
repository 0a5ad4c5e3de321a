// `npm run test:electron` says plainly that it cannot run where VS Code cannot be fetched, and runs nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const SCRIPT = resolve(__dirname, '../../../scripts/test-electron.mjs');

function run(env: Record<string, string>): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [SCRIPT, '--no-build'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

test('no way to fetch VS Code: exit 1, the reason, and what to use instead', () => {
  // Port 9 (discard) on loopback: nothing listens, so the connection is refused at once.
  const r = run({ SOCKSCOPE_VSCODE_UPDATE_URL: 'http://127.0.0.1:9', SOCKSCOPE_VSCODE_EXECUTABLE: '' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot run: desktop VS Code stable cannot be downloaded here: http:\/\/127\.0\.0\.1:9 is not reachable/);
  assert.match(r.stderr, /needs internet access/);
  assert.match(r.stderr, /nothing was run\. `npm test` runs the same extension-host suite in code-server/);
  assert.doesNotMatch(r.stdout, /extension-host tests:/);
});

test('a given VS Code that does not exist: exit 1 naming it', () => {
  const r = run({ SOCKSCOPE_VSCODE_EXECUTABLE: '/nonexistent/code' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /SOCKSCOPE_VSCODE_EXECUTABLE=\/nonexistent\/code does not exist/);
});
