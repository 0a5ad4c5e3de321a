// The helper's readers of every socket (findings, history) share one headless view per namespace while
// no client view holds them all: opened on the first lease, at the shortest interval asked, after the
// delay asked, and stopped when the last lease goes; a client view holding every tcp and udp socket
// of the namespace is found instead.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FullViews } from '../../../src/helper/full-views';
import type { ViewQuery } from '../../../src/protocol/view-protocol';
import type { ViewSession } from '../../../src/helper/view-session';

interface Fake { viewQuery: ViewQuery; interval: number; stopped: boolean; delayMs?: number; update(p: { intervalMs?: number }): Promise<number>; stop(): void }
function fake(viewQuery: ViewQuery, interval = 2000): Fake {
  return {
    viewQuery, interval, stopped: false,
    update(p) { if (p.intervalMs) this.interval = p.intervalMs; return Promise.resolve(0); },
    stop() { this.stopped = true; },
  };
}
const asView = (f: Fake): ViewSession => f as unknown as ViewSession;

describe('full views', () => {
  it('finds a client view that holds every tcp and udp socket, not a filtered one', () => {
    const views = new Map<string, ViewSession>([
      ['filtered', asView(fake({ filter: 'sport = :22' }))],
      ['tcp only', asView(fake({ netids: ['tcp'] }))],
    ]);
    const full = new FullViews(views, () => { throw new Error('not opened'); });
    assert.equal(full.clientView(undefined), undefined);
    const all = fake({ netids: ['tcp', 'udp', 'u_str'] });
    views.set('all', asView(all));
    assert.equal(full.clientView(undefined), asView(all));
  });

  it('one headless view per namespace, at the shortest interval, stopped with its last lease', () => {
    const opened: Fake[] = [];
    const full = new FullViews(new Map(), (netns, intervalMs, delayMs) => {
      const f = fake(netns ? { netns } : {}, intervalMs);
      f.delayMs = delayMs;
      opened.push(f);
      return asView(f);
    });
    const a = full.lease(undefined, 30_000, 2000);
    const b = full.lease(undefined, 2000);
    assert.equal(opened.length, 1);
    assert.equal(a.view, b.view);
    assert.equal(opened[0].delayMs, 2000);
    assert.equal(opened[0].interval, 2000, 'the shortest interval asked');
    b.release();
    assert.equal(opened[0].interval, 30_000, 'back to the remaining reader\'s');
    b.release(); // twice is once
    assert.equal(opened[0].stopped, false);
    a.release();
    assert.equal(opened[0].stopped, true);
    full.lease(undefined, 2000);
    assert.equal(opened.length, 2, 'a new one after the last went');
    full.dispose();
    assert.equal(opened[1].stopped, true);
  });
});
