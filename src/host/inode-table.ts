// Socket inode -> a small positive number, in typed arrays (open addressing, linear probing,
// deletion by backward shift). A watch asks once per socket per tick; at 100,000 sockets a Map's
// lookups (several cache misses each) cost more than the rest of the process map's upkeep.
export class InodeTable {
  private keys: Uint32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1024) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keys = new Uint32Array(size);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  private slot(inode: number): number {
    return Math.imul(inode, 0x9e3779b1) >>> 0 & this.mask;
  }

  /** The value, or 0 when the inode is not in the table. Inode 0 is never in it. */
  get(inode: number): number {
    const keys = this.keys;
    const mask = this.mask;
    for (let i = this.slot(inode); ; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === inode) return this.values[i];
      if (k === 0) return 0;
    }
  }

  /** Sets a value (non-zero) for a non-zero inode that fits in 32 bits. */
  set(inode: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = this.mask;
    for (let i = this.slot(inode); ; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === inode) { this.values[i] = value; return; }
      if (k === 0) { keys[i] = inode; this.values[i] = value; this.count++; return; }
    }
  }

  delete(inode: number): void {
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let i = this.slot(inode);
    for (; ; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === 0) return;
      if (k === inode) break;
    }
    this.count--;
    // Backward shift: move later entries of the run into the hole when their home allows it.
    let hole = i;
    for (let j = (i + 1) & mask; keys[j] !== 0; j = (j + 1) & mask) {
      const home = this.slot(keys[j]);
      // j may move to hole unless its home lies cyclically in (hole, j].
      const inRange = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (inRange) continue;
      keys[hole] = keys[j];
      values[hole] = values[j];
      hole = j;
    }
    keys[hole] = 0;
    values[hole] = 0;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Uint32Array(oldKeys.length * 2);
    this.values = new Int32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== 0) this.set(oldKeys[i], oldValues[i]);
  }
}
