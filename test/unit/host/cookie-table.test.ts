// The store's cookie table against a Map: random sets, gets and deletes (with the backward shift
// of deletion and growth), cookies with and without a high word, colliding homes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CookieTable } from '../../../src/host/cookie-table';

test('agrees with a Map over random sets, gets and deletes', () => {
  let seed = 17;
  const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
  const t = new CookieTable(4);
  const m = new Map<string, number>();
  // Few distinct cookies so runs collide and deletions shift entries back.
  const cookie = (): [number, number] => [(rnd(300) * 0x9e3779b1) >>> 0, rnd(4) === 0 ? rnd(3) + 0xfffffff0 : 0];
  for (let i = 0; i < 20_000; i++) {
    const [lo, hi] = cookie();
    const k = `${lo}:${hi}`;
    const op = rnd(3);
    if (op === 0) { t.set(lo, hi, i); m.set(k, i); }
    else if (op === 1) { t.delete(lo, hi); m.delete(k); }
    else assert.equal(t.get(lo, hi), m.get(k) ?? -1, `get ${k} at step ${i}`);
    assert.equal(t.size, m.size);
  }
  for (const [k, v] of m) { const [lo, hi] = k.split(':').map(Number); assert.equal(t.get(lo, hi), v); }
  t.clear();
  assert.equal(t.size, 0);
  assert.equal(t.get(1, 0), -1);
});
