// The client's copy of a watched set: applies `watch/update` notifications in order. Pure; the
// extension host and the tests use it the same way.
import type { WatchUpdateNotification } from './helper-protocol';
import type { SocketRecord } from './socket-record';

export interface AppliedTick {
  /** The tick's last part arrived: `records` is consistent with one helper snapshot. */
  complete: boolean;
  snapshot: boolean;
  added: SocketRecord[];
  changed: SocketRecord[];
  removed: SocketRecord[];
}

/**
 * The identity of a record in a watch: its cookie, or (for sockets read without a cookie, which
 * the kernel reports as 0) its kind, inode and addresses. `removed` lists these keys.
 */
export function recordKey(r: SocketRecord): string {
  if (r.cookie !== '0') return r.cookie;
  return `${r.netid}/${r.inode}/${r.localAddress ?? ''}/${r.localPort}/${r.peerAddress ?? ''}/${r.peerPort}`;
}

export class WatchState {
  /** recordKey -> record, as of the last complete tick (or mid-tick while parts arrive). */
  readonly records = new Map<string, SocketRecord>();
  /** seq of the last complete tick, -1 before the first. */
  lastSeq = -1;
  error: string | undefined;

  apply(u: WatchUpdateNotification): AppliedTick {
    if (u.snapshot && u.part === 0) this.records.clear();
    const removed: SocketRecord[] = [];
    for (const key of u.removed) {
      const r = this.records.get(key);
      if (r) { removed.push(r); this.records.delete(key); }
    }
    for (const r of u.added) this.records.set(recordKey(r), r);
    for (const r of u.changed) this.records.set(recordKey(r), r);
    this.error = u.error;
    if (u.last) this.lastSeq = u.seq;
    return { complete: u.last, snapshot: u.snapshot, added: u.added, changed: u.changed, removed };
  }
}
