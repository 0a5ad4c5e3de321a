// Socket cookie (two 32-bit words) -> store slot, in one typed array (open addressing, linear
// probing, deletion by backward shift; as inode-table.ts). The store looks every socket up at
// every refresh: a Map keyed by the cookie as a number costs several cache misses a lookup at
// 100,000 sockets, an entry here (lo, hi, slot + 1, one 16-byte line) one.
const WORDS = 4;

export class CookieTable {
  private table: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1024) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.table = new Int32Array(size * WORDS);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.table.byteLength;
  }

  private home(lo: number, hi: number): number {
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 0 & this.mask;
  }

  /** The slot of a cookie, -1 when absent. */
  get(lo: number, hi: number): number {
    const t = this.table;
    const mask = this.mask;
    lo |= 0; hi |= 0;
    for (let i = this.home(lo, hi); ; i = (i + 1) & mask) {
      const e = i * WORDS;
      const v = t[e + 2];
      if (v === 0) return -1;
      if (t[e] === lo && t[e + 1] === hi) return v - 1;
    }
  }

  /** Sets the slot of a cookie (slot >= 0). */
  set(lo: number, hi: number, slot: number): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    this.put(lo | 0, hi | 0, slot);
  }

  private put(lo: number, hi: number, slot: number): void {
    const t = this.table;
    const mask = this.mask;
    for (let i = this.home(lo, hi); ; i = (i + 1) & mask) {
      const e = i * WORDS;
      if (t[e + 2] === 0) { t[e] = lo; t[e + 1] = hi; t[e + 2] = slot + 1; this.count++; return; }
      if (t[e] === lo && t[e + 1] === hi) { t[e + 2] = slot + 1; return; }
    }
  }

  delete(lo: number, hi: number): void {
    const t = this.table;
    const mask = this.mask;
    lo |= 0; hi |= 0;
    let i = this.home(lo, hi);
    for (; ; i = (i + 1) & mask) {
      const e = i * WORDS;
      if (t[e + 2] === 0) return;
      if (t[e] === lo && t[e + 1] === hi) break;
    }
    this.count--;
    // Backward shift: move later entries of the run into the hole when their home allows it.
    let hole = i;
    for (let j = (i + 1) & mask; t[j * WORDS + 2] !== 0; j = (j + 1) & mask) {
      const home = this.home(t[j * WORDS], t[j * WORDS + 1]);
      // j may move to hole unless its home lies cyclically in (hole, j].
      const inRange = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (inRange) continue;
      t.copyWithin(hole * WORDS, j * WORDS, j * WORDS + WORDS);
      hole = j;
    }
    t.fill(0, hole * WORDS, hole * WORDS + WORDS);
  }

  clear(): void {
    this.table.fill(0);
    this.count = 0;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.mask = old.length * 2 / WORDS - 1;
    this.count = 0;
    for (let e = 0; e < old.length; e += WORDS) if (old[e + 2] !== 0) this.put(old[e], old[e + 1], old[e + 2] - 1);
  }
}
