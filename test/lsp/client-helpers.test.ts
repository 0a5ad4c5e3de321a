// The language client's helpers that need no VS Code: shell word splitting/quoting for pasted
// queries, and the fallback runner that spawns the built CLI for "Run".
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { runCli } from '../../src/client/language/cliRunner';
import { shellQuote, shellWords } from '../../src/client/language/shellWords';
import { ROOT } from './harness';

test('shellWords splits a pasted command line like a POSIX shell', () => {
  assert.deepEqual(shellWords(`ss -tanp state established '( dport = :443 )'`), ['ss', '-tanp', 'state', 'established', '( dport = :443 )']);
  assert.deepEqual(shellWords(`src "/tmp/a b" dst\\ x ''`), ['src', '/tmp/a b', 'dst x', '']);
  assert.deepEqual(shellWords('  -t\n  sport = :22  '), ['-t', 'sport', '=', ':22']);
});

test('shellQuote quotes only what needs it', () => {
  assert.equal(shellQuote('-tan'), '-tan');
  assert.equal(shellQuote('( dport = :443 )'), `'( dport = :443 )'`);
  assert.equal(shellQuote(`it's`), `'it'\\''s'`);
  assert.deepEqual(shellWords(shellQuote(`a 'b' "c"`)), [`a 'b' "c"`]);
});

test('runCli runs dist/cli.js --json and reports the count', { skip: !existsSync(`${ROOT}/dist/cli.js`) && 'dist/cli.js is not built' }, async () => {
  const r = await runCli(ROOT, "ss -tl '( sport >= :1 )'");
  assert.equal(r.count, r.lines.length);
  assert.ok(r.elapsedMs >= 0);
  assert.ok(r.lines.every((l) => l.startsWith('tcp LISTEN ')));
  await assert.rejects(runCli(ROOT, 'state listen'));
});
