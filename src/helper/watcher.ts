// One watch: a snapshot every `intervalMs`, sent as deltas by key after the first full snapshot.
// The helper keeps only each record's JSON text between ticks (to see what changed), never the
// previous records themselves; every message is awaited so a slow reader slows the watch down
// instead of growing a queue.
import { HELPER_NOTIFICATIONS } from '../protocol/helper-requests';
import type { WatchParams, WatchUpdateNotification } from '../protocol/helper-protocol';
import { Limits } from '../protocol/helper-protocol';
import type { SocketRecord } from '../protocol/socket-record';
import { recordKey } from '../protocol/watch-state';
import type { Notify } from './rpc-server';
import { keyText } from './fingerprint';
import type { SocketSource } from './socket-engine';

/** What the watch remembers of one socket between ticks: its content text and the tick it was last seen in. */
interface Seen {
  text: string;
  tick: number;
}

/** One tick's differences, applied to `known` as they are found (undone if the tick fails). */
interface TickDelta {
  added: SocketRecord[];
  changed: SocketRecord[];
  /** Entries added or changed this tick, with their text before (undefined: added), for an undo. */
  undo: { key: number | string; before: string | undefined }[];
  /** Distinct keys seen this tick. */
  seen: number;
}

export class Watch {
  /**
   * Every socket of the last tick, updated in place (no new map of every socket per tick: at
   * 100,000 sockets building one cost more than the dump's fingerprints).
   */
  private known = new Map<number | string, Seen>();
  private tickNo = 0;
  private seq = 0;
  private snapshotSent = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private lastError: string | undefined;

  constructor(private readonly params: WatchParams, private readonly source: SocketSource, private readonly notify: Notify) {}

  start(): void {
    this.timer = setTimeout(() => void this.tick(), 0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One socket of this tick: `record` is built only when `text` differs from the last tick's. */
  private see(d: TickDelta, key: number | string, text: string, record: () => SocketRecord): void {
    const k = this.known.get(key);
    if (k === undefined) {
      this.known.set(key, { text, tick: this.tickNo });
      d.undo.push({ key, before: undefined });
      d.added.push(record());
      d.seen++;
      return;
    }
    if (k.tick !== this.tickNo) { k.tick = this.tickNo; d.seen++; }
    if (k.text === text) return;
    d.undo.push({ key, before: k.text });
    k.text = text;
    d.changed.push(record());
  }

  /** Reads the current set into `known`, returning what changed; on a failure `known` is as before. */
  private collect(): TickDelta {
    this.tickNo++;
    const d: TickDelta = { added: [], changed: [], undo: [], seen: 0 };
    try {
      const add = (record: SocketRecord): void => { this.see(d, recordKey(record), JSON.stringify(record), () => record); };
      const p = this.params;
      if (p.socket) {
        const r = this.source.lookup({ socket: p.socket, extensions: p.extensions, netns: p.netns });
        if (r) add(r);
        return d;
      }
      const query = { ...p.query, netns: p.query?.netns ?? p.netns };
      if (!this.source.dumpKeyed) {
        this.source.dump(query, add);
        return d;
      }
      this.source.dumpKeyed(query, (s) => {
        // Unchanged since the last tick: no record is built or serialized.
        if (s.key !== undefined && s.fingerprint !== undefined) this.see(d, s.key, s.fingerprint, s.build);
        else add(s.build());
      });
      return d;
    } catch (e) {
      for (let i = d.undo.length - 1; i >= 0; i--) {
        const { key, before } = d.undo[i];
        if (before === undefined) this.known.delete(key);
        else this.known.get(key)!.text = before;
      }
      throw e;
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      let current: TickDelta | undefined;
      try {
        current = this.collect();
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (message !== this.lastError) {
          this.lastError = message;
          await this.send(false, [], [], [], message);
        }
      }
      if (current && !this.stopped) {
        this.lastError = undefined;
        await this.emit(current);
      }
    } catch {
      // The client is gone: main.ts exits on stdin/stdout close.
    }
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), this.params.intervalMs);
  }

  private async emit(d: TickDelta): Promise<void> {
    const removed: string[] = [];
    // Sockets not seen this tick are gone (looked for only when some are).
    if (d.seen < this.known.size) {
      for (const [key, k] of this.known) if (k.tick !== this.tickNo) { this.known.delete(key); removed.push(keyText(key)); }
    }
    const snapshot = !this.snapshotSent;
    this.snapshotSent = true;
    // The first tick sends everything as the snapshot.
    const added = snapshot ? d.added.concat(d.changed) : d.added;
    const changed = snapshot ? [] : d.changed;
    if (!snapshot && added.length + changed.length + removed.length === 0) return;
    await this.send(snapshot, added, changed, removed);
  }

  /** Sends one tick in parts of at most chunkSize items (records and removed keys together). */
  private async send(snapshot: boolean, added: SocketRecord[], changed: SocketRecord[], removed: string[], error?: string): Promise<void> {
    const size = this.params.chunkSize ?? Limits.defaultChunkSize;
    const seq = this.seq++;
    let part = 0;
    let a = 0, c = 0, r = 0;
    do {
      let room = size;
      const pa = added.slice(a, a + room); a += pa.length; room -= pa.length;
      const pc = changed.slice(c, c + room); c += pc.length; room -= pc.length;
      const pr = removed.slice(r, r + room); r += pr.length;
      const last = a >= added.length && c >= changed.length && r >= removed.length;
      const msg: WatchUpdateNotification = { watchId: this.params.watchId, seq, part, last, snapshot, added: pa, changed: pc, removed: pr };
      if (error !== undefined) msg.error = error;
      if (this.stopped) return;
      await this.notify(HELPER_NOTIFICATIONS.watchUpdate, msg);
      part++;
      if (last) return;
    } while (!this.stopped);
  }
}
