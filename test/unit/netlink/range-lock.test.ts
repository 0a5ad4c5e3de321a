// Open file description locks: held per open file (two descriptors in one process conflict), seen by
// a query, released when the descriptor closes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rangeConflict, tryLockRange } from '../../../src/netlink/range-lock';

const dir = mkdtempSync(join(tmpdir(), 'sockscope-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a write lock on one descriptor keeps another out until it closes; read locks share', () => {
  const file = join(dir, 'f');
  writeFileSync(file, '');
  const a = openSync(file, 'r+');
  const b = openSync(file, 'r+');
  try {
    assert.equal(rangeConflict(b, 'write', 1000, 10), null);
    assert.equal(tryLockRange(a, 'write', 1000, 10), true);
    assert.equal(tryLockRange(b, 'read', 1005, 1), false, 'overlapping: refused');
    assert.equal(rangeConflict(b, 'read', 1005, 1), 'write');
    assert.equal(tryLockRange(b, 'write', 1010, 5), true, 'the next bytes are free');
    closeSync(a);
    assert.equal(tryLockRange(b, 'read', 1000, 10), true, 'closing the holder released it');
    const c = openSync(file, 'r');
    assert.equal(tryLockRange(c, 'read', 1000, 10), true, 'read locks share');
    assert.equal(rangeConflict(c, 'write', 1000, 10), 'read');
    closeSync(c);
  } finally {
    closeSync(b);
  }
});
