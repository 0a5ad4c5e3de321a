// ARCHITECTURE.md's layer table says what tools/eslint/layers.mjs enforces, and the paths it names exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');

async function layers(): Promise<Record<string, { may: string[] }>> {
  const mod = (await import(join(ROOT, 'tools/eslint/layers.mjs'))) as { LAYERS: Record<string, { may: string[] }> };
  return mod.LAYERS;
}

test('the layer table is the LAYERS table of the lint rule, row for row', async () => {
  const block = /<!-- layers:begin -->([\s\S]*?)<!-- layers:end -->/.exec(doc)?.[1];
  assert.ok(block, 'ARCHITECTURE.md has no layers:begin/end block');
  const rows = block.split('\n').filter((l) => /^\| `/.test(l)).map((l) => l.split('|').map((c) => c.trim()));
  const fromDoc = Object.fromEntries(rows.map(([, layer, may]) => [
    layer.replace(/`/g, ''),
    may === '(nothing)' ? [] : may.split(',').map((m) => m.trim().replace(/`/g, '')),
  ]));
  const fromLint = Object.fromEntries(Object.entries(await layers()).map(([k, v]) => [k, v.may]));
  assert.deepEqual(fromDoc, fromLint);
});

test('every folder of src/ has a row in the folder table', () => {
  for (const d of readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
    assert.match(doc, new RegExp(`\\| \`src/${d.name}(/<name>)?\` \\|`), `src/${d.name} is missing from ARCHITECTURE.md`);
  }
});

test('the files ARCHITECTURE.md names exist', () => {
  const paths = [...doc.matchAll(/`((?:src|test|scripts|tools|docs)\/[\w./-]+\.(?:ts|mjs|md|txt))`/g)].map((m) => m[1]);
  assert.ok(paths.length > 20);
  for (const p of new Set(paths)) assert.ok(existsSync(join(ROOT, p)), `ARCHITECTURE.md names ${p}, which does not exist`);
});
