// One watch: a snapshot every `intervalMs`, sent as deltas by key after the first full snapshot.
// The helper keeps only each record's JSON text between ticks (to see what changed), never the
// previous records themselves; every message is awaited so a slow reader slows the watch down
// instead of growing a queue.
import type { WatchParams, WatchUpdateNotification } from '../../protocol/helperProtocol';
import { Limits } from '../../protocol/helperProtocol';
import type { SocketRecord } from '../../protocol/socket';
import { recordKey } from '../../protocol/watchState';
import type { Notify } from './rpcServer';
import { keyText } from './fingerprint';
import type { SocketSource } from './socketSource';

/** One socket of a tick: its content text, and its record unless it is known to be unchanged. */
interface Entry {
  text: string;
  record?: SocketRecord;
}

export class Watch {
  private previous = new Map<number | string, string>();
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

  /**
   * The current set: key -> content text (a fingerprint, or the record's JSON) and, only for
   * entries that are new or changed, the record itself.
   */
  private collect(): Map<number | string, Entry> {
    const out = new Map<number | string, Entry>();
    const add = (record: SocketRecord): void => { out.set(recordKey(record), { text: JSON.stringify(record), record }); };
    const p = this.params;
    if (p.socket) {
      const r = this.source.lookup({ socket: p.socket, extensions: p.extensions, netns: p.netns });
      if (r) add(r);
      return out;
    }
    const query = { ...p.query, netns: p.query?.netns ?? p.netns };
    if (!this.source.dumpKeyed) {
      this.source.dump(query, add);
      return out;
    }
    const previous = this.snapshotSent ? this.previous : undefined;
    this.source.dumpKeyed(query, (s) => {
      if (s.key !== undefined && s.fingerprint !== undefined) {
        // Unchanged since the last tick: no record is built or serialized.
        if (previous?.get(s.key) === s.fingerprint) { out.set(s.key, { text: s.fingerprint }); return; }
        out.set(s.key, { text: s.fingerprint, record: s.build() });
        return;
      }
      add(s.build());
    });
    return out;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      let current: Map<number | string, Entry> | undefined;
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

  private async emit(current: Map<number | string, Entry>): Promise<void> {
    const added: SocketRecord[] = [];
    const changed: SocketRecord[] = [];
    const removed: string[] = [];
    const next = new Map<number | string, string>();
    for (const [key, { text, record }] of current) {
      next.set(key, text);
      const before = this.previous.get(key);
      if (!this.snapshotSent || before === undefined) added.push(record!);
      else if (before !== text) changed.push(record!);
    }
    if (this.snapshotSent) for (const key of this.previous.keys()) if (!next.has(key)) removed.push(keyText(key));
    this.previous = next;
    const snapshot = !this.snapshotSent;
    this.snapshotSent = true;
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
      await this.notify('watch/update', msg);
      part++;
      if (last) return;
    } while (!this.stopped);
  }
}
