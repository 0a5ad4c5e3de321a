import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fullCollector, HeapSettler } from '../../../src/host/heap-settle';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('HeapSettler', () => {
  it('collects once, after the burst has been quiet for quietMs', (t) => {
    // Mocked timers: on a loaded machine a real 20 ms sleep can outlast the 40 ms quiet time.
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let runs = 0;
    const s = new HeapSettler({ threshold: 1000, quietMs: 40, collect: () => runs++ });
    s.note(600);
    s.note(600); // the threshold is passed: due 40 ms after this note
    t.mock.timers.tick(20);
    s.note(500); // still the burst (a tenth of the threshold or more): the quiet time starts again
    t.mock.timers.tick(30);
    assert.equal(runs, 0, 'not while the burst goes on');
    t.mock.timers.tick(40);
    assert.equal(runs, 1);
    t.mock.timers.tick(60);
    assert.equal(runs, 1, 'once per burst');
    s.dispose();
  });

  it('small steady work neither triggers a collection nor postpones a due one forever', async () => {
    let runs = 0;
    const s = new HeapSettler({ threshold: 1000, quietMs: 40, collect: () => runs++ });
    for (let i = 0; i < 9; i++) s.note(10);
    await sleep(60);
    assert.equal(runs, 0, 'below the threshold');
    s.note(1000);
    for (let i = 0; i < 6; i++) { await sleep(10); s.note(10); }
    await sleep(20);
    assert.equal(runs, 1, 'small notes after the burst do not move its collection');
    s.dispose();
  });

  it('collects when the heap holds more free committed space than slackBytes at a check, and not otherwise', (t) => {
    t.mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
    let runs = 0;
    let heap = { total: 50, used: 45 };
    const s = new HeapSettler({ threshold: 1000, quietMs: 40, collect: () => { runs++; heap = { total: heap.used, used: heap.used }; }, slackCheckMs: 100, slackBytes: 10, heapSize: () => heap });
    t.mock.timers.tick(100);
    assert.equal(runs, 0, '5 free: under the slack');
    heap = { total: 77, used: 54 };
    t.mock.timers.tick(100);
    assert.equal(runs, 1, '23 free: collected');
    t.mock.timers.tick(100);
    assert.equal(runs, 1, 'the collection gave the pages back');
    heap = { total: 90, used: 50 };
    s.note(1000);
    t.mock.timers.tick(30);
    assert.equal(runs, 1, 'a burst collection is due: the check leaves it to that');
    t.mock.timers.tick(70);
    assert.equal(runs, 2);
    s.dispose();
    heap = { total: 90, used: 50 };
    t.mock.timers.tick(500);
    assert.equal(runs, 2, 'dispose() stops the checks');
  });

  it('does nothing without a collector, and dispose() cancels a due collection', async () => {
    const none = new HeapSettler({ threshold: 1, quietMs: 1, collect: undefined });
    none.note(10);
    assert.equal(none.runs, 0);
    let runs = 0;
    const s = new HeapSettler({ threshold: 1, quietMs: 20, collect: () => runs++ });
    s.note(5);
    s.dispose();
    await sleep(40);
    assert.equal(runs, 0);
  });

  for (const release of [false, true]) {
    it(`finds V8 full collection on this runtime, which frees unreachable memory${release ? ' (and gives pages back)' : ''}`, async () => {
      const gc = fullCollector({ release });
      assert.equal(typeof gc, 'function');
      let held: number[][] | undefined = Array.from({ length: 200 }, () => new Array<number>(10_000).fill(1));
      const ref = new WeakRef(held);
      held = undefined;
      // A WeakRef's target is kept until the job that made it ends.
      await sleep(0);
      gc!();
      assert.equal(ref.deref(), undefined);
    });
  }
});
