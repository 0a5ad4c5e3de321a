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

export class LogTextWriter extends ChunkedBytes implements LogRowWriter {
  /** Per command id + 1: the padded command column. */
  private readonly commands: (Fragment | undefined)[] = [];
  /** Per address id + 1: `ADDRESS:` as hostPort writes it (padded after the port). */
  private readonly hosts: (Fragment | undefined)[] = [];
  private readonly closed = new IsoSecond('');

  constructor(private readonly names: readonly (string | null)[], chunkBytes = 1 << 20) {
    super(Math.max(chunkBytes, 4 * ROW_BYTES));
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
    const hp = hostPort(this.text(id), 0);
    return this.hosts[k] ??= new Fragment(hp.slice(0, hp.length - 1));
  }

  /** A number (or '-') padded to n. */
  private field(v: number | null, n: number): void {
    if (v === null) { this.put(dash(n)); return; }
    const w = this.int(v);
    const len = w >= 0 ? w : width(-v) + 1;
    this.spaces(len >= n ? 1 : n - len);
  }

  private address(h: Fragment, port: number): void {
    this.put(h);
    const len = h.chars + this.int(port);
    this.spaces(len >= W.address ? 1 : W.address - len);
  }

  row(r: PackedRow): void {
    const cmd = this.command(r.command), la = this.host(r.localAddr), pa = this.host(r.peerAddr);
    this.room(ROW_BYTES + cmd.len + la.len + pa.len);
    this.put(NETID[r.netid] ?? NETID[0]);
    this.field(r.pid, W.pid);
    this.put(cmd);
    this.address(la, r.localPort);
    this.address(pa, r.peerPort);
    this.field(r.bytesSent, W.sent);
    this.field(r.bytesReceived, W.received);
    this.field(r.retrans, W.retrans);
    this.field(r.closedAt - r.openedAt, W.duration);
    // The ISO text is 24 characters (27 past year 9999): never shorter than its column, so one space.
    const ms = this.closed.set(r.closedAt);
    this.put(this.closed.frag);
    this.ms(ms);
    this.put(ZONE);
    this.put(BY[r.closedBy ?? 0] ?? BY[0]);
  }
}
