// esbuild.js stops with the missing entry points named, instead of skipping them (and leaving a stale dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

test('a missing entry point fails the build, naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-esbuild-'));
  try {
    copyFileSync(join(ROOT, 'esbuild.js'), join(dir, 'esbuild.js'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    // Every source but the helper's entry point.
    mkdirSync(join(dir, 'src'));
    symlinkSync(join(ROOT, 'src', 'client'), join(dir, 'src', 'client'));
    symlinkSync(join(ROOT, 'src', 'cli'), join(dir, 'src', 'cli'));
    const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /entry points not found: .*src\/helper\/main\.ts/);
    assert.doesNotMatch(r.stderr, /src\/client\/extension\.ts/);
    assert.equal(existsSync(join(dir, 'dist')), false, 'nothing was built');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
