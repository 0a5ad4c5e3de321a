// sockscope's errors: one clear line on stderr naming the problem, exit status 2, no stack trace.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetns, type Netns } from './lib/netns';
import { buildCli, runCli, type RunResult } from './lib/ss';

let ns: Netns;
let tmp: string;

function assertUsageError(r: RunResult, pattern: RegExp): void {
  assert.equal(r.status, 2, `exit status (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line expected: ${r.stderr}`);
  assert.match(lines[0], /^sockscope: /);
  assert.match(lines[0], pattern);
  assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
}

describe('sockscope errors', { timeout: 60_000 }, () => {
  before(() => {
    buildCli();
    ns = createNetns('clierr');
    tmp = mkdtempSync(join(tmpdir(), 'sockscope-cli-errors-'));
  });
  after(() => {
    ns?.remove();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('unknown long option', () => assertUsageError(runCli(['--bogus']), /--bogus/));
  it('unknown short option', () => assertUsageError(runCli(['-tY']), /-?Y/));
  it('missing namespace', () => assertUsageError(runCli(['-N', 'sockscope-no-such-netns', '-tan']), /namespace "sockscope-no-such-netns" not found/));
  it('-N without a name', () => assert.equal(runCli(['-N']).status, 2));
  it('filter syntax error names the column', () => assertUsageError(runCli(['-N', ns.name, '-tan', 'sport', '=']), /^sockscope: filter error at column \d+: /));
  it('unknown state names the word', () => assertUsageError(runCli(['-N', ns.name, '-t', 'state', 'listen']), /listen/));
  it('-F with a missing file', () => assertUsageError(runCli(['-N', ns.name, '-t', '-F', join(tmp, 'none.ssq')]), /cannot read filter file .*none\.ssq: ENOENT/));
  it('-F with a bad expression names line and column', () => {
    const file = join(tmp, 'bad.ssq');
    writeFileSync(file, '# comment\nsport = :22 or\n  dport =\n');
    assertUsageError(runCli(['-N', ns.name, '-t', '-F', file]), /filter error at line \d+, column \d+ of .*bad\.ssq: /);
  });
  it('-h prints usage and exits 0', () => {
    const r = runCli(['-h']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: sockscope/);
  });
  it('-V prints the version and exits 0', () => {
    const r = runCli(['-V']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^sockscope \d+\.\d+\.\d+/);
  });
  it('an empty namespace prints only the header; --json an empty array', () => {
    const text = runCli(['-N', ns.name, '-tan']);
    assert.equal(text.status, 0, text.stderr);
    assert.equal(text.stdout.trim().split('\n').length, 1);
    const json = runCli(['-N', ns.name, '--json', '-tan']);
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), []);
  });
  it('-s prints a summary like ss -s', () => {
    const r = runCli(['-N', ns.name, '-s']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Total: \d+\nTCP: +\d+ \(estab \d+, closed \d+, orphaned \d+, timewait \d+\)\n\nTransport Total +IP +IPv6\n/);
  });
});
