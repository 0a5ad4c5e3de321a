// The shared process map: fresh() re-reads every descriptor unless that was very recent; current()
// only brings the map up to date (and not more often than maxAgeMs).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProcessMapCache } from '../../../src/helper/process-map-cache';

const root = mkdtempSync(join(tmpdir(), 'sockscope-pmcache-'));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, '7', 'fd'), { recursive: true });
writeFileSync(join(root, '7', 'stat'), `7 (srv) S ${'0 '.repeat(18)}77 0 0\n`);
symlinkSync('socket:[700]', join(root, '7', 'fd', '3'));

describe('ProcessMapCache', () => {
  it('reads everything for one-shot requests and only changes for watches', () => {
    let now = 0;
    const cache = new ProcessMapCache({ procRoot: root }, () => now);
    assert.deepEqual(cache.fresh().byInode.get(700), [{ pid: 7, name: 'srv', fd: 3 }]);
    const links = cache.live.stats.linksRead;
    now += 100;
    cache.fresh();
    assert.equal(cache.live.stats.linksRead, links, 'a map 100 ms old is fresh enough');
    now += 1000;
    cache.current();
    assert.equal(cache.live.stats.linksRead, links, 'an update reads nothing that did not change');
    symlinkSync('socket:[701]', join(root, '7', 'fd', '4'));
    now += 100;
    assert.equal(cache.current().byInode.has(701), false, 'updated at most every 250 ms');
    now += 200;
    assert.deepEqual(cache.current().byInode.get(701), [{ pid: 7, name: 'srv', fd: 4 }]);
    cache.fresh();
    assert.equal(cache.live.stats.linksRead, links + 2 + 2, 'a small process is re-read whole, and fresh() re-reads every descriptor');
  });
});
