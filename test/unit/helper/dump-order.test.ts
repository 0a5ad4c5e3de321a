import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DumpOrder } from '../../../src/helper/dump-order';

/** Runs one refresh over `slots`; returns how many the order predicted. */
function refresh(order: DumpOrder, slots: number[]): number {
  let hits = 0;
  order.begin();
  for (const s of slots) {
    if (order.predict() === s) hits++;
    order.record(s);
  }
  order.end();
  return hits;
}

describe('DumpOrder', () => {
  it('predicts nothing before a first refresh, then each slot of an unchanged dump', () => {
    const order = new DumpOrder();
    const slots = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    assert.equal(refresh(order, slots), 0);
    assert.equal(refresh(order, slots), 5000);
  });

  it('costs at most two misses per socket that came, went or moved, not the rest of the dump', () => {
    const order = new DumpOrder();
    const slots = Array.from({ length: 1000 }, (_, i) => i);
    refresh(order, slots);
    // 500 is gone, 2000 is new after 100, 900 moved to the front.
    const next = [900, ...slots.filter((s) => s !== 500 && s !== 900)];
    next.splice(101, 0, 2000);
    const hits = refresh(order, next);
    assert.ok(hits >= next.length - 6, `${hits} of ${next.length} predicted`);
  });

  it('forgets the order when cleared', () => {
    const order = new DumpOrder();
    refresh(order, [1, 2, 3]);
    order.clear();
    order.begin();
    assert.equal(order.predict(), -1);
  });
});
