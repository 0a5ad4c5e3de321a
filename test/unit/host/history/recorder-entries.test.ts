// The recorder's typed entries: a slot per socket found by cookie (64-bit cookies included), a second
// cookie linked to a slot, deletion of both, and slots reused only after reuseFreed().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecorderEntries, known, unknownAsNaN } from '../../../../src/host/history/recorder-entries';

test('slots by cookie: add, link a second cookie, delete both, reuse after reuseFreed', () => {
  const e = new RecorderEntries();
  const big = 0xfedc_ba98_7654_3210n;
  const a = e.add(1n);
  const b = e.add(big);
  assert.notEqual(a, b);
  assert.equal(e.slotOf(1n), a);
  assert.equal(e.slotOf(big), b);
  assert.equal(e.slotOf(big + 1n), -1);
  assert.equal(known(e.bytesSent[b]), null, 'counters start unknown');
  e.bytesSent[b] = unknownAsNaN(0);
  assert.equal(known(e.bytesSent[b]), 0, 'zero is a count, not unknown');
  e.link(77n, b);
  assert.equal(e.slotOf(77n), b);
  assert.equal(e.size, 2);
  e.delete(b);
  assert.equal(e.slotOf(big), -1);
  assert.equal(e.slotOf(77n), -1, 'the linked cookie goes with its slot');
  assert.equal(e.size, 1);
  assert.notEqual(e.add(3n), b, 'a deleted slot is not reused before reuseFreed');
  e.reuseFreed();
  const c = e.add(4n);
  assert.equal(c, b);
  assert.equal(e.pid[c], 0);
  assert.equal(e.live[c], 1);
});

test('grows past its first capacity and keeps every column', () => {
  const e = new RecorderEntries();
  for (let i = 1; i <= 5000; i++) { const s = e.add(BigInt(i) << 20n); e.id[s] = i; e.pid[s] = i * 3; }
  for (let i = 1; i <= 5000; i++) { const s = e.slotOf(BigInt(i) << 20n); assert.equal(e.id[s], i); assert.equal(e.pid[s], i * 3); }
  assert.equal(e.size, 5000);
});
