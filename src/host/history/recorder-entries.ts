// What the recorder keeps of each socket it follows, in typed columns by slot, found by cookie through a
// CookieTable: about 60 bytes a socket, against about 190 for an object in a Map keyed by a bigint.
// A slot may be reached by a second cookie (a connection a destroy event reported, matched to the
// TIME-WAIT socket a refresh lists later by its addresses); deleting the slot deletes both. A deleted
// slot is reused only after reuseFreed(), so a slot number held elsewhere until the end of a refresh
// still reads the socket it named.
import { cookieHi as hi, cookieLo as lo } from '../../netlink/cookie';
import { CookieTable } from '../cookie-table';

const NONE = Number.NaN;

export class RecorderEntries {
  private readonly bySocket = new CookieTable(1024);
  private capacity = 0;
  /** Slots in use or freed so far: every slot below it has been used. */
  private high = 0;
  private readonly free: number[] = [];
  private readonly freed: number[] = [];
  /** A slot's second cookie, by slot. */
  private readonly aliases = new Map<number, bigint>();
  private count = 0;

  cookieLo = new Int32Array(0);
  cookieHi = new Int32Array(0);
  live = new Uint8Array(0);
  /** The history's socket id. */
  id = new Float64Array(0);
  state = new Uint8Array(0);
  /** 0 while no process is known. */
  pid = new Int32Array(0);
  ownerTries = new Uint8Array(0);
  /** The refresh that last listed it. */
  tick = new Uint32Array(0);
  present = new Uint8Array(0);
  /** 0 open, -1 closed before the recording, else a CLOSED_BY code. */
  closedBy = new Int8Array(0);
  closedAt = new Float64Array(0);
  lastSeenAt = new Float64Array(0);
  /** NaN: not known. */
  bytesSent = new Float64Array(0);
  bytesReceived = new Float64Array(0);
  retrans = new Float64Array(0);

  get size(): number {
    return this.count;
  }

  /** The slot a cookie leads to, -1 when none. */
  slotOf(cookie: bigint): number {
    return this.bySocket.get(lo(cookie), hi(cookie));
  }

  /** A new slot for a cookie, every column cleared (counters unknown). */
  add(cookie: bigint): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.high === this.capacity) this.grow();
      slot = this.high++;
    }
    this.cookieLo[slot] = lo(cookie);
    this.cookieHi[slot] = hi(cookie);
    this.bySocket.set(this.cookieLo[slot], this.cookieHi[slot], slot);
    this.live[slot] = 1;
    this.id[slot] = 0; this.state[slot] = 0; this.pid[slot] = 0; this.ownerTries[slot] = 0; this.tick[slot] = 0;
    this.present[slot] = 0; this.closedBy[slot] = 0; this.closedAt[slot] = 0; this.lastSeenAt[slot] = 0;
    this.bytesSent[slot] = NONE; this.bytesReceived[slot] = NONE; this.retrans[slot] = NONE;
    this.count++;
    return slot;
  }

  /** A second cookie leads to the slot too. */
  link(cookie: bigint, slot: number): void {
    const previous = this.aliases.get(slot);
    if (previous !== undefined) this.bySocket.delete(lo(previous), hi(previous));
    this.aliases.set(slot, cookie);
    this.bySocket.set(lo(cookie), hi(cookie), slot);
  }

  /** Forgets the slot and every cookie that leads to it. */
  delete(slot: number): void {
    if (this.live[slot] === 0) return;
    this.live[slot] = 0;
    this.bySocket.delete(this.cookieLo[slot], this.cookieHi[slot]);
    const alias = this.aliases.get(slot);
    if (alias !== undefined) { this.bySocket.delete(lo(alias), hi(alias)); this.aliases.delete(slot); }
    this.freed.push(slot);
    this.count--;
  }

  /** Slots deleted so far may be given to new sockets from now on. */
  reuseFreed(): void {
    for (const s of this.freed) this.free.push(s);
    this.freed.length = 0;
  }

  /** Every live slot is below this (`live` says which are). */
  get end(): number {
    return this.high;
  }

  private grow(): void {
    const n = Math.max(1024, this.capacity * 2);
    const g = <T extends Int32Array | Uint8Array | Int8Array | Uint32Array | Float64Array>(a: T, make: new (n: number) => T): T => {
      const b = new make(n);
      b.set(a);
      return b;
    };
    this.cookieLo = g(this.cookieLo, Int32Array); this.cookieHi = g(this.cookieHi, Int32Array);
    this.live = g(this.live, Uint8Array); this.id = g(this.id, Float64Array); this.state = g(this.state, Uint8Array);
    this.pid = g(this.pid, Int32Array); this.ownerTries = g(this.ownerTries, Uint8Array); this.tick = g(this.tick, Uint32Array);
    this.present = g(this.present, Uint8Array); this.closedBy = g(this.closedBy, Int8Array);
    this.closedAt = g(this.closedAt, Float64Array); this.lastSeenAt = g(this.lastSeenAt, Float64Array);
    this.bytesSent = g(this.bytesSent, Float64Array); this.bytesReceived = g(this.bytesReceived, Float64Array); this.retrans = g(this.retrans, Float64Array);
    this.capacity = n;
  }
}

/** A counter column's value: null when not known. */
export function known(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** A counter to store: NaN for null. */
export function unknownAsNaN(v: number | null): number {
  return v === null ? NONE : v;
}
