// Reading a recording: the connection log, the sockets listed at a moment, and counts over time.
// Rows come back with their names resolved from one read of `names` (no join per row).
import { TCP_STATE } from '../../fields/socket-states';
import type { LogRow, MomentRow } from '../../protocol/history-requests';
import { LogJsonWriter } from './log-json';
import { unpackPage, type PackedRow } from './log-pack';
import { logRows, pagedRange, toPackedRow } from './log-sealer';
import { CLOSED_BY, NETIDS, checkReadable } from './schema';
import { describeSqlError, openStore, type SqlStore } from './sqlite';

// The row shapes are the protocol's (history-requests.ts): written once, sent as they are read.
export type { LogRow, MomentRow, RecordedSocket } from '../../protocol/history-requests';

/** Writes log rows (names as ids into Recording.texts) as bytes, handing out full chunks in `chunks`. */
export interface LogRowWriter {
  row(r: PackedRow): void;
  readonly chunks: Uint8Array[];
  /** A chunk the caller is done with (its buffer may be written again). */
  recycle(chunk: Uint8Array): void;
  /** No more rows: the last chunk joins `chunks`. */
  end(): void;
}

export interface Timeline {
  /** Refresh times, ms. */
  at: number[];
  /** Kernel state number -> count at each refresh. */
  byState: Map<number, number[]>;
}

const { LISTEN } = TCP_STATE;

/** socketsAt's packing: name ids + 1 below 2^26 (two in 52 bits), pids + 1 below 2^23 (PID_MAX_LIMIT is 2^22). */
const NAME_PACK = 2 ** 26;
const PID_PACK = 2 ** 23;

export class Recording {
  /** The read-only connection, for the queries of sibling modules (log-pages.ts, timeline-query.ts). */
  readonly db: SqlStore;
  private names: (string | null)[] = [];

  constructor(readonly path: string, options: { engine?: 'node:sqlite' | 'wasm'; shortLived?: boolean } = {}) {
    this.db = openStore(path, { readOnly: true, engine: options.engine, shortLived: options.shortLived });
    try {
      checkReadable(this.db);
      this.loadNames();
    } catch (e) {
      this.db.close();
      throw describeSqlError(path, e);
    }
  }

  private loadNames(): void {
    const names: (string | null)[] = [];
    for (const r of this.db.all<{ id: number; text: string }>('SELECT id, text FROM names')) names[Number(r.id)] = r.text;
    this.names = names;
  }

  /** Reads the names added since (a recording being written gains names). */
  refreshNames(): void {
    for (const r of this.db.all<{ id: number; text: string }>('SELECT id, text FROM names WHERE id >= ?', [this.names.length])) this.names[Number(r.id)] = r.text;
  }

  /** Lets a writer in until the next query (the WebAssembly engine locks the file while open). */
  release(): void {
    this.db.release();
  }

  /** Sockets recorded, and closed connections among them (listeners left out). */
  totals(): { sockets: number; closed: number } {
    const r = this.db.get<{ n: number; c: number }>(
      `SELECT count(*) AS n, (SELECT count(*) FROM sockets WHERE closed_at IS NOT NULL AND first_state != ${LISTEN}) AS c FROM sockets`);
    return { sockets: Number(r?.n ?? 0), closed: Number(r?.c ?? 0) };
  }

  name(id: unknown): string | null {
    return id === null || id === undefined ? null : (this.names[Number(id)] ?? null);
  }

  /** The first and last refresh recorded (null when none). */
  span(): { from: number; to: number } | null {
    const r = this.db.get<{ lo: number | null; hi: number | null }>('SELECT min(at) AS lo, max(at) AS hi FROM ticks');
    if (!r || r.lo === null || r.hi === null) return null;
    return { from: Number(r.lo), to: Number(r.hi) };
  }

  /**
   * Log rows (listeners left out) whose close falls in [from, to], oldest close first, with names as
   * ids: from log_pages where they hold the range, else from `sockets`. `row` gets one reused object;
   * the generator yields between pages (every few thousand rows), where a caller may pass its output on.
   */
  private *eachLogRow(from: number, to: number, row: (r: PackedRow) => void): Generator<void> {
    const paged = pagedRange(this.db);
    const end = to + 1; // [from, to] as [from, end)
    const db = this.db;
    function* fromSockets(lo: number, hi: number): Generator<void> {
      if (hi <= lo) return;
      let n = 0;
      for (const raw of logRows(db, lo, hi)) { row(toPackedRow(raw)); if (++n % 4096 === 0) yield; }
      yield;
    }
    if (paged.to <= paged.from || end <= paged.from || from >= paged.to) { yield* fromSockets(from, end); return; }
    yield* fromSockets(from, Math.min(end, paged.from));
    const lo = Math.max(from, paged.from), hi = Math.min(end, paged.to);
    for (const p of db.all<{ data: Uint8Array }>('SELECT data FROM log_pages WHERE closed_to >= ? AND closed_from < ? ORDER BY id', [lo, hi])) {
      unpackPage(p.data, (r) => { if (r.closedAt >= lo && r.closedAt < hi) row(r); });
      yield;
    }
    yield* fromSockets(Math.max(from, paged.to), end);
  }

  /** Closed connections (listeners left out) whose close falls in [from, to], oldest close first. */
  *log(from: number, to: number): Generator<LogRow> {
    let rows: LogRow[] = [];
    const segments = this.eachLogRow(from, to, (r) => { rows.push(this.logRowOf(r)); });
    for (const _ of segments) { yield* rows; rows = []; }
  }

  /** A packed row with its texts. */
  logRowOf(r: PackedRow): LogRow {
    return {
      id: r.id, netid: NETIDS[r.netid] ?? 'tcp',
      localAddress: this.name(r.localAddr), localPort: r.localPort, peerAddress: this.name(r.peerAddr), peerPort: r.peerPort,
      pid: r.pid, command: this.name(r.command),
      openedAt: r.openedAt, closedAt: r.closedAt, durationMs: r.closedAt - r.openedAt,
      bytesSent: r.bytesSent, bytesReceived: r.bytesReceived, retrans: r.retrans,
      closedBy: r.closedBy === null ? null : CLOSED_BY[r.closedBy as 1 | 2] ?? null,
      state: r.state, netns: this.name(r.netns),
    };
  }

  /** The texts of `names` by id (what a LogRowWriter is made over; grows with refreshNames). */
  get texts(): readonly (string | null)[] {
    return this.names;
  }

  /** A `sockets` row (the columns log() selects) as a LogRow. */
  logRow(r: Record<string, number | null>): LogRow {
    const openedAt = Number(r.opened_at), closedAt = Number(r.closed_at);
    return {
      id: Number(r.id), netid: NETIDS[Number(r.netid)] ?? 'tcp',
      localAddress: this.name(r.local_addr), localPort: Number(r.local_port), peerAddress: this.name(r.peer_addr), peerPort: Number(r.peer_port),
      pid: r.pid === null ? null : Number(r.pid), command: this.name(r.command),
      openedAt, closedAt, durationMs: closedAt - openedAt,
      bytesSent: r.bytes_sent === null ? null : Number(r.bytes_sent), bytesReceived: r.bytes_received === null ? null : Number(r.bytes_received),
      retrans: r.retrans === null ? null : Number(r.retrans),
      closedBy: r.closed_by === null ? null : CLOSED_BY[Number(r.closed_by) as 1 | 2] ?? null,
      state: Number(r.state), netns: this.name(r.netns),
    };
  }

  /**
   * The log as `sockscope log --json` prints it, one JSON text per row (the same keys, order and
   * values as logRowJson; tested). `netids`: NETIDS indexes to keep, or all.
   */
  *logJsonLines(from: number, to: number, netids?: readonly number[]): Generator<string> {
    const dec = new TextDecoder();
    for (const chunk of this.logJsonBytes(from, to, netids)) yield* dec.decode(chunk).split('\n').slice(0, -1);
  }

  /**
   * The same lines as UTF-8, each ending in a newline, in chunks of about `chunkBytes`: what a writer
   * of 720,000 lines wants (an hour at 100 closes per second read from log_pages, no row objects).
   */
  logJsonBytes(from: number, to: number, netids?: readonly number[], chunkBytes = 1 << 20): Generator<Uint8Array> {
    const keep = netids && netids.length ? new Set(netids) : null;
    return this.logBytes(from, to, new LogJsonWriter(this.names, chunkBytes), keep ? (r) => keep.has(r.netid) : undefined);
  }

  /**
   * The log rows `keep` keeps (all without it) through `writer` (made over `texts`), as its chunks.
   * `reuse`: the caller is done with each chunk when it asks for the next (it writes them out), so
   * their buffers are used again.
   */
  *logBytes(from: number, to: number, writer: LogRowWriter, keep?: (r: PackedRow) => boolean, reuse = false): Generator<Uint8Array> {
    const segments = this.eachLogRow(from, to, keep ? (r) => { if (keep(r)) writer.row(r); } : (r) => { writer.row(r); });
    for (const _ of segments) {
      yield* writer.chunks;
      if (reuse) for (const c of writer.chunks) writer.recycle(c);
      writer.chunks.length = 0;
    }
    writer.end();
    yield* writer.chunks;
    writer.chunks.length = 0;
  }

  /** The refresh at or before `t` (what a view "at t" shows), or null before the recording. */
  refreshAt(t: number): number | null {
    const r = this.db.get<{ at: number | null }>('SELECT max(at) AS at FROM ticks WHERE at <= ?', [t]);
    return r?.at === null || r?.at === undefined ? null : Number(r.at);
  }

  /** Every socket the refresh at or before `t` listed, with its state then. */
  socketsAt(t: number): { at: number | null; sockets: MomentRow[] } {
    const at = this.refreshAt(t);
    if (at === null) return { at, sockets: [] };
    const listed = 'FROM sockets s WHERE seen_from IS NOT NULL AND seen_from <= ?1 AND (seen_to IS NULL OR seen_to >= ?1) ORDER BY id';
    const state = 'coalesce((SELECT c.state FROM state_changes c WHERE c.socket = s.id AND c.at <= ?1 ORDER BY c.at DESC LIMIT 1), first_state)';
    const maxName = Number(this.db.get<{ n: number | null }>('SELECT max(id) AS n FROM names')?.n ?? 0);
    if (maxName < NAME_PACK - 1) {
      // Each value read costs about as much as a row on either engine: SQLite packs the small ones
      // into three exact integers (< 2^53) and this unpacks them, 5 reads a socket instead of 10.
      const rows = this.db.all<{ id: number; o: number; k: number; a: number; w: number }>(
        `SELECT id, opened_at AS o, netid + 16 * ${state} + 256 * coalesce(local_port, 0) + 16777216 * coalesce(peer_port, 0) AS k,
           coalesce(local_addr + 1, 0) + ${NAME_PACK} * coalesce(peer_addr + 1, 0) AS a, coalesce(pid + 1, 0) + ${PID_PACK} * coalesce(command + 1, 0) AS w ${listed}`, [at]);
      const sockets: MomentRow[] = new Array<MomentRow>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        const k = Number(r.k), a = Number(r.a), w = Number(r.w);
        const la = a % NAME_PACK, pa = Math.floor(a / NAME_PACK), pid = w % PID_PACK, cmd = Math.floor(w / PID_PACK);
        sockets[i] = {
          id: Number(r.id), netid: NETIDS[k % 16] ?? 'tcp', state: Math.floor(k / 16) % 16,
          localAddress: la ? this.name(la - 1) : null, localPort: Math.floor(k / 256) % 65536, peerAddress: pa ? this.name(pa - 1) : null, peerPort: Math.floor(k / 16777216),
          pid: pid ? pid - 1 : null, command: cmd ? this.name(cmd - 1) : null, openedAt: Number(r.o),
        };
      }
      return { at, sockets };
    }
    const rows = this.db.all<Record<string, number | null>>(
      `SELECT id, netid, local_addr, local_port, peer_addr, peer_port, pid, command, opened_at, ${state} AS st ${listed}`, [at]);
    return {
      at,
      sockets: rows.map((r) => ({
        id: Number(r.id), netid: NETIDS[Number(r.netid)] ?? 'tcp', state: Number(r.st),
        localAddress: this.name(r.local_addr), localPort: Number(r.local_port), peerAddress: this.name(r.peer_addr), peerPort: Number(r.peer_port),
        pid: r.pid === null ? null : Number(r.pid), command: this.name(r.command), openedAt: Number(r.opened_at),
      })),
    };
  }

  /** Socket counts by state at each refresh in [from, to], for every process or one pid. */
  timeline(from: number, to: number, pid?: number): Timeline {
    const base = this.db.get<{ at: number | null }>('SELECT max(at) AS at FROM ticks WHERE at <= ? AND full = 1', [from])?.at;
    const start = base === null || base === undefined ? from : Number(base);
    const ticks = this.db.all<{ at: number; full: number }>('SELECT at, full FROM ticks WHERE at >= ? AND at <= ? ORDER BY at', [start, to]);
    const rows = pid === undefined
      ? this.db.all<{ at: number; pid: number; state: number; n: number }>('SELECT at, pid, state, n FROM counts WHERE at >= ? AND at <= ? ORDER BY at', [start, to])
      : this.db.all<{ at: number; pid: number; state: number; n: number }>('SELECT at, pid, state, n FROM counts WHERE at >= ? AND at <= ? AND pid = ? ORDER BY at', [start, to, pid]);
    const current = new Map<number, number>(); // pid*16+state -> n
    const out: Timeline = { at: [], byState: new Map() };
    let i = 0;
    for (const tick of ticks) {
      const at = Number(tick.at);
      // A full refresh lists every (pid, state) pair: pairs it lacks are gone.
      if (Number(tick.full) === 1) current.clear();
      for (; i < rows.length && Number(rows[i].at) <= at; i++) {
        const r = rows[i];
        current.set(Number(r.pid) * 16 + Number(r.state), Number(r.n));
      }
      if (at < from) continue;
      const idx = out.at.length;
      out.at.push(at);
      const sums = new Map<number, number>();
      for (const [k, n] of current) sums.set(k % 16, (sums.get(k % 16) ?? 0) + n);
      for (const [state, n] of sums) {
        let series = out.byState.get(state);
        if (!series) { series = new Array<number>(idx).fill(0); out.byState.set(state, series); }
        series.push(n);
      }
      for (const series of out.byState.values()) if (series.length === idx) series.push(0);
    }
    return out;
  }

  close(): void {
    this.db.close();
  }
}
