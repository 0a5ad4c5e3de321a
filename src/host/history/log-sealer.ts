// Keeps log_pages (log-pack.ts) in step with `sockets`: the writer seals closes that are old enough to
// be final into pages, opens a page again when a late close or owner changes a row it holds, and drops
// pages with retention. The invariant readers rely on: every closed, non-listener socket whose
// closed_at is in [meta('log_pages_from'), meta('log_sealed_to')) is in exactly one page, pages are in
// id order of their closes and never share a close time. Outside that range a reader asks `sockets`.
import { TCP_STATE } from '../../fields/socket-states';
import { packPage, PAGE_ROWS, type PackedRow } from './log-pack';
import type { SqlStore } from './sqlite';

const { LISTEN } = TCP_STATE;

/** The columns of a log row, named as PackedRow (one SELECT list for the sealer and the readers). */
export const PACKED_COLUMNS = `id, netid, netns, local_addr AS localAddr, local_port AS localPort, peer_addr AS peerAddr, peer_port AS peerPort,
  pid, command, state, opened_at AS openedAt, closed_at AS closedAt, closed_by AS closedBy, bytes_sent AS bytesSent,
  bytes_received AS bytesReceived, retrans`;
/** Which sockets are log rows. */
export const LOG_ROWS = `closed_at IS NOT NULL AND first_state != ${LISTEN}`;

export interface PagedRange { from: number; to: number }

function metaNumber(db: SqlStore, key: string): number | null {
  const r = db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]);
  return r === undefined ? null : Number(r.value);
}

function setRange(db: SqlStore, r: PagedRange): void {
  db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('log_pages_from', ?), ('log_sealed_to', ?)", [String(r.from), String(r.to)]);
}

/** The closes the pages hold, [from, to) (none when to <= from: before the first seal, or a version 1 file). */
export function pagedRange(db: SqlStore): PagedRange {
  const version = Number(db.get<{ user_version: number }>('PRAGMA user_version')?.user_version ?? 0);
  if (version < 2) return { from: 0, to: 0 };
  const from = metaNumber(db, 'log_pages_from'), to = metaNumber(db, 'log_sealed_to');
  return from === null || to === null ? { from: 0, to: 0 } : { from, to };
}

/** Numbers as SQLite returns them (bigint past 2^53 on node:sqlite never happens for these columns). */
function packed(r: Record<string, unknown>): PackedRow {
  const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id), netid: Number(r.netid), netns: n(r.netns), localAddr: n(r.localAddr), localPort: Number(r.localPort ?? 0),
    peerAddr: n(r.peerAddr), peerPort: Number(r.peerPort ?? 0), pid: n(r.pid), command: n(r.command), state: Number(r.state),
    openedAt: Number(r.openedAt), closedAt: Number(r.closedAt), closedBy: n(r.closedBy), bytesSent: n(r.bytesSent),
    bytesReceived: n(r.bytesReceived), retrans: n(r.retrans),
  };
}

/** Log rows with closed_at in [from, to), as PackedRow, oldest close first. */
export function logRows(db: SqlStore, from: number, to: number): IterableIterator<Record<string, unknown>> {
  return db.iterate<Record<string, unknown>>(`SELECT ${PACKED_COLUMNS} FROM sockets WHERE ${LOG_ROWS} AND closed_at >= ? AND closed_at < ? ORDER BY closed_at, id`, [from, to]);
}
export { packed as toPackedRow };

/**
 * Seals the closes before `horizon` that no page holds yet, at most about `maxRows` of them (the rest
 * on the next call). Call inside a transaction. Returns how many rows it sealed.
 */
export function sealLog(db: SqlStore, horizon: number, maxRows = 100_000): number {
  const range = pagedRange(db);
  if (horizon <= range.to) return 0;
  let rows: PackedRow[] = [];
  let sealed = 0;
  let end = horizon;
  const flush = (): void => {
    if (!rows.length) return;
    db.run('INSERT INTO log_pages (closed_from, closed_to, rows, data) VALUES (?, ?, ?, ?)', [rows[0].closedAt, rows[rows.length - 1].closedAt, rows.length, packPage(rows)]);
    sealed += rows.length;
    rows = [];
  };
  for (const raw of logRows(db, range.to, horizon)) {
    const r = packed(raw);
    const last = rows.length ? rows[rows.length - 1].closedAt : null;
    // A page (and a call) ends only where the close time changes: pages never share one.
    if (last !== null && r.closedAt !== last) {
      if (sealed + rows.length >= maxRows) { end = r.closedAt; break; }
      if (rows.length >= PAGE_ROWS) flush();
    }
    rows.push(r);
  }
  flush();
  // Sealing continues where the last seal ended (range.to); an empty range starts there.
  setRange(db, { from: range.to > range.from ? range.from : range.to, to: end });
  return sealed;
}

/**
 * A row with a close at or after `t` changes (a late close, its owner): the pages from there are
 * dropped, and those closes are read from `sockets` again until the next seal. Inside a transaction.
 */
export function unsealFrom(db: SqlStore, t: number): void {
  const range = pagedRange(db);
  if (t >= range.to) return;
  const first = db.get<{ lo: number | null }>('SELECT min(closed_from) AS lo FROM log_pages WHERE closed_to >= ?', [t])?.lo;
  db.run('DELETE FROM log_pages WHERE closed_to >= ?', [t]);
  const to = Math.min(t, first === null || first === undefined ? t : Number(first));
  setRange(db, { from: Math.min(range.from, to), to });
}

/** The earliest sealed close among sockets `ids` (a page may hold them: a change to them must unseal), or null. */
export function sealedClose(db: SqlStore, ids: readonly number[], range: PagedRange): number | null {
  if (range.to <= range.from || ids.length === 0) return null;
  // One statement for the batch, not one per socket.
  const r = db.get<{ lo: number | null }>('SELECT min(closed_at) AS lo FROM sockets WHERE id IN (SELECT value FROM json_each(?)) AND closed_at < ?', [JSON.stringify(ids), range.to]);
  return r?.lo === null || r?.lo === undefined ? null : Number(r.lo);
}

/** Retention: pages that start before `cutoff` go (their rows that `sockets` keeps are read from there). */
export function dropPagesBefore(db: SqlStore, cutoff: number): void {
  const range = pagedRange(db);
  if (range.to <= range.from || cutoff <= range.from) return;
  db.run('DELETE FROM log_pages WHERE closed_from < ?', [cutoff]);
  const lo = db.get<{ lo: number | null }>('SELECT min(closed_from) AS lo FROM log_pages')?.lo;
  setRange(db, { from: lo === null || lo === undefined ? range.to : Math.min(Number(lo), range.to), to: range.to });
}
