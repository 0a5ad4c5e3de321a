// The connection log as JSON Lines (`sockscope log --json`, and anything else that exports it): the keys
// are issue 14's contract, in this order. One writer for every row, fast enough for 720,000 lines in a
// few hundred milliseconds: texts are quoted once per name, and a time's ISO text is made once per second.
import { CLOSED_BY, NETIDS } from './schema';
import type { PackedRow } from './log-pack';
import type { LogRow } from './queries';

/** The JSON Lines keys, in order (documented in docs/history.md). */
export const LOG_KEYS = ['netid', 'localAddress', 'localPort', 'peerAddress', 'peerPort', 'pid', 'command', 'openedAt', 'closedAt', 'durationMs', 'bytesSent', 'bytesReceived', 'retrans', 'closedBy'] as const;

const ascii = (t: string): Uint8Array => Uint8Array.from(t, (c) => c.charCodeAt(0));
const utf8 = (t: string): Uint8Array => new TextEncoder().encode(t);
// The constant text between the values, merged with the values that have few forms.
const HEAD = NETIDS.map((n) => ascii(`{"netid":${JSON.stringify(n)},"localAddress":`));
const TAIL: Record<number, Uint8Array> = { 0: ascii(',"closedBy":null}\n'), 1: ascii(`,"closedBy":${JSON.stringify(CLOSED_BY[1])}}\n`), 2: ascii(`,"closedBy":${JSON.stringify(CLOSED_BY[2])}}\n`) };
const K = {
  localPort: ascii(',"localPort":'), peerAddress: ascii(',"peerAddress":'), peerPort: ascii(',"peerPort":'), pid: ascii(',"pid":'),
  command: ascii(',"command":'), openedAt: ascii(',"openedAt":'), closedAt: ascii(',"closedAt":'), durationMs: ascii(',"durationMs":'),
  bytesSent: ascii(',"bytesSent":'), bytesReceived: ascii(',"bytesReceived":'), retrans: ascii(',"retrans":'),
};
const NULL = ascii('null');
/** Room a row needs besides its names. */
const ROW_BYTES = 512;

/** ISO 8601 text of epoch ms, as Date#toISOString, quoted; the text up to the second is made once per second. */
class IsoTime {
  private sec = NaN;
  prefix: Uint8Array = new Uint8Array(0);
  set(ms: number): number {
    const sec = Math.floor(ms / 1000);
    if (sec !== this.sec) {
      const iso = new Date(sec * 1000).toISOString();
      this.sec = sec;
      this.prefix = ascii(`"${iso.slice(0, iso.length - 4)}`); // up to and with the '.'
    }
    return ms - sec * 1000;
  }
}

/**
 * Writes log lines as bytes into chunks it hands out, from rows whose texts are ids in `names`. No
 * string per row: 720,000 lines would otherwise spend more time collecting garbage than writing.
 */
export class LogJsonWriter {
  private readonly quoted: (Uint8Array | undefined)[] = [];
  private readonly opened = new IsoTime();
  private readonly closed = new IsoTime();
  private buf: Uint8Array;
  private pos = 0;

  constructor(private readonly names: readonly (string | null)[], chunkBytes = 1 << 20) {
    this.buf = new Uint8Array(Math.max(chunkBytes, 4 * ROW_BYTES));
  }

  private text(id: number | null): Uint8Array {
    if (id === null) return NULL;
    let q = this.quoted[id];
    if (q === undefined) { const t = this.names[id]; q = t === null || t === undefined ? NULL : utf8(JSON.stringify(t)); this.quoted[id] = q; }
    return q;
  }

  private put(src: Uint8Array): void {
    const buf = this.buf, n = src.length;
    let p = this.pos;
    for (let k = 0; k < n; k++) buf[p++] = src[k];
    this.pos = p;
  }

  private num(v: number | null): void {
    if (v === null) { this.put(NULL); return; }
    const buf = this.buf;
    if (v < 0) { buf[this.pos++] = 45; v = -v; }
    let digits = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    if (v < 0x80000000) { do { const q: number = (v / 10) | 0; buf[--p] = 48 + v - q * 10; v = q; } while (v); }
    else { do { const q: number = Math.floor(v / 10); buf[--p] = 48 + v - q * 10; v = q; } while (v); }
  }

  private time(t: IsoTime, ms: number): void {
    const m = t.set(ms);
    this.put(t.prefix);
    const buf = this.buf;
    const h = (m / 100) | 0, d = ((m - h * 100) / 10) | 0;
    buf[this.pos] = 48 + h; buf[this.pos + 1] = 48 + d; buf[this.pos + 2] = 48 + m - h * 100 - d * 10;
    buf[this.pos + 3] = 90; buf[this.pos + 4] = 34; // Z"
    this.pos += 5;
  }

  /** Appends one row's line; returns a full chunk to pass on (valid until the next call) or null. */
  row(r: PackedRow): Uint8Array | null {
    const la = this.text(r.localAddr), pa = this.text(r.peerAddr), cmd = this.text(r.command);
    let full: Uint8Array | null = null;
    if (this.pos + ROW_BYTES + la.length + pa.length + cmd.length > this.buf.length) {
      full = this.take();
      if (ROW_BYTES + la.length + pa.length + cmd.length > this.buf.length) this.buf = new Uint8Array(2 * (ROW_BYTES + la.length + pa.length + cmd.length));
    }
    this.put(HEAD[r.netid] ?? HEAD[0]); this.put(la);
    this.put(K.localPort); this.num(r.localPort);
    this.put(K.peerAddress); this.put(pa);
    this.put(K.peerPort); this.num(r.peerPort);
    this.put(K.pid); this.num(r.pid);
    this.put(K.command); this.put(cmd);
    this.put(K.openedAt); this.time(this.opened, r.openedAt);
    this.put(K.closedAt); this.time(this.closed, r.closedAt);
    this.put(K.durationMs); this.num(r.closedAt - r.openedAt);
    this.put(K.bytesSent); this.num(r.bytesSent);
    this.put(K.bytesReceived); this.num(r.bytesReceived);
    this.put(K.retrans); this.num(r.retrans);
    this.put(TAIL[r.closedBy ?? 0] ?? TAIL[0]);
    return full;
  }

  /** The bytes written since the last chunk (valid until the next call). */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    // The chunk handed out keeps its bytes: later rows go to a fresh buffer.
    this.buf = new Uint8Array(this.buf.length);
    this.pos = 0;
    return out;
  }
}

/** One row read back with its texts (what the filtered log prints): the same line as LogJsonWriter's. */
export function logRowJson(r: LogRow): string {
  return JSON.stringify({
    netid: r.netid, localAddress: r.localAddress, localPort: r.localPort, peerAddress: r.peerAddress, peerPort: r.peerPort,
    pid: r.pid, command: r.command, openedAt: new Date(r.openedAt).toISOString(), closedAt: new Date(r.closedAt).toISOString(),
    durationMs: r.durationMs, bytesSent: r.bytesSent, bytesReceived: r.bytesReceived, retrans: r.retrans, closedBy: r.closedBy,
  });
}
