// The `sockscope` launcher's compile cache: written privately on the first run, used by the next,
// replaced when unusable, and never taken from a directory other users could write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CACHES_KEPT, cacheDir } from '../../../src/cli/compile-cache';

const CLI = resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
const uid = process.getuid!();

function version(root: string): string {
  const r = spawnSync(process.execPath, [CLI, '-V'], { encoding: 'utf8', env: { ...process.env, SOCKSCOPE_COMPILE_CACHE_DIR: root } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function withRoot(fn: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'sockscope-cc-test-'));
  try { fn(root); } finally { rmSync(root, { recursive: true, force: true }); }
}

const hasBuiltinCache = typeof (require('node:module') as { enableCompileCache?: unknown }).enableCompileCache === 'function';

test('the first run writes a private cache, later runs give the same output', { skip: hasBuiltinCache && 'this Node caches compiled code itself' }, () => withRoot((root) => {
  const first = version(root);
  const dir = join(root, `sockscope-compile-cache-${uid}`);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const files = readdirSync(dir);
  assert.equal(files.length, 1);
  assert.match(files[0], /^cli-main-v\d+\.\d+\.\d+-\w+-\d+-\d+\.cache$/);
  assert.equal(statSync(join(dir, files[0])).mode & 0o777, 0o600);
  assert.ok(statSync(join(dir, files[0])).size > 10_000);
  assert.equal(version(root), first);
}));

test('a corrupt cache is ignored and replaced', { skip: hasBuiltinCache && 'this Node caches compiled code itself' }, () => withRoot((root) => {
  version(root);
  const dir = join(root, `sockscope-compile-cache-${uid}`);
  const [name] = readdirSync(dir);
  writeFileSync(join(dir, name), Buffer.from('not a code cache'));
  assert.match(version(root), /^sockscope /);
  assert.deepEqual(readdirSync(dir), [name]);
  assert.ok(statSync(join(dir, name)).size > 10_000);
}));

test('other builds keep their caches, up to the newest few', { skip: hasBuiltinCache && 'this Node caches compiled code itself' }, () => withRoot((root) => {
  const dir = join(root, `sockscope-compile-cache-${uid}`);
  mkdirSync(dir, { mode: 0o700 });
  // Five caches of other builds, oldest first (build 1 used 5 hours ago ... build 5 an hour ago).
  const others = [1, 2, 3, 4, 5].map((b) => `cli-main-v1.0.0-x64-${b}-${b}.cache`);
  others.forEach((f, i) => {
    writeFileSync(join(dir, f), 'another build', { mode: 0o600 });
    const t = Date.now() / 1000 - 3600 * (5 - i);
    utimesSync(join(dir, f), t, t);
  });
  writeFileSync(join(dir, 'unrelated.txt'), '');
  version(root);
  const kept = readdirSync(dir).sort();
  const mine = kept.filter((f) => !others.includes(f) && f !== 'unrelated.txt');
  assert.equal(mine.length, 1);
  // This build's cache, the three newest others, and a file that is not a cache.
  assert.equal(CACHES_KEPT, 4);
  assert.deepEqual(kept, [...others.slice(2), ...mine, 'unrelated.txt'].sort());
}));

test('a cache directory others can write, or that is not a directory, is not used', () => withRoot((root) => {
  const dir = join(root, `sockscope-compile-cache-${uid}`);
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  assert.equal(cacheDir(root), undefined);
  assert.match(version(root), /^sockscope /);
  assert.deepEqual(readdirSync(dir), []);
  rmSync(dir, { recursive: true });
  writeFileSync(dir, '');
  assert.equal(cacheDir(root), undefined);
  assert.match(version(root), /^sockscope /);
}));
