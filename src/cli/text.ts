// ss-shaped text output. Like ss, rows are buffered so columns can be sized to their content
// (compact output: each column as wide as its longest cell, as ss does when stdout is not a
// terminal), rendered every few megabytes with the widths seen so far, so memory stays bounded.
import { AF_INET, type PacketRing, type Socket } from '../netlink/diag-socket';
import type { ProcessRef } from '../protocol/socket-record';
import type { NameResolver, ServiceProto } from '../host/name-resolver';
import { ByteSink, type Output } from './output';
import { fmtMsTimer } from './format';
import { RawTcpInfo, TCPI } from './raw-tcp-info';
import { gain, putBps, putMilli, writeTcpInfoText } from './tcp-info-text';
import { v6onlyOf } from './v6only';
import { SsRenderSchedule } from './ss-render-schedule';
import { mptcpInfoText } from './mptcp-info-text';
import { NETLINK_PROTOCOL_NAMES, etherProtocolName } from '../host/record';
import { Hdr, RowFlags, type InetRowsWasm } from './inet-rows';
import { parseMessage, type DatagramReader, type DumpState } from '../netlink/index';

export interface TextOptions {
  /** -n: ports (and netlink protocols) as numbers. */
  numeric: boolean;
  /** -r: host names for addresses. */
  resolveHosts: boolean;
  /** -p */
  processes: boolean;
  /** -i */
  info: boolean;
  /** -m */
  mem: boolean;
  /** -e */
  extended: boolean;
  /** -o */
  timers: boolean;
  /** false with -H */
  header: boolean;
  /** ss hides Netid when one socket table is dumped, State when one state is asked for. */
  showNetid: boolean;
  showState: boolean;
}

const enum Col { Netid, State, RecvQ, SendQ, Local, LPort, Peer, PPort, Process }
const HEADERS = ['Netid', 'State', 'Recv-Q', 'Send-Q', 'Local Address:', 'Port', 'Peer Address:', 'Port', 'Process'];
const LDELIM = ['', ' ', ' ', ' ', ' ', '', ' ', '', ''];
const RIGHT = [false, false, false, false, true, false, true, false, false];
/** Room for the cells ss buffers between renders (less than its 5 chunks of 1 MiB of tokens). */
const BUFFERED_BYTES = 5 * 1024 * 1024;

const SPACES = ' '.repeat(8);

/** putMilli into a ByteSink: "%g" of n / 1000 for a u32 n (microseconds as milliseconds). */
function milli(d: ByteSink, n: number): void {
  d.reserve(32);
  d.pos = putMilli(d.buf, d.pos, n);
}

/** putBps into a ByteSink: ss's sprint_bw. */
function bps(d: ByteSink, x: number, numeric: boolean): void {
  d.reserve(32);
  d.pos = putBps(d.buf, d.pos, x, numeric);
}

/** tcp_info counters ss prints as label:value when nonzero, in its order (offset, label, 64-bit). */
const COUNTERS: readonly (readonly [number, string, boolean])[] = [
  [TCPI.bytes_sent, 'bytes_sent', true], [TCPI.bytes_retrans, 'bytes_retrans', true],
  [TCPI.bytes_acked, 'bytes_acked', true], [TCPI.bytes_received, 'bytes_received', true],
  [TCPI.segs_out, 'segs_out', false], [TCPI.segs_in, 'segs_in', false],
  [TCPI.data_segs_out, 'data_segs_out', false], [TCPI.data_segs_in, 'data_segs_in', false],
];
function padRight6(n: number): string {
  const s = String(n);
  return s.length >= 6 ? s : s + SPACES.slice(0, 6 - s.length);
}

export class TextRenderer {
  private readonly cols: Col[];
  private readonly maxLen: Int32Array;
  /** Buffered cells as UTF-8 bytes (ss measures widths in bytes too) and their lengths. */
  private readonly data: ByteSink;
  /** Renders at the rows ss does (see SsRenderSchedule). */
  private readonly schedule = new SsRenderSchedule();
  /** The Process column's width before the last row's cell, while that cell is not yet counted (see renderLast); -1 when none is pending. */
  private uncountedProcess = -1;
  private lens: Int32Array;
  private nCells = 0;
  private readonly tcpi = new RawTcpInfo();
  /** -p: the process map, or a function that waits for it (read by a worker during the dump). */
  private procSource: Map<number, ProcessRef[]> | (() => Map<number, ProcessRef[]>) | undefined;
  /** -p: socket inode of each buffered row; its users:(...) text is prepended at render time. */
  private rowInodes: Float64Array = new Float64Array(1 << 12);
  private nRows = 0;
  private readonly usersSink = new ByteSink(1 << 16);
  private curInode = 0;
  /** A socket whose tcp_info text follows the Process cell of the row being pushed. */
  private tail: Socket | null = null;
  /** The WebAssembly writer of plain inet rows (see takeInetRows), when the options allow it. */
  private readonly fast: InetRowsWasm | null;
  /** Which bytes of the datagram being read are in the writer's input: [inBase, inBase + inLen). */
  private inBase = 0;
  private inLen = 0;

  constructor(
    private readonly out: Output,
    private readonly opts: TextOptions,
    private readonly names: NameResolver,
    procs?: Map<number, ProcessRef[]> | (() => Map<number, ProcessRef[]>),
    fast: InetRowsWasm | null = null,
  ) {
    this.procSource = procs;
    this.fast = fast && TextRenderer.writesInetRows(opts) ? fast : null;
    // With it, the cells live in its memory, where both paths write them.
    this.data = this.fast ? new ByteSink(0, this.fast.data) : new ByteSink(BUFFERED_BYTES + (1 << 16));
    this.lens = this.fast ? this.fast.lens : new Int32Array(1 << 16);
    this.maxLen = this.fast ? this.fast.maxLen : new Int32Array(9);
    this.cols = [];
    for (let c = Col.Netid; c <= Col.Process; c++) {
      if (c === Col.Netid && !opts.showNetid) continue;
      if (c === Col.State && !opts.showState) continue;
      this.cols.push(c);
    }
    if (opts.header) {
      this.pushRow(HEADERS);
      this.schedule.row(this.lens, 0, this.cols.length);
    }
  }

  /** Adds one socket's row. */
  add(s: Socket): void {
    const processBefore = this.maxLen[Col.Process];
    if (s.srcOff >= 0) {
      this.addInet(s);
    } else {
      this.curInode = s.inode;
      this.pushRow(this.rowOf(s));
      this.curInode = 0;
    }
    const n = this.cols.length;
    if (this.schedule.row(this.lens, this.nCells - n, n)) {
      this.render();
      this.uncountedProcess = -1;
    } else {
      this.uncountedProcess = processBefore;
    }
  }

  /**
   * A reader of a dump's datagrams (for SockDiag.dumpBatched) that has the WebAssembly writer take
   * the plain inet rows straight from the messages and parses the rest, whose sockets the dump
   * delivers to add() as usual; undefined when these options do not allow the writer. Only for
   * dumps whose every socket is shown (no filter left to check).
   */
  inetRowsReader(): DatagramReader | undefined {
    if (!this.fast) return undefined;
    return (buf, len, st, deliver) => {
      // A new datagram: nothing of it is in the writer's input until takeInetRows needs it.
      this.inLen = 0;
      let taken = 0;
      let off = 0;
      while (off < len && !st.done) {
        const before = st.count;
        off = this.takeInetRows(buf, off, len, st);
        taken += st.count - before;
        if (off < len && !st.done) off = parseMessage(buf, off, len, st, deliver);
      }
      return taken;
    };
  }

  /** Whether these options let the WebAssembly writer write rows: what addInet does with -n and at most plain -i (no names, -p, -e, -o, -m). */
  static writesInetRows(opts: TextOptions): boolean {
    return opts.numeric && !opts.resolveHosts && !opts.processes && !opts.extended && !opts.timers && !opts.mem;
  }

  /**
   * Rows for the inet messages of the datagram from `off` on that the WebAssembly writer takes
   * (see wasm/inet-rows.ts), counted into st; returns the offset of the first message it left, or
   * `len`.
   */
  private takeInetRows(buf: Buffer, off: number, len: number, st: DumpState): number {
    const f = this.fast;
    // Not while the cells have outgrown the writer's memory, and not for what it never takes.
    if (!f || this.data.buf !== f.data || this.lens !== f.lens || len - off < 17 || buf[off + 16] !== AF_INET) return off;
    if (st.kind !== 'tcp' && st.kind !== 'udp') return off;
    if (off < this.inBase || off + 16 > this.inBase + this.inLen) this.loadInput(buf, off, len);
    const h = f.hdr;
    h[Hdr.InLen] = this.inLen;
    h[Hdr.Off] = off - this.inBase;
    h[Hdr.Seq] = st.seq | 0;
    h[Hdr.MsgType] = st.msgType;
    h[Hdr.DeferFamily] = st.deferFamily;
    h[Hdr.Pos] = this.data.pos;
    h[Hdr.Cells] = this.nCells;
    h[Hdr.Rows] = this.nRows;
    h[Hdr.Avail] = this.schedule.fastRoom();
    const o = this.opts;
    const info = o.info && st.kind !== 'udp';
    h[Hdr.Flags] = (o.showNetid ? RowFlags.Netid : 0) | (o.showState ? RowFlags.State : 0) | (info ? RowFlags.Info : 0) | (st.kind === 'tcp' ? RowFlags.Tcp : 0);
    if (o.showNetid) h[Hdr.NetidLen] = f.netid.write(st.kind, 0, 'latin1');
    const count = f.rows();
    if (count > 0) {
      this.data.pos = h[Hdr.Pos];
      this.nCells = h[Hdr.Cells];
      this.nRows = h[Hdr.Rows];
      this.schedule.tookFast(h[Hdr.Avail]);
      this.uncountedProcess = h[Hdr.Uncounted];
      st.count += count;
      if (h[Hdr.Interrupted]) st.interrupted = true;
    }
    return this.inBase + h[Hdr.Off];
  }

  private loadInput(buf: Buffer, off: number, len: number): void {
    const f = this.fast;
    if (!f) return;
    const n = Math.min(len - off, f.input.length);
    buf.copy(f.input, 0, off, off + n);
    this.inBase = off;
    this.inLen = n;
  }

  /** Renders the rows buffered so far (for -E, where each event is shown at once). */
  flushRows(): void {
    this.renderLast();
  }

  /** Renders whatever is buffered. */
  finish(): void {
    this.renderLast();
    this.out.flush();
  }

  /**
   * A render ss does outside its schedule (at the end, or per event with -E). The last row's
   * Process cell is then still ss's current token, not yet counted in the column's width: the
   * width is what it was before that cell, which prints unpadded if it is longer.
   */
  private renderLast(): void {
    let overlong = 0;
    if (this.uncountedProcess >= 0) {
      this.maxLen[Col.Process] = this.uncountedProcess;
      // The cell, the row's last, may now be longer than its column.
      const last = this.nCells > 0 ? this.lens[this.nCells - 1] : 0;
      overlong = Math.max(0, last - this.uncountedProcess);
    }
    this.uncountedProcess = -1;
    this.render(overlong);
    this.schedule.reset();
  }

  private pushRow(row: readonly string[]): void {
    const max = this.maxLen;
    const cols = this.cols;
    if (this.opts.processes) {
      if (this.nRows >= this.rowInodes.length) {
        const grown = new Float64Array(this.rowInodes.length * 2);
        grown.set(this.rowInodes);
        this.rowInodes = grown;
      }
      this.rowInodes[this.nRows] = this.curInode;
    }
    this.nRows++;
    if (this.nCells + cols.length > this.lens.length) {
      const grown = new Int32Array(this.lens.length * 2);
      grown.set(this.lens);
      this.lens = grown;
    }
    const data = this.data;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      let n = data.write(row[c]);
      if (c === Col.Process && this.tail) {
        const start = data.pos;
        this.writeTcpInfo(this.tail, data);
        n += data.pos - start;
        this.tail = null;
      }
      this.lens[this.nCells++] = n;
      if (n > max[c]) max[c] = n;
    }
  }

  /** Renders the buffered rows; `overlong`: how far one cell may reach beyond its column's width (room for it, and rows not all of one length). */
  private render(overlong = 0): void {
    const cols = this.cols;
    const n = cols.length;
    if (this.nCells === 0) return;
    const users = this.opts.processes ? this.usersOfRows() : null;
    // Per column: width (the longest cell plus its delimiter, except before the first non-empty
    // column), delimiter bytes, right alignment.
    const width = new Int32Array(n);
    const delim = new Int32Array(n);
    const right = new Uint8Array(n);
    let first = true;
    let rowRoom = 1;
    for (let i = 0; i < n; i++) {
      const c = cols[i];
      const m = this.maxLen[c];
      width[i] = !first && m ? m + LDELIM[c].length : m;
      if (width[i]) first = false;
      delim[i] = i > 0 ? LDELIM[c].length : 0;
      right[i] = RIGHT[c] ? 1 : 0;
      rowRoom += width[i] + delim[i];
    }
    rowRoom += overlong;
    if (!users && !overlong && this.renderFixed(width, delim, right)) {
      this.resetRows();
      return;
    }
    const out = this.out;
    const data = this.data.buf;
    const lens = this.lens;
    const nCells = this.nCells;
    // Every cell is at most its column's width (users:(...) text aside): rowRoom bounds a row.
    let ob = out.buf;
    let o = out.pos;
    let p = 0;
    for (let k = 0, r = 0; k < nCells; k += n, r++) {
      const uLen = users ? users.len[r] : 0;
      if (ob.length - o < rowRoom + uLen) {
        out.pos = o;
        out.reserve(rowRoom + uLen);
        ob = out.buf;
        o = out.pos;
      }
      for (let i = 0; i < n; i++) {
        const len = lens[k + i];
        const d = delim[i];
        if (d) ob[o++] = 32;
        const w = width[i];
        if (w && right[i]) {
          for (let pad = w - len - d; pad > 0; pad--) ob[o++] = 32;
          for (let b = 0; b < len; b++) ob[o++] = data[p + b];
        } else {
          let used = len + d;
          if (uLen && i === n - 1) {
            const ub = users!.buf;
            const uStart = users!.start[r];
            for (let b = 0; b < uLen; b++) ob[o++] = ub[uStart + b];
            used += uLen;
          }
          if (len < 64) for (let b = 0; b < len; b++) ob[o++] = data[p + b];
          else { data.copy(ob, o, p, p + len); o += len; }
          if (w) {
            let pad = w - used;
            if (pad > 48) { ob.fill(32, o, o + pad); o += pad; } else for (; pad > 0; pad--) ob[o++] = 32;
          }
        }
        p += len;
      }
      ob[o++] = 10;
    }
    out.pos = o;
    this.resetRows();
  }

  /**
   * render() when every row has the same length, as it does unless a column's delimiter can push a
   * cell past its width (or -p's users text is added): the rows' bytes are set to spaces at once,
   * then each cell is copied to its place, left- or right-aligned. Returns false, writing nothing,
   * when the rows would not all be that long. (Every statement of the row loop runs in its first
   * block, so the JIT's first compilation of it holds: no cold path to deoptimize on.)
   */
  private renderFixed(width: Int32Array, delim: Int32Array, right: Uint8Array): boolean {
    const cols = this.cols;
    const n = cols.length;
    const at = new Int32Array(n);
    let rowLen = 1;
    for (let i = 0; i < n; i++) {
      const m = this.maxLen[cols[i]];
      if (m > 0 && width[i] < m + delim[i]) return false;
      // Where the cell's text starts: after the delimiter, or so that it ends at the column's end.
      const span = Math.max(width[i], delim[i]);
      at[i] = right[i] ? rowLen - 1 + span : rowLen - 1 + delim[i];
      rowLen += span;
    }
    const out = this.out;
    const data = this.data.buf;
    const lens = this.lens;
    const nCells = this.nCells;
    let p = 0;
    for (let k = 0; k < nCells;) {
      out.reserve(rowLen);
      const ob = out.buf;
      let o = out.pos;
      // Blocks of at most 256 rows: every path of this loop runs early, before the JIT compiles
      // it (a first block of thousands of rows left the block's end cold, and deoptimized).
      const rows = Math.min(Math.floor((ob.length - o) / rowLen), (nCells - k) / n, 256);
      ob.fill(32, o, o + rows * rowLen);
      for (let r = 0; r < rows; r++, k += n) {
        for (let i = 0; i < n; i++) {
          const len = lens[k + i];
          let q = o + at[i];
          if (right[i]) q -= len;
          if (len < 64) for (let b = 0; b < len; b++) ob[q + b] = data[p + b];
          else data.copy(ob, q, p, p + len);
          p += len;
        }
        o += rowLen;
        ob[o - 1] = 10;
      }
      out.pos = o;
    }
    return true;
  }

  private resetRows(): void {
    this.data.pos = 0;
    this.nCells = 0;
    this.nRows = 0;
  }

  /**
   * -p: writes each buffered row's users:(...) text into `usersSink` (row r at usersStart[r], length
   * usersLen[r], 0 when none) and widens the Process column accordingly.
   */
  private usersOfRows(): { start: Int32Array; len: Int32Array; buf: Buffer } {
    const src = this.procSource;
    const map = typeof src === 'function' ? src() : src;
    if (typeof src === 'function') this.procSource = map;
    const n = this.cols.length;
    const start = new Int32Array(this.nRows);
    const len = new Int32Array(this.nRows);
    const d = this.usersSink;
    d.pos = 0;
    if (map && this.cols[n - 1] === Col.Process) {
      for (let r = 0; r < this.nRows; r++) {
        const inode = this.rowInodes[r];
        const list = inode ? map.get(inode) : undefined;
        if (!list) continue;
        const st = d.pos;
        d.write(' users:(');
        // ss lists the most recently scanned holder first.
        for (let i = list.length - 1; i >= 0; i--) {
          const p = list[i];
          d.write(i === list.length - 1 ? '("' : ',("');
          d.write(p.name);
          d.write('",pid=');
          d.uint(p.pid);
          d.write(',fd=');
          d.uint(p.fd);
          d.byte(41);
        }
        d.byte(41);
        start[r] = st;
        len[r] = d.pos - st;
        const total = len[r] + this.lens[r * n + n - 1];
        if (total > this.maxLen[Col.Process]) this.maxLen[Col.Process] = total;
      }
    }
    return { start, len, buf: d.buf };
  }


  private rowOf(s: Socket): string[] {
    switch (s.kind) {
      case 'unix': return this.unixRow(s);
      case 'packet': return this.packetRow(s);
      case 'netlink': return this.netlinkRow(s);
      default: return this.inetRow(s);
    }
  }

  private common(s: Socket): [string, string, string, string] {
    return [s.netid, s.stateName, padRight6(s.recvQ), padRight6(s.sendQ)];
  }

  /** The users:(...) text is added at render time (see usersOfRows), when the process map is ready. */
  private users(_s: Socket): string {
    return '';
  }

  private hostText(s: Socket, addr: string | null): string {
    if (addr === null) return '*';
    if (s.family === 2) {
      return this.opts.resolveHosts && addr !== '0.0.0.0' ? this.names.hostName(addr) : addr;
    }
    if (addr === '::' && !v6onlyOf(s)) return '*';
    const text = this.opts.resolveHosts && addr !== '::' ? this.names.hostName(addr) : addr;
    return text.includes(':') ? `[${text}]` : text;
  }

  private portText(s: Socket, port: number): string {
    if (port === 0) return '*';
    if (this.opts.numeric) return String(port);
    if (s.kind === 'raw') return this.names.protocolName(port) ?? String(port);
    const proto: ServiceProto = s.kind === 'udp' ? 'udp' : 'tcp';
    return this.names.portText(port, proto);
  }

  private inetRow(s: Socket): string[] {
    const [netid, state, rq, wq] = this.common(s);
    let local = this.hostText(s, s.localAddress);
    if (s.ifindex) local += `%${this.names.interfaceName(s.ifindex) ?? s.ifindex}`;
    const peer = this.hostText(s, s.peerAddress);
    return [netid, state, rq, wq, local + ':', this.portText(s, s.localPort), peer + ':', this.portText(s, s.peerPort), this.inetExt(s)];
  }

  /**
   * The hot path for inet sockets: cells written straight into the byte buffer, no row array
   * (same text as inetRow + pushRow).
   */
  private addInet(s: Socket): void {
    const d = this.data;
    const o = this.opts;
    const max = this.maxLen;
    this.beginRow(s.inode);
    let st = d.pos;
    if (o.showNetid) { d.write(s.netid); this.endCell(Col.Netid, st); st = d.pos; }
    if (o.showState) { d.write(s.stateName); this.endCell(Col.State, st); st = d.pos; }
    d.uint(s.recvQ);
    d.fill(32, 6 - (d.pos - st));
    this.endCell(Col.RecvQ, st);
    st = d.pos;
    d.uint(s.sendQ);
    d.fill(32, 6 - (d.pos - st));
    this.endCell(Col.SendQ, st);
    st = d.pos;
    // IPv4 without -r: the address bytes straight into the buffer (no address string).
    const v4 = s.family === 2 && !o.resolveHosts;
    if (v4) d.ipv4(s.buf, s.srcOff); else d.write(this.hostText(s, s.localAddress));
    if (s.ifindex) { d.byte(37); d.write(this.names.interfaceName(s.ifindex) ?? String(s.ifindex)); }
    d.byte(58);
    this.endCell(Col.Local, st);
    st = d.pos;
    if (o.numeric && s.localPort) d.uint(s.localPort); else d.write(this.portText(s, s.localPort));
    this.endCell(Col.LPort, st);
    st = d.pos;
    if (v4 && s.dstOff >= 0) d.ipv4(s.buf, s.dstOff); else d.write(this.hostText(s, s.peerAddress));
    d.byte(58);
    this.endCell(Col.Peer, st);
    st = d.pos;
    if (o.numeric && s.peerPort) d.uint(s.peerPort); else d.write(this.portText(s, s.peerPort));
    this.endCell(Col.PPort, st);
    st = d.pos;
    if (o.info && !o.timers && !o.extended && !o.mem && s.kind !== 'udp' && s.attrs.skmem < 0 && s.attrs.mem < 0) {
      // Plain -i: the line break, then the tcp_info text (what inetExt + writeTcpInfo write). A
      // socket with memory info (read from a TCPDIAG_FILE captured with -m) shows it, as in ss.
      d.byte(10); d.byte(9);
      if ((s.kind === 'tcp' || s.kind === 'mptcp') && s.attrs.info >= 0) this.writeTcpInfo(s, d);
    } else {
      d.write(this.inetExt(s));
      if (this.tail) { this.writeTcpInfo(this.tail, d); this.tail = null; }
    }
    const n = d.pos - st;
    this.lens[this.nCells++] = n;
    if (n > max[Col.Process]) max[Col.Process] = n;
  }

  private beginRow(inode: number): void {
    if (this.nCells + 9 > this.lens.length) {
      const grown = new Int32Array(this.lens.length * 2);
      grown.set(this.lens);
      this.lens = grown;
    }
    if (this.opts.processes) {
      if (this.nRows >= this.rowInodes.length) {
        const grown = new Float64Array(this.rowInodes.length * 2);
        grown.set(this.rowInodes);
        this.rowInodes = grown;
      }
      this.rowInodes[this.nRows] = inode;
    }
    this.nRows++;
  }

  private endCell(c: Col, start: number): void {
    const n = this.data.pos - start;
    this.lens[this.nCells++] = n;
    if (n > this.maxLen[c]) this.maxLen[c] = n;
  }

  /** Everything after the peer port: timer (-o), details (-e), and the -m/-i line start. */
  private inetExt(s: Socket): string {
    let ext = '';
    const o = this.opts;
    if (o.timers && s.timerKind) {
      const name = ['off', 'on', 'keepalive', 'timewait', 'persist', 'unknown'][Math.min(s.timerKind, 5)];
      ext += ` timer:(${name},${fmtMsTimer(s.timerExpires)},${s.timerRetrans})`;
    }
    if (o.extended) {
      ext += this.details(s);
      const v6only = v6onlyOf(s);
      if (s.family === 10 && v6only !== undefined) ext += ` v6only:${v6only}`;
      if (s.shutdown !== undefined) ext += ` ${s.shutdown & 1 ? '-' : '<'}-${s.shutdown & 2 ? '-' : '>'}`;
    }
    if (o.mem || (o.info && s.kind !== 'udp')) {
      ext += '\n\t' + this.memText(s);
      // The tcp_info text is written straight into the cell buffer right after `ext` (see pushRow).
      if ((s.kind === 'tcp' || s.kind === 'mptcp') && s.attrs.info >= 0) this.tail = s;
    }
    return ext;
  }

  private details(s: Socket): string {
    let t = '';
    if (s.uid) t += ` uid:${s.uid}`;
    t += ` ino:${s.inode} sk:${s.cookie.toString(16)}`;
    if (s.mark) t += ` fwmark:0x${s.mark.toString(16)}`;
    if (s.cgroupId) t += ` cgroup:${this.names.cgroupPath(s.cgroupId) ?? 'unreachable:' + s.cgroupId.toString(16)}`;
    return t;
  }

  private memText(s: Socket): string {
    const m = s.skmem;
    if (m) {
      let t = ` skmem:(r${m.rmemAlloc},rb${m.rcvbuf},t${m.wmemAlloc},tb${m.sndbuf},f${m.fwdAlloc},w${m.wmemQueued},o${m.optmem ?? 0}`;
      if (m.backlog !== undefined) t += `,bl${m.backlog}`;
      if (m.drops !== undefined) t += `,d${m.drops}`;
      return t + ')';
    }
    const old = s.meminfo;
    return old ? ` mem:(r${old.rmem},w${old.wmem},f${old.fmem},t${old.tmem})` : '';
  }

  /** Writes ss's tcp_info text for `s` (mptcp_info for an MPTCP socket) into `d` (straight to bytes: no string per field). */
  private writeTcpInfo(s: Socket, d: ByteSink): void {
    if (s.kind === 'mptcp') {
      const m = s.mptcpInfo;
      if (m) d.write(mptcpInfoText(m));
      return;
    }
    if (writeTcpInfoText(d, s, this.opts.timers, this.opts.numeric)) return;
    // A kernel's shorter tcp_info (before Linux 5.5): field by field, each checked for presence.
    const i = this.tcpi;
    if (!i.reset(s)) return;
    const o = this.opts;
    const options = i.u8(TCPI.options);
    // ss 6.1 shows the negotiated options only together with -o.
    if (o.timers) {
      if (options & 1) d.write(' ts');
      if (options & 2) d.write(' sack');
      if (options & 8) d.write(' ecn');
      if (options & 16) d.write(' ecnseen');
      if (options & 32) d.write(' fastopen');
    }
    const cong = s.congestion;
    if (cong) { d.write(' '); d.write(cong); }
    if (options & 4) {
      const ws = i.u8(TCPI.snd_wscale);
      d.write(` wscale:${ws & 15},${ws >> 4}`);
    }
    const rto = i.u32(TCPI.rto);
    if (rto && rto !== 3000000) { d.write(' rto:'); milli(d, rto); }
    const backoff = i.u8(TCPI.backoff);
    if (backoff) { d.write(' backoff:'); d.uint(backoff); }
    const rttUs = i.u32(TCPI.rtt);
    if (rttUs) { d.write(' rtt:'); milli(d, rttUs); d.byte(47); milli(d, i.u32(TCPI.rttvar)); }
    const ato = i.u32(TCPI.ato);
    if (ato) { d.write(' ato:'); milli(d, ato); }
    const mss = i.u32(TCPI.snd_mss);
    const cwnd = i.u32(TCPI.snd_cwnd);
    if (mss) { d.write(' mss:'); d.uint(mss); }
    const pmtu = i.u32(TCPI.pmtu);
    if (pmtu) { d.write(' pmtu:'); d.uint(pmtu); }
    const rcvMss = i.u32(TCPI.rcv_mss);
    if (rcvMss) { d.write(' rcvmss:'); d.uint(rcvMss); }
    const advmss = i.u32(TCPI.advmss);
    if (advmss) { d.write(' advmss:'); d.uint(advmss); }
    if (cwnd) { d.write(' cwnd:'); d.uint(cwnd); }
    const ssthresh = i.u32(TCPI.snd_ssthresh);
    if (ssthresh && ssthresh < 0xffff) { d.write(' ssthresh:'); d.uint(ssthresh); }
    for (const [off, label, wide] of COUNTERS) {
      if (wide) {
        const v = i.u64(off);
        if (v) { d.write(' '); d.write(label); d.byte(58); if (v > Number.MAX_SAFE_INTEGER) d.write(i.u64Text(off)); else d.uint(v); }
      } else {
        const v = i.u32(off);
        if (v) { d.write(' '); d.write(label); d.byte(58); d.uint(v); }
      }
    }
    if (s.attrs.dctcp >= 0) {
      const dctcp = s.dctcp!;
      if (dctcp.enabled) d.write(` dctcp:(ce_state:${dctcp.ceState},alpha:${dctcp.alpha},ab_ecn:${dctcp.abEcn},ab_tot:${dctcp.abTot})`);
      else d.write(' dctcp:fallback_mode');
    }
    const bbrOff = s.attrs.bbr;
    if (bbrOff >= 0) {
      const b = s.buf;
      const bw = b.readUInt32LE(bbrOff + 4) * 4294967296 + b.readUInt32LE(bbrOff);
      d.write(' bbr:(bw:'); bps(d, bw * 8, o.numeric); d.write('bps,mrtt:'); milli(d, b.readUInt32LE(bbrOff + 8));
      const pacingGain = b.readUInt32LE(bbrOff + 12);
      const cwndGain = b.readUInt32LE(bbrOff + 16);
      if (pacingGain) { d.write(',pacing_gain:'); d.write(gain(pacingGain)); }
      if (cwndGain) { d.write(',cwnd_gain:'); d.write(gain(cwndGain)); }
      d.write(')');
    }
    let rtt = rttUs;
    if (s.attrs.vegas >= 0) {
      const vegas = s.vegas!;
      if (vegas.enabled && vegas.rtt && vegas.rtt !== 0x7fffffff) rtt = vegas.rtt;
    }
    if (rtt > 0 && mss && cwnd) { d.write(' send '); bps(d, (cwnd * mss * 8000000) / rtt, o.numeric); d.write('bps'); }
    const lastsnd = i.u32(TCPI.last_data_sent);
    if (lastsnd) { d.write(' lastsnd:'); d.uint(lastsnd); }
    const lastrcv = i.u32(TCPI.last_data_recv);
    if (lastrcv) { d.write(' lastrcv:'); d.uint(lastrcv); }
    const lastack = i.u32(TCPI.last_ack_recv);
    if (lastack) { d.write(' lastack:'); d.uint(lastack); }
    const pacing = i.u64(TCPI.pacing_rate);
    if (pacing && !i.allOnes64(TCPI.pacing_rate)) {
      d.write(' pacing_rate '); bps(d, pacing * 8, o.numeric); d.write('bps');
      const max = i.u64(TCPI.max_pacing_rate);
      if (max && !i.allOnes64(TCPI.max_pacing_rate)) { d.byte(47); bps(d, max * 8, o.numeric); d.write('bps'); }
    }
    const delivery = i.u64(TCPI.delivery_rate);
    if (delivery) { d.write(' delivery_rate '); bps(d, delivery * 8, o.numeric); d.write('bps'); }
    const delivered = i.u32(TCPI.delivered);
    if (delivered) { d.write(' delivered:'); d.uint(delivered); }
    const deliveredCe = i.u32(TCPI.delivered_ce);
    if (deliveredCe) { d.write(' delivered_ce:'); d.uint(deliveredCe); }
    if (i.u8(TCPI.delivery_rate_app_limited) & 1) d.write(' app_limited');
    const busy = i.u64(TCPI.busy_time);
    if (busy) {
      d.write(` busy:${Math.floor(busy / 1000)}ms`);
      const rw = i.u64(TCPI.rwnd_limited);
      if (rw) d.write(` rwnd_limited:${Math.floor(rw / 1000)}ms(${((100 * rw) / busy).toFixed(1)}%)`);
      const sb = i.u64(TCPI.sndbuf_limited);
      if (sb) d.write(` sndbuf_limited:${Math.floor(sb / 1000)}ms(${((100 * sb) / busy).toFixed(1)}%)`);
    }
    const unacked = i.u32(TCPI.unacked);
    if (unacked) { d.write(' unacked:'); d.uint(unacked); }
    const retrans = i.u32(TCPI.retrans);
    const totalRetrans = i.u32(TCPI.total_retrans);
    if (retrans || totalRetrans) d.write(` retrans:${retrans}/${totalRetrans}`);
    const lost = i.u32(TCPI.lost);
    if (lost) { d.write(' lost:'); d.uint(lost); }
    const sacked = i.u32(TCPI.sacked);
    if (sacked && s.state !== 10) { d.write(' sacked:'); d.uint(sacked); }
    const dsack = i.u32(TCPI.dsack_dups);
    if (dsack) { d.write(' dsack_dups:'); d.uint(dsack); }
    const fackets = i.u32(TCPI.fackets);
    if (fackets) { d.write(' fackets:'); d.uint(fackets); }
    const reordering = i.u32(TCPI.reordering);
    if (reordering !== 3) { d.write(' reordering:'); d.uint(reordering); }
    const reordSeen = i.u32(TCPI.reord_seen);
    if (reordSeen) { d.write(' reord_seen:'); d.uint(reordSeen); }
    const rcvRtt = i.u32(TCPI.rcv_rtt);
    if (rcvRtt) { d.write(' rcv_rtt:'); milli(d, rcvRtt); }
    const rcvSpace = i.u32(TCPI.rcv_space);
    if (rcvSpace) { d.write(' rcv_space:'); d.uint(rcvSpace); }
    const rcvSsthresh = i.u32(TCPI.rcv_ssthresh);
    if (rcvSsthresh) { d.write(' rcv_ssthresh:'); d.uint(rcvSsthresh); }
    const notsent = i.u32(TCPI.notsent_bytes);
    if (notsent) { d.write(' notsent:'); d.uint(notsent); }
    const minRtt = i.u32(TCPI.min_rtt);
    if (minRtt && minRtt !== 0xffffffff) { d.write(' minrtt:'); milli(d, minRtt); }
    const ooo = i.u32(TCPI.rcv_ooopack);
    if (ooo) { d.write(' rcv_ooopack:'); d.uint(ooo); }
    const sndWnd = i.u32(TCPI.snd_wnd);
    if (sndWnd) { d.write(' snd_wnd:'); d.uint(sndWnd); }
  }

  private unixRow(s: Socket): string[] {
    const [netid, state, rq, wq] = this.common(s);
    let ext = this.users(s);
    if (this.opts.mem) ext += this.memText(s);
    if (this.opts.extended) {
      if (s.shutdown !== undefined) ext += ` ${s.shutdown & 1 ? '-' : '<'}-${s.shutdown & 2 ? '-' : '>'}`;
      const vfs = s.unixVfs;
      if (vfs) ext += ` ino:${vfs.ino} dev:${Math.floor(vfs.dev / 256) & 0xfff}/${(vfs.dev & 0xff) | ((vfs.dev >>> 12) & 0xfff00)}`;
      const icons = s.unixIcons;
      if (icons) ext += ' peers:' + icons.map((p) => ` ${p}`).join('');
    }
    return [netid, state, rq, wq, `${s.unixName ?? '*'} `, String(s.inode), '* ', String(s.peerPort), ext];
  }

  private packetRow(s: Socket): string[] {
    const [netid, state, rq, wq] = this.common(s);
    const proto = s.protocol;
    const addr = etherProtocolName(proto, this.opts.numeric);
    const port = s.ifindex === 0 ? '*' : (this.names.interfaceName(s.ifindex) ?? String(s.ifindex));
    let ext = this.users(s);
    const pi = s.packet;
    if (this.opts.extended) {
      ext += this.details(s);
      if (pi) {
        const f = pi.flags;
        ext += `\n\tver:${pi.version} cpy_thresh:${pi.copyThresh} flags( ${f & 1 ? 'running' : ''}${f & 2 ? ' auxdata' : ''}${f & 4 ? ' origdev' : ''}${f & 8 ? ' vnethdr' : ''}${f & 16 ? ' loss' : ''}${f ? '' : '0'} )`;
        const ring = (r: PacketRing): string => `blk_size:${r.blockSize},blk_nr:${r.blockNr},frm_size:${r.frameSize},frm_nr:${r.frameNr},tmo:${r.retireTmo},features:0x${r.features.toString(16)}`;
        if (pi.rxRing) ext += `\n\tring_rx(${ring(pi.rxRing)})`;
        if (pi.txRing) ext += `\n\tring_tx(${ring(pi.txRing)})`;
        if (pi.fanout !== undefined) {
          const type = (pi.fanout >>> 16) & 0xffff;
          const names = ['hash', 'lb', 'cpu', 'roll', 'random', 'qm'];
          ext += `\n\tfanout(id:${pi.fanout & 0xffff},type:${names[type & 0xff] ?? `0x${type.toString(16)}`})`;
        }
      }
    }
    return [netid, state, rq, wq, addr + ':', port, '*', '', ext];
  }

  private netlinkRow(s: Socket): string[] {
    const [netid, state, rq, wq] = this.common(s);
    const numeric = this.opts.numeric;
    const proto = numeric ? String(s.protocol) : (NETLINK_PROTOCOL_NAMES[s.protocol] ?? String(s.protocol));
    const pid = s.localPort | 0;
    let proc: string;
    if (pid === -1) proc = '*';
    else if (numeric) proc = String(pid);
    else if (pid === 0) proc = 'kernel';
    else proc = this.names.processLabel(pid);
    // ss: a connected socket shows group:pid of its peer, any other just `*`.
    if (s.state === 1) return [netid, state, rq, wq, proto + ':', proc, `${s.peerInode}:`, String(s.peerPort), this.users(s)];
    return [netid, state, rq, wq, proto + ':', proc, '*', '', this.users(s)];
  }
}
