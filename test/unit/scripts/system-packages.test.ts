// scripts/system-packages.mjs, run as npm test runs it (a child node process): an ordinary user is stopped at
// once with the packages and the command; root with apt-get gets them installed (a stand-in apt-get on PATH
// that records its arguments and creates the file the package provides).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MODULE = resolve(__dirname, '../../../scripts/system-packages.mjs');

function runEnsure(list: unknown[], opts: { uid?: number; path?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const code = `import { ensureSystemPackages } from ${JSON.stringify(MODULE)};
ensureSystemPackages(['system'], { list: ${JSON.stringify(list)} });
console.log('continued');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: { ...process.env, PATH: opts.path ?? process.env.PATH },
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid, cwd: '/' } : {}),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('every package of the list is installed on this machine (npm test would have installed it)', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { missingPackages } from ${JSON.stringify(MODULE)};
console.log(JSON.stringify(missingPackages(['build', 'typecheck', 'lint', 'unit', 'system', 'lsp', 'e2e'])));`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
});

test('an ordinary user is stopped at once, with the missing packages and the command that installs them', { skip: process.getuid?.() !== 0 && 'needs root to run a child as nobody' }, () => {
  const list = [
    { pkg: 'sockscope-test-absent', provides: ['/nonexistent/sockscope-test'], stages: ['system'], why: 'a test' },
    { pkg: 'sockscope-test-e2e-only', provides: ['/nonexistent/other'], stages: ['e2e'], why: 'not needed by system' },
  ];
  const r = runEnsure(list, { uid: 65534 });
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stdout, /continued/);
  assert.match(r.stderr, /missing system packages the tests need:\n {2}sockscope-test-absent: a test/);
  assert.match(r.stderr, /sudo apt-get install -y sockscope-test-absent\n/);
  assert.doesNotMatch(r.stderr, /e2e-only/);
});

test('root with apt-get: installs the missing packages, says so, and goes on', { skip: process.getuid?.() !== 0 && 'needs root' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-apt-'));
  try {
    const provided = join(dir, 'provided');
    const calls = join(dir, 'calls');
    const apt = join(dir, 'apt-get');
    writeFileSync(apt, `#!/bin/sh\necho "$*" >> ${JSON.stringify(calls)}\n[ "$1" = install ] && touch ${JSON.stringify(provided)}\nexit 0\n`);
    chmodSync(apt, 0o755);
    const r = runEnsure([{ pkg: 'sockscope-test-pkg', provides: [provided], stages: ['system'], why: 'a test' }], { path: `${dir}:${process.env.PATH}` });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /installing what the tests need and this machine lacks: sockscope-test-pkg/);
    assert.match(r.stdout, /continued/);
    const lines = readFileSync(calls, 'utf8').trim().split('\n');
    assert.equal(lines[0], '--version');
    assert.deepEqual(lines.slice(1), ['update -q', 'install -y -q --no-install-recommends sockscope-test-pkg']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's requirements name every package of the list", () => {
  const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
  const requirements = readme.slice(readme.indexOf('## Requirements'), readme.indexOf('## Quick start'));
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { SYSTEM_PACKAGES } from ${JSON.stringify(MODULE)}; console.log(JSON.stringify(SYSTEM_PACKAGES.map((p) => p.pkg)));`], { encoding: 'utf8' });
  for (const pkg of JSON.parse(r.stdout) as string[]) assert.ok(requirements.includes(`\`${pkg}\``), `README's requirements do not name ${pkg}`);
});
