// The connection log in pages, for a table that scrolls over a million rows: the first page of a
// (range, filter, sort) computes the order once, as the row ids alone (8 bytes a row, one SQL sort
// on the indexed columns, the filter evaluated on a few columns per row); every page after it reads
// only its own rows by id. `total` is the length of that order. A recording being written is read
// again when it has grown, at most every REBUILD_MS, so scrolling a live log stays cheap.
import { TCP_STATE } from '../../fields/socket-states';
import type { LogSortColumn } from '../../protocol/history-requests';
import type { LogRow, Recording } from './queries';
import type { RowMatch } from './row-filter';
import { NETIDS } from './schema';

const { LISTEN } = TCP_STATE;
/** How stale the order of a growing recording may get while the table scrolls. */
const REBUILD_MS = 3000;
const MAX_CACHED = 4;

/** Each sort column as SQL over `sockets s` (text columns through their `names` row, joined). */
const ORDER_SQL: Readonly<Record<LogSortColumn, { expr: string; join?: string }>> = {
  closedAt: { expr: 's.closed_at' },
  openedAt: { expr: 's.opened_at' },
  durationMs: { expr: 's.closed_at - s.opened_at' },
  bytesSent: { expr: 's.bytes_sent' },
  bytesReceived: { expr: 's.bytes_received' },
  retrans: { expr: 's.retrans' },
  pid: { expr: 's.pid' },
  command: { expr: 'n.text', join: 'LEFT JOIN names n ON n.id = s.command' },
  localAddress: { expr: 'n.text', join: 'LEFT JOIN names n ON n.id = s.local_addr' },
  localPort: { expr: 's.local_port' },
  peerAddress: { expr: 'n.text', join: 'LEFT JOIN names n ON n.id = s.peer_addr' },
  peerPort: { expr: 's.peer_port' },
  netid: { expr: `CASE s.netid ${NETIDS.map((n, i) => `WHEN ${i} THEN '${n}'`).join(' ')} END` },
  state: { expr: 's.state' },
  closedBy: { expr: 's.closed_by' },
};

export interface LogPageQuery {
  since: number;
  until: number;
  sort: { column: LogSortColumn; descending: boolean };
  /** The filter's text (the cache key) and its predicate. */
  filterText: string;
  match: RowMatch | null;
}

interface Order {
  key: string;
  ids: Float64Array;
  builtAt: number;
  /** The last refresh of the recording when built: a later one means it grew. */
  lastTick: number | null;
}

export class LogPages {
  private readonly orders: Order[] = [];

  constructor(private readonly rec: Recording) {}

  page(q: LogPageQuery, offset: number, limit: number, now = Date.now()): { total: number; rows: LogRow[] } {
    const order = this.order(q, now);
    const slice = Array.from(order.ids.subarray(Math.min(offset, order.ids.length), Math.min(offset + limit, order.ids.length)));
    if (slice.length === 0) return { total: order.ids.length, rows: [] };
    const found = this.rec.db.all<Record<string, number | null>>(
      `SELECT s.id, s.netid, s.netns, s.local_addr, s.local_port, s.peer_addr, s.peer_port, s.pid, s.command, s.state, s.opened_at, s.closed_at,
         s.closed_by, s.bytes_sent, s.bytes_received, s.retrans FROM json_each(?) j JOIN sockets s ON s.id = j.value`, [JSON.stringify(slice)]);
    const byId = new Map<number, LogRow>();
    for (const r of found) byId.set(Number(r.id), this.rec.logRow(r));
    const rows: LogRow[] = [];
    for (const id of slice) { const r = byId.get(id); if (r) rows.push(r); }
    return { total: order.ids.length, rows };
  }

  private order(q: LogPageQuery, now: number): Order {
    const key = JSON.stringify([q.since, q.until, q.sort.column, q.sort.descending, q.filterText]);
    const i = this.orders.findIndex((o) => o.key === key);
    const lastTick = this.rec.span()?.to ?? null;
    if (i >= 0) {
      const o = this.orders[i];
      // Closes up to `until` are final once a refresh after it was recorded.
      const settled = o.lastTick === lastTick || (o.lastTick !== null && q.until <= o.lastTick);
      if (settled || now - o.builtAt < REBUILD_MS) return o;
      this.orders.splice(i, 1);
    }
    this.rec.refreshNames();
    const o: Order = { key, ids: this.build(q), builtAt: now, lastTick };
    this.orders.unshift(o);
    if (this.orders.length > MAX_CACHED) this.orders.pop();
    return o;
  }

  private build(q: LogPageQuery): Float64Array {
    const { expr, join } = ORDER_SQL[q.sort.column];
    const dir = q.sort.descending ? 'DESC' : 'ASC';
    const where = `s.closed_at IS NOT NULL AND s.closed_at >= ? AND s.closed_at <= ? AND s.first_state != ${LISTEN}`;
    const ids: number[] = [];
    if (!q.match) {
      for (const r of this.rec.db.iterate<{ id: number }>(`SELECT s.id FROM sockets s ${join ?? ''} WHERE ${where} ORDER BY ${expr} ${dir}, s.id ${dir}`, [q.since, q.until])) ids.push(Number(r.id));
      return Float64Array.from(ids);
    }
    const match = q.match;
    const sql = `SELECT s.id, s.netid, s.state, s.local_addr, s.local_port, s.peer_addr, s.peer_port FROM sockets s ${join ?? ''}
      WHERE ${where} ORDER BY ${expr} ${dir}, s.id ${dir}`;
    for (const r of this.rec.db.iterate<Record<string, number | null>>(sql, [q.since, q.until])) {
      const row = {
        netid: NETIDS[Number(r.netid)] ?? 'tcp', state: Number(r.state),
        localAddress: this.rec.name(r.local_addr), localPort: Number(r.local_port), peerAddress: this.rec.name(r.peer_addr), peerPort: Number(r.peer_port),
      };
      if (match(row)) ids.push(Number(r.id));
    }
    return Float64Array.from(ids);
  }
}
