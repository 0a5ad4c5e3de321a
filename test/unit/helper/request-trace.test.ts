import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { requestTrace } from '../../../src/helper/request-trace';

test('the trace is off without a file, and with one writes methods, times and view totals, never parameters', () => {
  assert.equal(requestTrace(''), undefined);
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-trace-'));
  try {
    const file = join(dir, 'trace.log');
    const t = requestTrace(file)!;
    t.answered('view/update', 97.25, false);
    t.answered('kill', 3, true);
    t.sent('view/changed', { reset: true, total: 8335, pages: [{ rows: ['secret'] }] });
    t.sent('findings/changed', { findings: ['secret'] });
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(' ').slice(2).join(' '));
    assert.deepEqual(lines, ['request view/update 97.3 ms', 'request kill 3.0 ms failed', 'notify view/changed reset=true total=8335', 'notify findings/changed']);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a trace that cannot be written does not throw', () => {
  const t = requestTrace('/nonexistent-dir/trace.log')!;
  assert.doesNotThrow(() => t.answered('view/update', 1, false));
});
