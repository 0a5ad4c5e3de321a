// The shared process map: fresh() rescans unless very recent; budgeted() reuses a map while it is
// younger than four times its scan took.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProcessMapCache } from '../../../src/helper/server/processMapCache';

describe('ProcessMapCache', () => {
  it('rescans on a budget', () => {
    let now = 0;
    let scans = 0;
    const cache = new ProcessMapCache(() => { scans++; now += 1000; return { byInode: new Map(), unreadable: 0 }; }, () => now);
    cache.fresh();
    assert.equal(scans, 1);
    now += 100;
    cache.fresh();
    assert.equal(scans, 1, 'a map 100 ms old is fresh enough');
    now += 2000;
    cache.budgeted();
    assert.equal(scans, 1, 'a 1 s scan is reused for 4 s by watches');
    cache.fresh();
    assert.equal(scans, 2, 'a one-shot dump rescans');
    now += 4001;
    cache.budgeted();
    assert.equal(scans, 3);
  });
});
