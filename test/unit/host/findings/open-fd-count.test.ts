// The findings count a process's descriptors from the size of /proc/PID/fd (Linux >= 6.2) rather
// than by listing it: the count must be the listing's.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, closeSync, readdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFdCount } from '../../../../src/host/findings/collect';

describe('open descriptor count', () => {
  it('is what listing /proc/self/fd gives, and follows opens and closes', () => {
    const listed = (): number => readdirSync('/proc/self/fd').length - 1; // less the listing's own
    const before = openFdCount('/proc/self/fd');
    assert.equal(before, listed());
    const fds = Array.from({ length: 50 }, () => openSync('/dev/null', 'r'));
    assert.equal(openFdCount('/proc/self/fd'), before + 50);
    for (const fd of fds) closeSync(fd);
    assert.equal(openFdCount('/proc/self/fd'), before);
  });

  it('lists a directory that is not procfs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sockscope-fd-'));
    try {
      for (const n of ['0', '1', '2']) writeFileSync(join(dir, n), '');
      assert.equal(openFdCount(dir, false), 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
