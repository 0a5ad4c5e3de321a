// Applies batches to the database, one transaction each, and enforces retention while recording.
// Runs on the writer's own thread (writer-thread.ts) so a slow disk delays only this thread, never a
// refresh.
import type { Batch, SocketClosed } from './batch';
import { dropPagesBefore, pagedRange, sealLog, sealedClose, unsealFrom } from './log-sealer';
import { configureWriter, migrate } from './schema';
import { describeSqlError, openStore, type SqlStore } from './sqlite';

export interface Retention {
  /** Sockets gone longer than this are deleted (default 24 h). */
  maxAgeMs: number;
  /** The data is kept under this size by deleting the oldest (default 256 MB). */
  maxBytes: number;
}

export const DEFAULT_RETENTION: Retention = { maxAgeMs: 24 * 3600_000, maxBytes: 256 * 1024 * 1024 };

export interface WriterOptions {
  engine?: 'node:sqlite' | 'wasm';
  retention?: Partial<Retention>;
  /** How often retention runs, ms (default 60 s). */
  retentionEveryMs?: number;
  /** The namespace recorded (meta('netns')). */
  netns?: string | null;
}

const FULL_COUNTS_EVERY = 60;
/**
 * Closes are sealed into log pages once the recording is this far past them (a late destroy event or
 * a refresh's close lands well within it; one that does not reopens its page), in steps of SEAL_EVERY_MS
 * of recorded time.
 */
const SEAL_LAG_MS = 60_000;
const SEAL_EVERY_MS = 30_000;

export class HistoryWriter {
  private readonly db: SqlStore;
  private readonly names = new Map<string, number>();
  private readonly retention: Retention;
  private lastRetention = 0;
  private readonly retentionEvery: number;
  /** The latest refresh written (recorded time, which is what sealing follows). */
  private lastTick = 0;
  /** The id the recorder gives its next socket. */
  readonly nextId: number;

  constructor(readonly path: string, options: WriterOptions = {}) {
    this.retention = { ...DEFAULT_RETENTION, ...options.retention };
    this.retentionEvery = options.retentionEveryMs ?? 60_000;
    this.db = openStore(path, { engine: options.engine, onOpen: (db) => { configureWriter(db); } });
    try {
      migrate(this.db);
      // A recorder that was killed left its sockets listed: they were seen until its last refresh.
      const last = this.db.get<{ at: number | null }>('SELECT max(at) AS at FROM ticks')?.at ?? null;
      if (last !== null) this.db.run('UPDATE sockets SET seen_to = ? WHERE seen_to IS NULL AND seen_from IS NOT NULL', [Number(last)]);
      this.db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('started', ?)", [new Date().toISOString()]);
      if (options.netns !== undefined) this.db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('netns', ?)", [options.netns ?? '']);
      this.nextId = Number(this.db.get<{ id: number | null }>('SELECT max(id) AS id FROM sockets')?.id ?? 0) + 1;
      this.db.idle();
    } catch (e) {
      this.db.close();
      throw describeSqlError(path, e);
    }
  }

  /** Every FULL_COUNTS_EVERY-th refresh carries complete counts (what retention keeps as a baseline). */
  static readonly FULL_COUNTS_EVERY = FULL_COUNTS_EVERY;

  private name(text: string | null): number | null {
    if (text === null) return null;
    let id = this.names.get(text);
    if (id !== undefined) return id;
    this.db.run('INSERT OR IGNORE INTO names (text) VALUES (?)', [text]);
    id = Number(this.db.get<{ id: number }>('SELECT id FROM names WHERE text = ?', [text])!.id);
    this.names.set(text, id);
    return id;
  }

  write(b: Batch, now = Date.now()): void {
    const db = this.db;
    try {
      db.transaction(() => {
        this.unsealChanged(b);
        const closedWith = closedOnOpen(b);
        for (const o of b.opened) {
          const c = closedWith.get(o.id);
          if (c) {
            db.run(`INSERT OR REPLACE INTO sockets (id, netid, netns, local_addr, local_port, peer_addr, peer_port, pid, command, first_state, state, opened_at, seen_from,
                closed_at, closed_by, bytes_sent, bytes_received, retrans) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
              [o.id, o.netid, this.name(o.netns), this.name(o.localAddress), o.localPort, this.name(o.peerAddress), o.peerPort, o.pid, this.name(o.command), o.state, c.state, o.openedAt, o.seenFrom,
                c.at, c.by, c.bytesSent, c.bytesReceived, c.retrans]);
            continue;
          }
          db.run('INSERT OR REPLACE INTO sockets (id, netid, netns, local_addr, local_port, peer_addr, peer_port, pid, command, first_state, state, opened_at, seen_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [o.id, o.netid, this.name(o.netns), this.name(o.localAddress), o.localPort, this.name(o.peerAddress), o.peerPort, o.pid, this.name(o.command), o.state, o.state, o.openedAt, o.seenFrom]);
        }
        for (const [id, pid, command] of b.owners) db.run('UPDATE sockets SET pid = ?, command = ? WHERE id = ?', [pid, this.name(command), id]);
        for (const [id, at, state] of b.states) {
          db.run('INSERT OR REPLACE INTO state_changes (socket, at, state) VALUES (?, ?, ?)', [id, at, state]);
          db.run('UPDATE sockets SET state = ? WHERE id = ?', [state, id]);
        }
        for (const [id, at] of b.seen) db.run('UPDATE sockets SET seen_from = ? WHERE id = ?', [at, id]);
        for (const c of b.closed) {
          if (closedWith.get(c.id) === c) continue;
          db.run('UPDATE sockets SET closed_at = ?, closed_by = ?, state = ?, bytes_sent = coalesce(?, bytes_sent), bytes_received = coalesce(?, bytes_received), retrans = coalesce(?, retrans) WHERE id = ?',
            [c.at, c.by, c.state, c.bytesSent, c.bytesReceived, c.retrans, c.id]);
        }
        for (const [id, at] of b.gone) db.run('UPDATE sockets SET seen_to = ? WHERE id = ?', [at, id]);
        for (const [at, n, full] of b.ticks) db.run('INSERT OR REPLACE INTO ticks (at, sockets, full) VALUES (?, ?, ?)', [at, n, full]);
        for (const [at, pid, state, n] of b.counts) db.run('INSERT OR REPLACE INTO counts (at, pid, state, n) VALUES (?, ?, ?, ?)', [at, pid, state, n]);
        for (const [id, at, info] of b.samples) db.run('INSERT OR REPLACE INTO tcp_samples (socket, at, info) VALUES (?, ?, ?)', [id, at, info]);
        if (b.stoppedAt !== undefined) db.run('UPDATE sockets SET seen_to = ? WHERE seen_to IS NULL AND seen_from IS NOT NULL', [b.stoppedAt]);
      });
      for (const [at] of b.ticks) if (at > this.lastTick) this.lastTick = at;
      if (this.lastTick - SEAL_LAG_MS - pagedRange(db).to >= SEAL_EVERY_MS) db.transaction(() => { sealLog(db, this.lastTick - SEAL_LAG_MS); });
      if (now - this.lastRetention >= this.retentionEvery) {
        this.lastRetention = now;
        this.enforceRetention(now);
      }
    } catch (e) {
      throw describeSqlError(this.path, e);
    } finally {
      db.idle();
    }
  }

  /** A batch that closes (again) or re-owns a socket a log page holds opens that page again. */
  private unsealChanged(b: Batch): void {
    const range = pagedRange(this.db);
    if (range.to <= range.from) return;
    let t = Infinity;
    for (const c of b.closed) if (c.at < range.to) t = Math.min(t, c.at);
    const was = sealedClose(this.db, [...b.closed.map((c) => c.id), ...b.owners.map(([id]) => id)], range);
    if (was !== null) t = Math.min(t, was);
    if (t < Infinity) unsealFrom(this.db, t);
  }

  /** Deletes what is older than the age limit, then the oldest until the data fits the size limit. */
  enforceRetention(now = Date.now()): void {
    this.deleteBefore(now - this.retention.maxAgeMs);
    for (let i = 0; i < 20 && this.usedBytes() > this.retention.maxBytes; i++) {
      const r = this.db.get<{ lo: number | null; hi: number | null }>('SELECT min(at) AS lo, max(at) AS hi FROM ticks');
      const lo = Number(r?.lo ?? now), hi = Number(r?.hi ?? now);
      if (hi <= lo) break;
      this.deleteBefore(lo + Math.max(1, Math.floor((hi - lo) / 10)));
    }
  }

  private usedBytes(): number {
    const pages = Number(this.db.get<{ page_count: number }>('PRAGMA page_count')!.page_count);
    const free = Number(this.db.get<{ freelist_count: number }>('PRAGMA freelist_count')!.freelist_count);
    const size = Number(this.db.get<{ page_size: number }>('PRAGMA page_size')!.page_size);
    return (pages - free) * size;
  }

  private deleteBefore(cutoff: number): void {
    const db = this.db;
    db.transaction(() => {
      // The last full counts at or before the cutoff stay: the baseline later changes apply to.
      const base = db.get<{ at: number | null }>('SELECT max(at) AS at FROM ticks WHERE at <= ? AND full = 1', [cutoff])?.at;
      const keepFrom = base === null || base === undefined ? cutoff : Math.min(cutoff, Number(base));
      const ended = 'SELECT id FROM sockets WHERE coalesce(seen_to, closed_at) < ? AND (seen_to IS NOT NULL OR seen_from IS NULL)';
      db.run(`DELETE FROM state_changes WHERE socket IN (${ended})`, [cutoff]);
      db.run(`DELETE FROM tcp_samples WHERE socket IN (${ended})`, [cutoff]);
      db.run('DELETE FROM tcp_samples WHERE at < ?', [cutoff]);
      db.run(`DELETE FROM sockets WHERE id IN (${ended})`, [cutoff]);
      dropPagesBefore(db, cutoff);
      db.run('DELETE FROM ticks WHERE at < ?', [keepFrom]);
      db.run('DELETE FROM counts WHERE at < ?', [keepFrom]);
    });
  }

  close(): void {
    try {
      // Everything written is final now (a later recording's sockets close later): seal it all.
      const last = this.db.get<{ at: number | null }>('SELECT max(closed_at) AS at FROM sockets')?.at;
      if (last !== null && last !== undefined) {
        for (let i = 0; i < 1000 && sealLogStep(this.db, Number(last) + 1); i++);
      }
    } catch { /* a full disk or a read-only file: the rows stay readable from sockets */ }
    this.db.close();
  }
}

/**
 * The closes of this batch that can be written with their socket's INSERT (a connection the kernel's
 * destroy event reported, opened and closed between two refreshes: most of a busy recording), which
 * halves the statements of such a batch. Only where the result is the same as the INSERT then the
 * UPDATE: the socket is opened once and closed once in the batch, and has no state change (applied
 * between the two).
 */
function closedOnOpen(b: Batch): Map<number, SocketClosed> {
  const out = new Map<number, SocketClosed>();
  if (b.opened.length === 0 || b.closed.length === 0) return out;
  const once = (ids: Iterable<number>): Set<number> => {
    const seen = new Set<number>(), twice = new Set<number>();
    for (const id of ids) (seen.has(id) ? twice : seen).add(id);
    for (const id of twice) seen.delete(id);
    return seen;
  };
  const opened = once(b.opened.map((o) => o.id));
  const changed = new Set(b.states.map(([id]) => id));
  const closedOnce = once(b.closed.map((c) => c.id));
  for (const c of b.closed) if (closedOnce.has(c.id) && opened.has(c.id) && !changed.has(c.id)) out.set(c.id, c);
  return out;
}

function sealLogStep(db: SqlStore, horizon: number): boolean {
  return db.transaction(() => sealLog(db, horizon)) > 0;
}
