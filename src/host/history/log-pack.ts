// The connection log packed in pages (table log_pages; log-pages.ts is the log table's paging, another
// thing): closed connections, oldest close first, many per BLOB. Reading a row from SQLite costs about a microsecond on either engine whatever it holds, so an
// hour at 100 closes per second (720,000 rows with both ends of each) cannot be read row by row in half
// a second; a page of a few thousand rows is one read, decoded here in JavaScript.
//
// A page is a sequence of rows, each a run of unsigned LEB128 varints: deltas from the row before
// (id, closed_at; zigzag), the duration (zigzag), netid | closed_by << 4 | state << 6, the name ids of
// netns, local and peer address and command (+1, 0 for null), the two ports, pid + 1, bytes sent + 1,
// bytes received + 1, retransmits + 1 (0 for null). About 25 bytes a row. Pure: no SQLite here.

/** A closed connection as a page holds it (names as their ids in `names`). */
export interface PackedRow {
  id: number;
  netid: number;
  netns: number | null;
  localAddr: number | null;
  localPort: number;
  peerAddr: number | null;
  peerPort: number;
  pid: number | null;
  command: number | null;
  state: number;
  openedAt: number;
  closedAt: number;
  /** 1 kernel-event, 2 watch, null unknown. */
  closedBy: number | null;
  bytesSent: number | null;
  bytesReceived: number | null;
  retrans: number | null;
}

/** Rows per page (a page ends at a change of closed_at past this, so pages never share a close time). */
export const PAGE_ROWS = 4096;

class Bytes {
  buf = new Uint8Array(1 << 16);
  n = 0;
  u(v: number): void {
    if (this.n + 10 > this.buf.length) { const b = new Uint8Array(this.buf.length * 2); b.set(this.buf); this.buf = b; }
    // Numbers up to 2^53: division, not shifts (which are 32-bit).
    while (v >= 0x80) { this.buf[this.n++] = (v % 0x80) | 0x80; v = Math.floor(v / 0x80); }
    this.buf[this.n++] = v;
  }
  z(v: number): void { this.u(v < 0 ? -2 * v - 1 : 2 * v); }
  opt(v: number | null): void { this.u(v === null ? 0 : v + 1); }
}

/** Packs rows (sorted by closed_at, id) into one page. */
export function packPage(rows: readonly PackedRow[]): Uint8Array {
  const b = new Bytes();
  let id = 0, closed = 0;
  for (const r of rows) {
    b.z(r.id - id); id = r.id;
    b.z(r.closedAt - closed); closed = r.closedAt;
    b.z(r.closedAt - r.openedAt);
    b.u(r.netid | ((r.closedBy ?? 0) << 4) | (r.state << 6));
    b.opt(r.netns); b.opt(r.localAddr); b.opt(r.peerAddr); b.opt(r.command);
    b.u(r.localPort); b.u(r.peerPort);
    b.opt(r.pid); b.opt(r.bytesSent); b.opt(r.bytesReceived); b.opt(r.retrans);
  }
  return b.buf.slice(0, b.n);
}

/** Varints per row (packPage's order). */
const ROW_VARINTS = 14;
/** The varints of the page being unpacked (grown as pages need; one page is unpacked at a time). */
let scratch = new Float64Array(1 << 16);

/**
 * Calls `row` for each row of a page, with one reused object (copy what you keep): decoding 720,000
 * rows allocates nothing per row. Two passes: every varint of the page into `scratch` (one tight loop
 * over the bytes), then the rows from those numbers.
 */
export function unpackPage(data: Uint8Array, row: (r: PackedRow) => void): void {
  if (scratch.length < data.length) scratch = new Float64Array(data.length);
  const vals = scratch;
  let count = 0, v = 0, m = 1;
  for (let j = 0; j < data.length; j++) {
    const b = data[j];
    if (b < 0x80) { vals[count++] = v + b * m; v = 0; m = 1; }
    else { v += (b & 0x7f) * m; m *= 0x80; }
  }
  const z = (x: number): number => (x % 2 === 0 ? x / 2 : -(x + 1) / 2);
  const r: PackedRow = { id: 0, netid: 0, netns: null, localAddr: null, localPort: 0, peerAddr: null, peerPort: 0, pid: null, command: null, state: 0, openedAt: 0, closedAt: 0, closedBy: null, bytesSent: null, bytesReceived: null, retrans: null };
  // A page cut short (damaged) ends at its last whole row.
  for (let k = 0; k + ROW_VARINTS <= count; k += ROW_VARINTS) {
    r.id += z(vals[k]);
    r.closedAt += z(vals[k + 1]);
    r.openedAt = r.closedAt - z(vals[k + 2]);
    const f = vals[k + 3];
    r.netid = f & 0xf; r.closedBy = (f >> 4) & 3 || null; r.state = f >> 6;
    let x = vals[k + 4]; r.netns = x === 0 ? null : x - 1;
    x = vals[k + 5]; r.localAddr = x === 0 ? null : x - 1;
    x = vals[k + 6]; r.peerAddr = x === 0 ? null : x - 1;
    x = vals[k + 7]; r.command = x === 0 ? null : x - 1;
    r.localPort = vals[k + 8]; r.peerPort = vals[k + 9];
    x = vals[k + 10]; r.pid = x === 0 ? null : x - 1;
    x = vals[k + 11]; r.bytesSent = x === 0 ? null : x - 1;
    x = vals[k + 12]; r.bytesReceived = x === 0 ? null : x - 1;
    x = vals[k + 13]; r.retrans = x === 0 ? null : x - 1;
    row(r);
  }
}
