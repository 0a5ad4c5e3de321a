// The order a store's sockets came in at the last refresh. The kernel walks its tables in the same
// order at every dump, so the socket after the one just seen is, nearly always, the one that came
// after it last time: a store checks that slot's cookie before it hashes (two reads in a row of an
// array instead of a probe at a random place in a table of 100,000). A socket that is new or came
// elsewhere moves the cursor to where it was, so one change costs a lookup or two, not the rest.
export class DumpOrder {
  /** Slots in the order of the last refresh. */
  private last = new Int32Array(1024);
  private lastCount = 0;
  /** Slots in the order of this one. */
  private next = new Int32Array(1024);
  private count = 0;
  /** Slot -> its index + 1 in the order it was last recorded in (0: never). */
  private position = new Int32Array(1024);
  private cursor = 0;

  /** Starts a refresh. */
  begin(): void {
    this.count = 0;
    this.cursor = 0;
  }

  /** The slot that came next last time, or -1. */
  predict(): number {
    return this.cursor < this.lastCount ? this.last[this.cursor] : -1;
  }

  /** The slot of the socket just seen (predicted or not). */
  record(slot: number): void {
    if (slot >= this.position.length) this.position = grown(this.position, slot + 1);
    const at = this.position[slot];
    if (at > 0 && at <= this.lastCount && this.last[at - 1] === slot) this.cursor = at;
    if (this.count === this.next.length) this.next = grown(this.next, this.count + 1);
    this.next[this.count++] = slot;
    this.position[slot] = this.count;
  }

  /** Ends a refresh: its order is what the next one predicts from. */
  end(): void {
    const t = this.last;
    this.last = this.next;
    this.lastCount = this.count;
    this.next = t;
    this.count = 0;
  }

  /** Forgets the order (the store was emptied). */
  clear(): void {
    this.lastCount = 0;
    this.count = 0;
    this.cursor = 0;
  }
}

function grown(a: Int32Array, min: number): Int32Array<ArrayBuffer> {
  let n = Math.max(1024, a.length);
  while (n < min) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
