// The connection log as `sockscope log` prints it without --json: a table in columns padded as
// String#padEnd pads (a text as wide as its column or wider gets one space). Written as bytes from
// the log pages: the padded texts of each name made once, numbers digit by digit, the closing time's
// ISO text once per second; no string per row.
import { NETIDS } from './schema';
import { CLOSED_BY } from './schema';
import type { PackedRow } from './log-pack';
import type { LogRowWriter } from './queries';
import { ChunkedBytes, Fragment, IsoSecond, width } from './log-bytes';

/** The header line. */
export const LOG_TEXT_HEADER = 'Netid PID     Command          Local Address:Port                 Peer Address:Port                  Sent     Received Retrans Duration(ms) Closed                   By\n';

/** Column widths (the header's). */
const W = { netid: 5, pid: 7, command: 16, address: 34, sent: 8, received: 8, retrans: 7, duration: 12, closed: 24 } as const;

/** What a column holds: `s` padded to `n` (at least one space after it). */
export function pad(s: string, n: number): string {
  return s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length);
}

/** An address and port as the table shows them (IPv6 in brackets, `*` for none). */
export function hostPort(a: string | null, p: number): string {
  return `${a === null ? '*' : a.includes(':') ? `[${a}]` : a}:${p}`;
}

const NETID = NETIDS.map((n) => new Fragment(pad(n, W.netid)));
const DASH = new Map<number, Fragment>();
const dash = (n: number): Fragment => { let f = DASH.get(n); if (!f) { f = new Fragment(pad('-', n)); DASH.set(n, f); } return f; };
const ZONE = new Fragment('Z ');
const BY = [new Fragment('-\n'), new Fragment(`${CLOSED_BY[1]}\n`), new Fragment(`${CLOSED_BY[2]}\n`)];
/** Room a row needs besides its names. */
const ROW_BYTES = 256;

/** Characters of a number column's text ('-' for none). */
function chars(v: number | null): number {
  return v === null ? 1 : v < 0 ? width(-v) + 1 : width(v);
}

/** Whether v's column keeps its width written over pv's (the same value, or a text narrower than the column). */
function fits(v: number | null, pv: number | null, n: number): boolean {
  return v === pv || chars(v) < n;
}

/** A line every column of which is as wide as the column (no value overflowed it), and where they start. */
interface Shape {
  start: number; end: number;
  netid: number; cmd: number | null; la: number | null; pa: number | null; by: number; isoLen: number;
  oPid: number; oLp: number; oPp: number; oSent: number; oReceived: number; oRetrans: number; oDuration: number; oIso: number;
  pid: number | null; lp: number; pp: number; sent: number | null; received: number | null; retrans: number | null; duration: number; sec: number; ms: number;
}

/** Line shapes remembered (the two ends of a connection alternate). */
const SHAPES = 4;

export class LogTextWriter extends ChunkedBytes implements LogRowWriter {
  /** Per command id + 1: the padded command column. */
  private readonly commands: (Fragment | undefined)[] = [];
  /** Per address id + 1: `ADDRESS:` as hostPort writes it (padded after the port). */
  private readonly hosts: (Fragment | undefined)[] = [];
  private readonly closed = new IsoSecond('');
  private readonly shapes: Shape[] = Array.from({ length: SHAPES }, (): Shape => ({
    start: 0, end: 0, netid: -1, cmd: null, la: null, pa: null, by: 0, isoLen: 0, oPid: 0, oLp: 0, oPp: 0, oSent: 0, oReceived: 0, oRetrans: 0, oDuration: 0, oIso: 0,
    pid: null, lp: 0, pp: 0, sent: null, received: null, retrans: null, duration: 0, sec: 0, ms: 0,
  }));
  private live = 0;
  private next = 0;

  constructor(private readonly names: readonly (string | null)[], chunkBytes = 1 << 20) {
    super(Math.max(chunkBytes, 4 * ROW_BYTES));
  }

  /** A new chunk holds none of the lines before. */
  protected override reset(): void {
    this.live = 0;
    this.next = 0;
  }

  private text(id: number | null): string | null {
    return id === null ? null : (this.names[id] ?? null);
  }

  private command(id: number | null): Fragment {
    const k = id === null ? 0 : id + 1;
    return this.commands[k] ??= new Fragment(pad(this.text(id) ?? '-', W.command));
  }

  private host(id: number | null): Fragment {
    const k = id === null ? 0 : id + 1;
    return this.hosts[k] ??= new Fragment(hostPort(this.text(id), 0).slice(0, -1));
  }

  /** A number (or '-') padded to n; returns whether it was narrower than the column. */
  private field(v: number | null, n: number): boolean {
    if (v === null) { this.put(dash(n)); return true; }
    const w = this.int(v);
    const len = w >= 0 ? w : width(-v) + 1;
    this.spaces(len >= n ? 1 : n - len);
    return len < n;
  }

  private address(h: Fragment, port: number): boolean {
    this.put(h);
    const len = h.chars + this.int(port);
    this.spaces(len >= W.address ? 1 : W.address - len);
    return len < W.address;
  }

  /**
   * Over a copied line: the column at `at` holds v instead of pv (written byte by byte: nothing past
   * it; the rest of the column is spaces already, past what pv took).
   */
  private column(at: number, v: number | null, pv: number | null): void {
    this.pos = at;
    if (v === null) this.buf[this.pos++] = 45;
    else this.int(v);
    const was = chars(pv), len = this.pos - at;
    if (len < was) this.spaces(was - len);
  }

  row(r: PackedRow): void {
    const cmd = this.command(r.command), la = this.host(r.localAddr), pa = this.host(r.peerAddr);
    this.room(ROW_BYTES + cmd.len + la.len + pa.len);
    const by = r.closedBy ?? 0, duration = r.closedAt - r.openedAt, lp = r.localPort, pp = r.peerPort;
    const ms = this.closed.set(r.closedAt), iso = this.closed.frag;
    let p: Shape | null = null;
    for (let i = 0; i < this.live; i++) {
      const c = this.shapes[i];
      if (c.netid === r.netid && c.cmd === r.command && c.la === r.localAddr && c.pa === r.peerAddr && c.by === by) { p = c; break; }
    }
    if (p !== null && p.isoLen === iso.len && fits(r.pid, p.pid, W.pid) && (lp === p.lp || la.chars + width(lp) < W.address) && (pp === p.pp || pa.chars + width(pp) < W.address)
      && fits(r.bytesSent, p.sent, W.sent) && fits(r.bytesReceived, p.received, W.received) && fits(r.retrans, p.retrans, W.retrans) && fits(duration, p.duration, W.duration)) {
      // The line before, copied, then the columns that differ written over it (each as wide as before).
      const start = this.pos, len = p.end - p.start;
      this.buf.copyWithin(start, p.start, p.end);
      if (r.pid !== p.pid) { this.column(start + p.oPid, r.pid, p.pid); p.pid = r.pid; }
      if (lp !== p.lp) { this.column(start + p.oLp, lp, p.lp); p.lp = lp; }
      if (pp !== p.pp) { this.column(start + p.oPp, pp, p.pp); p.pp = pp; }
      if (r.bytesSent !== p.sent) { this.column(start + p.oSent, r.bytesSent, p.sent); p.sent = r.bytesSent; }
      if (r.bytesReceived !== p.received) { this.column(start + p.oReceived, r.bytesReceived, p.received); p.received = r.bytesReceived; }
      if (r.retrans !== p.retrans) { this.column(start + p.oRetrans, r.retrans, p.retrans); p.retrans = r.retrans; }
      if (duration !== p.duration) { this.column(start + p.oDuration, duration, p.duration); p.duration = duration; }
      // The prefix's last word copy runs into the milliseconds and the Z: both written after it.
      if (this.closed.sec !== p.sec) { this.pos = start + p.oIso; this.put(iso); p.sec = this.closed.sec; p.ms = -1; }
      if (ms !== p.ms) { this.pos = start + p.oIso + iso.len; this.ms(ms); this.buf[this.pos] = 90; p.ms = ms; }
      p.start = start; p.end = start + len;
      this.pos = p.end;
      return;
    }
    const start = this.pos;
    this.put(NETID[r.netid] ?? NETID[0]);
    const oPid = this.pos - start;
    let fixed = this.field(r.pid, W.pid);
    this.put(cmd);
    const oLp = this.pos - start + la.len;
    fixed = this.address(la, lp) && fixed;
    const oPp = this.pos - start + pa.len;
    fixed = this.address(pa, pp) && fixed;
    const oSent = this.pos - start;
    fixed = this.field(r.bytesSent, W.sent) && fixed;
    const oReceived = this.pos - start;
    fixed = this.field(r.bytesReceived, W.received) && fixed;
    const oRetrans = this.pos - start;
    fixed = this.field(r.retrans, W.retrans) && fixed;
    const oDuration = this.pos - start;
    fixed = this.field(duration, W.duration) && fixed;
    // The ISO text is 24 characters (27 past year 9999): never shorter than its column, so one space.
    const oIso = this.pos - start;
    this.put(iso);
    this.ms(ms);
    this.put(ZONE);
    this.put(BY[by] ?? BY[0]);
    if (!fixed) return;
    const s = p ?? this.shapes[this.next];
    if (p === null) { this.next = (this.next + 1) % SHAPES; if (this.live < SHAPES) this.live++; }
    s.start = start; s.end = this.pos; s.netid = r.netid; s.cmd = r.command; s.la = r.localAddr; s.pa = r.peerAddr; s.by = by; s.isoLen = iso.len;
    s.oPid = oPid; s.oLp = oLp; s.oPp = oPp; s.oSent = oSent; s.oReceived = oReceived; s.oRetrans = oRetrans; s.oDuration = oDuration; s.oIso = oIso;
    s.pid = r.pid; s.lp = lp; s.pp = pp; s.sent = r.bytesSent; s.received = r.bytesReceived; s.retrans = r.retrans; s.duration = duration; s.sec = this.closed.sec; s.ms = ms;
  }
}
