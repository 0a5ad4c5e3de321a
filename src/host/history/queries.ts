// Reading a recording: the connection log, the sockets listed at a moment, and counts over time.
// Rows come back with their names resolved from one read of `names` (no join per row).
import type { LogRow, MomentRow } from '../../protocol/history-requests';
import { CLOSED_BY, NETIDS, checkReadable } from './schema';
import { describeSqlError, openStore, type SqlStore } from './sqlite';

// The row shapes are the protocol's (history-requests.ts): written once, sent as they are read.
export type { LogRow, MomentRow, RecordedSocket } from '../../protocol/history-requests';

export interface Timeline {
  /** Refresh times, ms. */
  at: number[];
  /** Kernel state number -> count at each refresh. */
  byState: Map<number, number[]>;
}

const LISTEN = 10;

export class Recording {
  /** The read-only connection, for the queries of sibling modules (log-pages.ts, timeline-query.ts). */
  readonly db: SqlStore;
  private names: (string | null)[] = [];

  constructor(readonly path: string, options: { engine?: 'node:sqlite' | 'wasm' } = {}) {
    this.db = openStore(path, { readOnly: true, engine: options.engine });
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

  /** Closed connections (listeners left out) whose close falls in [from, to], oldest close first. */
  *log(from: number, to: number): Generator<LogRow> {
    const rows = this.db.all<Record<string, number | null>>(
      `SELECT id, netid, netns, local_addr, local_port, peer_addr, peer_port, pid, command, state, opened_at, closed_at,
         closed_by, bytes_sent, bytes_received, retrans FROM sockets
       WHERE closed_at IS NOT NULL AND closed_at >= ? AND closed_at <= ? AND first_state != ${LISTEN} ORDER BY closed_at, id`, [from, to]);
    for (const r of rows) yield this.logRow(r);
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
   * The log as `sockscope log --json` prints it, one JSON text per row, made by SQLite itself (the
   * same keys, order and values as the CLI's logJson; tested): an hour at 100 closes per second in
   * well under a second. `netids`: NETIDS indexes to keep, or all.
   */
  *logJsonLines(from: number, to: number, netids?: readonly number[]): Generator<string> {
    const iso = (col: string): string => `strftime('%Y-%m-%dT%H:%M:%fZ', ${col} / 1000.0, 'unixepoch')`;
    const kinds = netids && netids.length ? ` AND s.netid IN (${netids.map((n) => Math.trunc(n)).join(', ')})` : '';
    const sql = `SELECT json_object('netid', CASE s.netid ${NETIDS.map((n, i) => `WHEN ${i} THEN '${n}'`).join(' ')} END,
        'localAddress', la.text, 'localPort', s.local_port, 'peerAddress', pa.text, 'peerPort', s.peer_port,
        'pid', s.pid, 'command', c.text, 'openedAt', ${iso('s.opened_at')}, 'closedAt', ${iso('s.closed_at')},
        'durationMs', s.closed_at - s.opened_at, 'bytesSent', s.bytes_sent, 'bytesReceived', s.bytes_received,
        'retrans', s.retrans, 'closedBy', CASE s.closed_by WHEN 1 THEN 'kernel-event' WHEN 2 THEN 'watch' END) AS j
      FROM sockets s LEFT JOIN names la ON la.id = s.local_addr LEFT JOIN names pa ON pa.id = s.peer_addr LEFT JOIN names c ON c.id = s.command
      WHERE s.closed_at IS NOT NULL AND s.closed_at >= ? AND s.closed_at <= ? AND s.first_state != ${LISTEN}${kinds} ORDER BY s.closed_at, s.id`;
    for (const r of this.db.iterate<{ j: string }>(sql, [from, to])) yield r.j;
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
    const rows = this.db.all<Record<string, number | null>>(
      `SELECT id, netid, local_addr, local_port, peer_addr, peer_port, pid, command, opened_at,
         coalesce((SELECT c.state FROM state_changes c WHERE c.socket = s.id AND c.at <= ?1 ORDER BY c.at DESC LIMIT 1), first_state) AS st
       FROM sockets s WHERE seen_from IS NOT NULL AND seen_from <= ?1 AND (seen_to IS NULL OR seen_to >= ?1) ORDER BY id`, [at]);
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
