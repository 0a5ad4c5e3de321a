// The progress of a long install step (scripts/run-with-progress.mjs, used by setup-code-server.mjs): the
// terminal gets what is being installed and how far along; the log file gets everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RUNNER = resolve(__dirname, '../../../scripts/run-with-progress.mjs');
// What npm prints during code-server's install, shortened.
const NPM_LIKE = [
  '> argon2@0.44.0 install', '> cross-env ZERO_AR_DATE=1 node-gyp-build', 'gyp info it worked',
  '> code-server@4.139.1 postinstall', 'Installing Code dependencies...',
  '> @vscode/spdlog@0.15.8 install', '  CXX(target) Release/obj.target/spdlog/src/main.o', 'added 142 packages in 4m',
];

function run(exitCode: number): { status: number | null; stdout: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-progress-'));
  try {
    const log = join(dir, 'install.log');
    const script = `for (const l of ${JSON.stringify(NPM_LIKE)}) console.log(l); console.error('npm warn something'); process.exit(${exitCode});`;
    const r = spawnSync(process.execPath, [RUNNER, '--log', log, '--title', 'npm install code-server@4.139.1', '--expect', '17', '--', process.execPath, '-e', script], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, log: readFileSync(log, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('each install script shows on the terminal with its count; the log holds every line', () => {
  const r = run(0);
  assert.equal(r.status, 0);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^\[setup-code-server\] npm install code-server@4\.139\.1: 0\/17 install scripts · starting · \d+s$/);
  assert.ok(lines.some((l) => /: 1\/17 install scripts · install of argon2@0\.44\.0 · /.test(l)), r.stdout);
  assert.ok(lines.some((l) => /: 2\/17 install scripts · postinstall of code-server@4\.139\.1 · /.test(l)), r.stdout);
  assert.ok(lines.some((l) => /· Installing Code dependencies ·/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /: 3\/17 install scripts · install of @vscode\/spdlog@0\.15\.8 · /.test(l)), r.stdout);
  assert.match(lines[lines.length - 1], /· done · \d+s$/);
  assert.doesNotMatch(r.stdout, /CXX\(target\)|gyp info/, 'compiler noise stays in the log');
  for (const l of NPM_LIKE) assert.ok(r.log.includes(l), l);
  assert.match(r.log, /npm warn something/);
});

test('a failing step exits with its status and says so', () => {
  const r = run(3);
  assert.equal(r.status, 3);
  assert.match(r.stdout, /failed \(exit 3\)/);
});
