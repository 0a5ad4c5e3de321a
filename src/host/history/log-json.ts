// The connection log as JSON Lines (`sockscope log --json`, and anything else that exports it): the keys
// are issue 14's contract, in this order. One writer for every row, fast enough for an hour at 100
// closes per second (720,000 lines, 200 MB) in well under half a second on Node 20:
// - the constant text between the values is merged, with the names around it, into a few fragments
//   made once per name (quoted as JSON.stringify quotes), copied eight bytes at a time;
// - a time's ISO text up to the second is made once per second;
// - a line shaped like the one before it (the same names, every number as wide) is that line copied
//   with one native call, then only the values that differ written over it: consecutive closes of
//   one service differ in their ports and times alone.
// No object and no string per row; the bytes go out in chunks of about a MiB.
import { CLOSED_BY, NETIDS } from './schema';
import type { PackedRow } from './log-pack';
import type { LogRow, LogRowWriter } from './queries';
import { ChunkedBytes, Fragment, IsoSecond, digits, slot } from './log-bytes';

/** The JSON Lines keys, in order (documented in docs/history.md). */
export const LOG_KEYS = ['netid', 'localAddress', 'localPort', 'peerAddress', 'peerPort', 'pid', 'command', 'openedAt', 'closedAt', 'durationMs', 'bytesSent', 'bytesReceived', 'retrans', 'closedBy'] as const;

const q = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));
const HEAD = NETIDS.map((n) => `{"netid":${q(n)},"localAddress":`);
const PID = new Fragment(',"pid":');
const CLOSED_AT = new Fragment('Z","closedAt":');
const DURATION = new Fragment('Z","durationMs":');
const SENT = new Fragment(',"bytesSent":');
const RECEIVED = new Fragment(',"bytesReceived":');
const RETRANS = new Fragment(',"retrans":');
const NULL = new Fragment('null');
const TAIL = [new Fragment(',"closedBy":null}\n'), new Fragment(`,"closedBy":${q(CLOSED_BY[1])}}\n`), new Fragment(`,"closedBy":${q(CLOSED_BY[2])}}\n`)];
/** Line shapes remembered (Shape). */
const SHAPES = 4;
/** Room a row needs besides its names (numbers, times, constant text, word-copy slack). */
const ROW_BYTES = 512;

/**
 * Whether value v can be written over pv in a copy of pv's line: the same value, or a number as wide
 * (pw: slot() of pv; a negative or null one is only ever copied as it is).
 */
function fits(v: number | null, pv: number | null, pw: number): boolean {
  return v === pv || (pw >= 0 && slot(v) === pw);
}

/** Where the line before puts each value, relative to its start, and what it holds. */
interface Shape {
  start: number; end: number;
  netid: number; la: number | null; pa: number | null; cmd: number | null; by: number;
  /** slot() of localPort, peerPort, pid, duration, bytes sent, received, retransmits; and the ISO prefixes' lengths. */
  wLp: number; wPp: number; wPid: number; wDur: number; wBs: number; wBr: number; wRt: number; wOp: number; wCl: number;
  /** Offsets of the value ends (digits are written backwards from there) and of the ISO prefixes. */
  oLp: number; oPp: number; oPid: number; oOp: number; oOms: number; oCl: number; oCms: number; oDur: number; oBs: number; oBr: number; oRt: number;
  lp: number; pp: number; pid: number | null; opSec: number; opMs: number; clSec: number; clMs: number; dur: number; bs: number | null; br: number | null; rt: number | null;
}

/**
 * Writes log lines as bytes into chunks, from rows whose texts are ids in `names`. Full chunks collect
 * in `chunks` (the caller takes them: each is its own buffer, never written again).
 */
export class LogJsonWriter extends ChunkedBytes implements LogRowWriter {
  /** Per netid, per local address id + 1: `{"netid":…,"localAddress":…,"localPort":`. */
  private readonly heads: (Fragment | undefined)[][] = NETIDS.map(() => []);
  /** Per peer address id + 1: `,"peerAddress":…,"peerPort":`. */
  private readonly peers: (Fragment | undefined)[] = [];
  /** Per command id + 1: `,"command":…,"openedAt":`. */
  private readonly commands: (Fragment | undefined)[] = [];
  private readonly opened = new IsoSecond();
  private readonly closed = new IsoSecond();
  /**
   * The last lines of different shapes written in `buf` (none at a chunk's start): a few, since the two
   * ends of a connection alternate (local port 443 then 51000, and back).
   */
  private readonly shapes: Shape[] = Array.from({ length: SHAPES }, (): Shape => ({
    start: 0, end: 0, netid: -1, la: null, pa: null, cmd: null, by: 0, wLp: 0, wPp: 0, wPid: 0, wDur: 0, wBs: 0, wBr: 0, wRt: 0, wOp: 0, wCl: 0,
    oLp: 0, oPp: 0, oPid: 0, oOp: 0, oOms: 0, oCl: 0, oCms: 0, oDur: 0, oBs: 0, oBr: 0, oRt: 0, lp: 0, pp: 0, pid: null, opSec: 0, opMs: 0, clSec: 0, clMs: 0, dur: 0, bs: null, br: null, rt: null,
  }));
  /** How many of `shapes` hold a line of `buf`, and which one the next new shape replaces. */
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

  private text(id: number | null): string {
    if (id === null) return 'null';
    const t = this.names[id];
    return t === null || t === undefined ? 'null' : JSON.stringify(t);
  }

  private head(netid: number, la: number | null): Fragment {
    const byNetid = this.heads[netid] ?? this.heads[0];
    const k = la === null ? 0 : la + 1;
    return byNetid[k] ??= new Fragment(`${HEAD[netid] ?? HEAD[0]}${this.text(la)},"localPort":`);
  }

  private peer(pa: number | null): Fragment {
    const k = pa === null ? 0 : pa + 1;
    return this.peers[k] ??= new Fragment(`,"peerAddress":${this.text(pa)},"peerPort":`);
  }

  private command(cmd: number | null): Fragment {
    const k = cmd === null ? 0 : cmd + 1;
    return this.commands[k] ??= new Fragment(`,"command":${this.text(cmd)},"openedAt":`);
  }

  /** A number or null; returns slot()'s width. */
  private num(v: number | null): number {
    if (v === null) { this.put(NULL); return -1; }
    return this.int(v);
  }

  /** Appends one row's line. */
  row(r: PackedRow): void {
    const la = r.localAddr, pa = r.peerAddr, cmd = r.command, by = r.closedBy ?? 0;
    const opMs = this.opened.set(r.openedAt), clMs = this.closed.set(r.closedAt);
    const dur = r.closedAt - r.openedAt, lp = r.localPort, pp = r.peerPort;
    const op = this.opened.frag, cl = this.closed.frag;
    let p: Shape | null = null;
    for (let i = 0; i < this.live; i++) {
      const c = this.shapes[i];
      if (c.netid === r.netid && c.la === la && c.pa === pa && c.cmd === cmd && c.by === by && fits(lp, c.lp, c.wLp) && fits(pp, c.pp, c.wPp)) { p = c; break; }
    }
    if (p !== null && fits(r.pid, p.pid, p.wPid) && fits(dur, p.dur, p.wDur) && fits(r.bytesSent, p.bs, p.wBs) && fits(r.bytesReceived, p.br, p.wBr)
      && fits(r.retrans, p.rt, p.wRt) && p.wOp === op.len && p.wCl === cl.len && this.pos + (p.end - p.start) + ROW_BYTES <= this.buf.length) {
      // The line before, copied, then what differs written over it (as wide as before: fits()).
      const start = this.pos, buf = this.buf, len = p.end - p.start;
      buf.copyWithin(start, p.start, p.end);
      if (lp !== p.lp) { digits(buf, start + p.oLp, p.wLp, lp); p.lp = lp; }
      if (pp !== p.pp) { digits(buf, start + p.oPp, p.wPp, pp); p.pp = pp; }
      if (r.pid !== p.pid) { digits(buf, start + p.oPid, p.wPid, r.pid!); p.pid = r.pid; }
      // A prefix's last word copy runs into its milliseconds: they are written after it.
      if (this.opened.sec !== p.opSec) { this.pos = start + p.oOp; this.put(op); p.opSec = this.opened.sec; p.opMs = -1; }
      if (opMs !== p.opMs) { this.pos = start + p.oOms - 3; this.ms(opMs); p.opMs = opMs; }
      if (this.closed.sec !== p.clSec) { this.pos = start + p.oCl; this.put(cl); p.clSec = this.closed.sec; p.clMs = -1; }
      if (clMs !== p.clMs) { this.pos = start + p.oCms - 3; this.ms(clMs); p.clMs = clMs; }
      if (dur !== p.dur) { digits(buf, start + p.oDur, p.wDur, dur); p.dur = dur; }
      if (r.bytesSent !== p.bs) { digits(buf, start + p.oBs, p.wBs, r.bytesSent!); p.bs = r.bytesSent; }
      if (r.bytesReceived !== p.br) { digits(buf, start + p.oBr, p.wBr, r.bytesReceived!); p.br = r.bytesReceived; }
      if (r.retrans !== p.rt) { digits(buf, start + p.oRt, p.wRt, r.retrans!); p.rt = r.retrans; }
      p.start = start; p.end = start + len;
      this.pos = p.end;
      return;
    }
    const head = this.head(r.netid, la), peer = this.peer(pa), command = this.command(cmd);
    this.room(ROW_BYTES + head.len + peer.len + command.len);
    // A new chunk (room) holds no line to copy: look for the shape again.
    if (this.live === 0) p = null;
    const s = p ?? this.shapes[this.next];
    if (p === null) { this.next = (this.next + 1) % SHAPES; if (this.live < SHAPES) this.live++; }
    const start = this.pos;
    this.put(head);
    s.wLp = this.num(r.localPort); s.oLp = this.pos - start;
    this.put(peer);
    s.wPp = this.num(r.peerPort); s.oPp = this.pos - start;
    this.put(PID);
    s.wPid = this.num(r.pid); s.oPid = this.pos - start;
    this.put(command);
    s.oOp = this.pos - start; this.put(op); this.ms(opMs); s.oOms = this.pos - start;
    this.put(CLOSED_AT);
    s.oCl = this.pos - start; this.put(cl); this.ms(clMs); s.oCms = this.pos - start;
    this.put(DURATION);
    s.wDur = this.num(dur); s.oDur = this.pos - start;
    this.put(SENT);
    s.wBs = this.num(r.bytesSent); s.oBs = this.pos - start;
    this.put(RECEIVED);
    s.wBr = this.num(r.bytesReceived); s.oBr = this.pos - start;
    this.put(RETRANS);
    s.wRt = this.num(r.retrans); s.oRt = this.pos - start;
    this.put(TAIL[by] ?? TAIL[0]);
    s.start = start; s.end = this.pos;
    s.netid = r.netid; s.la = la; s.pa = pa; s.cmd = cmd; s.by = by; s.wOp = op.len; s.wCl = cl.len;
    s.lp = r.localPort; s.pp = r.peerPort; s.pid = r.pid; s.opSec = this.opened.sec; s.opMs = opMs; s.clSec = this.closed.sec; s.clMs = clMs;
    s.dur = dur; s.bs = r.bytesSent; s.br = r.bytesReceived; s.rt = r.retrans;
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
