// InodeTable against a Map under random inserts, overwrites and deletes (collisions and the
// backward-shift deletion included: a small table, keys drawn from a narrow range).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InodeTable } from '../../../src/host/inode-table';

describe('InodeTable', () => {
  it('agrees with a Map', () => {
    let seed = 12345;
    const rand = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
    for (const range of [50, 5000, 0xfffffff0]) {
      const t = new InodeTable(4);
      const m = new Map<number, number>();
      for (let step = 0; step < 20_000; step++) {
        const inode = 1 + rand(range);
        const op = rand(3);
        if (op === 0) { t.delete(inode); m.delete(inode); } else { const v = 1 + rand(1000); t.set(inode, v); m.set(inode, v); }
        if (step % 97 === 0) for (let k = 1; k <= 60; k++) assert.equal(t.get(k), m.get(k) ?? 0);
      }
      assert.equal(t.size, m.size);
      for (const [k, v] of m) assert.equal(t.get(k), v);
      assert.equal(t.get(0xffffffff), m.get(0xffffffff) ?? 0);
    }
  });
});
