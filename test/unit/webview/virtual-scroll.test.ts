// The connection log's virtual scroller: the row window for a scroll position, the page fetch plan, and
// the scaling beyond the browsers' element-height cap (a million rows and more).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_CONTENT_PX, contentHeight, fetchPlan, pageRows, pagesOf, rowWindow, scrollToReveal, scrollTopFor, topRowAt, type ScrollGeometry,
} from '../../../src/webview/connection-log/virtual-scroll';
import { PageCache } from '../../../src/webview/connection-log/page-cache';
import { prng } from '../../lib/prng';

const small: ScrollGeometry = { total: 1000, rowHeight: 20, viewport: 200 };

test('unscaled: the window is the visible rows plus the margin, placed at their own offsets', () => {
  assert.equal(contentHeight(small), 20_000);
  const w = rowWindow(small, 0, 5);
  assert.deepEqual(w, { first: 0, end: 15, offsetY: 0, firstVisible: 0, endVisible: 10 });
  const mid = rowWindow(small, 1010, 5); // row 50.5 at the top
  assert.equal(mid.firstVisible, 50);
  assert.equal(mid.endVisible, 61);
  assert.equal(mid.first, 45);
  assert.equal(mid.end, 66);
  assert.equal(mid.offsetY, 45 * 20);
  const end = rowWindow(small, 1e9, 5); // clamped to the bottom
  assert.equal(end.endVisible, 1000);
  assert.equal(end.end, 1000);
  assert.equal(end.offsetY + (end.end - end.first) * 20, 20_000);
});

test('fewer rows than the viewport holds, and no rows', () => {
  const g = { total: 3, rowHeight: 20, viewport: 200 };
  assert.deepEqual(rowWindow(g, 50, 5), { first: 0, end: 3, offsetY: 0, firstVisible: 0, endVisible: 3 });
  assert.deepEqual(rowWindow({ ...g, total: 0 }, 0, 5), { first: 0, end: 0, offsetY: 0, firstVisible: 0, endVisible: 0 });
  assert.equal(scrollTopFor(g, 2), 0);
  assert.equal(topRowAt(g, 100), 0);
});

test('scaled beyond the cap: the content stays at the cap and the whole range is reachable', () => {
  for (const total of [1_000_000, 10_000_000, 1e9]) {
    const g: ScrollGeometry = { total, rowHeight: 22, viewport: 600 };
    assert.equal(contentHeight(g), MAX_CONTENT_PX);
    const maxTop = MAX_CONTENT_PX - 600;
    const top = rowWindow(g, 0, 4);
    assert.equal(top.first, 0);
    assert.equal(top.offsetY, 0);
    const bottom = rowWindow(g, maxTop, 4);
    assert.equal(bottom.endVisible, total, `last row visible at the bottom (${total})`);
    // The rows drawn cover the viewport: the first visible row's top is at or above the viewport's top,
    // the last one's bottom at or below its bottom, and every row is inside the content.
    const rnd = prng(total % 9973);
    for (let k = 0; k < 200; k++) {
      const st = Math.floor(rnd() * maxTop);
      const w = rowWindow(g, st, 4);
      const visibleTopY = w.offsetY + (w.firstVisible - w.first) * 22;
      assert.ok(visibleTopY <= st + 1e-6 && visibleTopY > st - 22, `first visible row covers the top at ${st}`);
      const visibleEndY = w.offsetY + (w.endVisible - w.first) * 22;
      assert.ok(visibleEndY >= st + 600 - 1e-6 || w.endVisible === total, `rows cover the bottom at ${st}`);
      assert.ok(w.end - w.first <= Math.ceil(600 / 22) + 1 + 8, 'only the visible rows and the margin are in the DOM');
      // Round trip: the scroll position for the top row gives back that row.
      assert.ok(Math.abs(topRowAt(g, scrollTopFor(g, topRowAt(g, st))) - topRowAt(g, st)) < 1e-3);
    }
  }
});

test('scaled: one pixel of scrollbar moves many rows, and monotonically', () => {
  const g: ScrollGeometry = { total: 1_000_000, rowHeight: 22, viewport: 600 };
  let last = -1;
  for (let st = 0; st < MAX_CONTENT_PX; st += 99_991) {
    const t = topRowAt(g, st);
    assert.ok(t > last);
    last = t;
  }
  assert.ok(topRowAt(g, 1) > 0.12, 'a pixel is more than a row fraction of 1/22');
});

test('revealing a row scrolls as little as needed (unscaled and scaled)', () => {
  for (const g of [small, { total: 2_000_000, rowHeight: 22, viewport: 440 } as ScrollGeometry]) {
    const st = scrollTopFor(g, 100);
    assert.equal(scrollToReveal(g, st, 101), st, 'already visible: unchanged');
    const down = scrollToReveal(g, st, 100 + 50);
    assert.ok(Math.abs(topRowAt(g, down) + g.viewport / g.rowHeight - 151) < 1e-6, 'row 150 at the bottom');
    const up = scrollToReveal(g, st, 40);
    assert.ok(Math.abs(topRowAt(g, up) - 40) < 1e-6, 'row 40 at the top');
    assert.ok(pageRows(g) >= 1);
  }
});

test('page fetch plan: missing pages of the window, middle first, one ahead, within the in-flight budget', () => {
  assert.deepEqual(pagesOf(0, 0, 100), []);
  assert.deepEqual(pagesOf(150, 420, 100), [1, 2, 3, 4]);
  const base = { total: 100_000, pageSize: 100, has: () => false, inFlight: new Set<number>(), maxInFlight: 10, direction: 0 as const };
  assert.deepEqual(fetchPlan({ ...base, window: { first: 150, end: 420 } }).sort(), [1, 2, 3, 4]);
  assert.deepEqual(fetchPlan({ ...base, window: { first: 150, end: 420 }, direction: 1 }).slice(-1), [5]);
  assert.deepEqual(fetchPlan({ ...base, window: { first: 150, end: 420 }, direction: -1 }).slice(-1), [0]);
  const held = new Set([2, 3]);
  assert.deepEqual(fetchPlan({ ...base, window: { first: 150, end: 420 }, has: (p) => held.has(p), inFlight: new Set([4]) }), [1]);
  assert.deepEqual(fetchPlan({ ...base, window: { first: 150, end: 420 }, inFlight: new Set([7, 8]), maxInFlight: 3 }).length, 1);
  // The middle page first (what the eye is on); nothing past the last page.
  assert.equal(fetchPlan({ ...base, window: { first: 0, end: 500 } })[0], 2);
  assert.deepEqual(fetchPlan({ ...base, total: 250, window: { first: 200, end: 250 }, direction: 1 }), [2]);
});

test('page cache: bounded LRU that keeps the pages on screen', () => {
  const c = new PageCache<number>(3);
  c.set(1, [1]); c.set(2, [2]); c.set(3, [3]);
  c.get(1);
  c.set(4, [4]);
  assert.equal(c.has(2), false, 'least recently used goes');
  assert.equal(c.has(1) && c.has(3) && c.has(4), true);
  c.set(5, [5], new Set([3]));
  assert.equal(c.has(3), true, 'a page on screen is kept');
  assert.equal(c.size, 3);
  for (let p = 0; p < 10_000; p++) c.set(p, [p]);
  assert.equal(c.size, 3);
  c.clear();
  assert.equal(c.size, 0);
  assert.throws(() => new PageCache(0));
});
