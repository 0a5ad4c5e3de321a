// The version is written once, in package.json: no source file repeats it, and the programs report it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOCKSCOPE_VERSION } from '../../../src/protocol/version';

const ROOT = join(__dirname, '../../..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.(ts|mjs|js)$/.test(e.name) ? [p] : [];
  });
}

test('src/protocol/version.ts is package.json\'s version', () => {
  assert.equal(SOCKSCOPE_VERSION, version);
});

test('no source file writes the version literally', () => {
  const literal = new RegExp(`['"\`]${version.replace(/\./g, '\\.')}['"\`]`);
  const offenders = sources(join(ROOT, 'src')).filter((f) => literal.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});
