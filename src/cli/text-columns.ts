// ss's column layout: cells are buffered so each column can be sized to its content (compact
// output: each column as wide as its longest cell, as ss does when stdout is not a terminal) and
// rendered at the rows ss renders at (SsRenderSchedule), every few megabytes, with the widths seen
// so far, so memory stays bounded. With -p each row's users:(...) text is put in at render time,
// when the process map is ready. Row builders (text-rows.ts, the WebAssembly writer) fill the cells.
import type { ProcessRef } from '../protocol/socket-record';
import { ByteSink, type Output } from './output';
import { SsRenderSchedule } from './ss-render-schedule';

/** ss's columns, in order (the WebAssembly writer numbers them the same way). */
export const enum Col { Netid, State, RecvQ, SendQ, Local, LPort, Peer, PPort, Process }
export const COLUMN_COUNT = 9;
const HEADERS = ['Netid', 'State', 'Recv-Q', 'Send-Q', 'Local Address:', 'Port', 'Peer Address:', 'Port', 'Process'];
const LDELIM = ['', ' ', ' ', ' ', ' ', '', ' ', '', ''];
const RIGHT = [false, false, false, false, true, false, true, false, false];
/** Room for the cells ss buffers between renders (less than its 5 chunks of 1 MiB of tokens). */
const BUFFERED_BYTES = 5 * 1024 * 1024;

export interface ColumnOptions {
  /** false with -H */
  header: boolean;
  /** ss hides Netid when one socket table is dumped, State when one state is asked for. */
  showNetid: boolean;
  showState: boolean;
  /** -p: rows get their users:(...) text at render time. */
  processes: boolean;
}

/** Where the cells live when another writer shares them (the WebAssembly writer's memory). */
export interface CellMemory { data: Buffer; lens: Int32Array; maxLen: Int32Array }

export class TextColumns {
  /** The columns shown, in order. */
  readonly cols: Col[];
  /** Each column's widest cell so far (bytes). */
  readonly maxLen: Int32Array;
  /** Buffered cells as UTF-8 bytes (ss measures widths in bytes too) and their lengths. */
  readonly data: ByteSink;
  lens: Int32Array;
  nCells = 0;
  nRows = 0;
  /** Renders at the rows ss does (see SsRenderSchedule). */
  readonly schedule = new SsRenderSchedule();
  /** The Process column's width before the last row's cell, while that cell is not yet counted (see renderLast); -1 when none is pending. */
  uncountedProcess = -1;
  /** -p: the process map, or a function that waits for it (read by a worker during the dump). */
  private procSource: Map<number, ProcessRef[]> | (() => Map<number, ProcessRef[]>) | undefined;
  /** -p: socket inode of each buffered row; its users:(...) text is prepended at render time. */
  private rowInodes: Float64Array = new Float64Array(1 << 12);
  private readonly usersSink = new ByteSink(1 << 16);

  constructor(
    private readonly out: Output,
    private readonly opts: ColumnOptions,
    procs?: Map<number, ProcessRef[]> | (() => Map<number, ProcessRef[]>),
    shared?: CellMemory,
  ) {
    this.procSource = procs;
    this.data = shared ? new ByteSink(0, shared.data) : new ByteSink(BUFFERED_BYTES + (1 << 16));
    this.lens = shared ? shared.lens : new Int32Array(1 << 16);
    this.maxLen = shared ? shared.maxLen : new Int32Array(COLUMN_COUNT);
    this.cols = [];
    for (let c = Col.Netid; c <= Col.Process; c++) {
      if (c === Col.Netid && !opts.showNetid) continue;
      if (c === Col.State && !opts.showState) continue;
      this.cols.push(c);
    }
    if (opts.header) {
      this.pushRow(HEADERS, 0);
      this.schedule.row(this.lens, 0, this.cols.length);
    }
  }

  /** The Process column's width now: pass it to rowDone after adding a row. */
  get processWidth(): number {
    return this.maxLen[Col.Process];
  }

  /** A row was added (the Process column was `processBefore` wide before it): renders when ss would. */
  rowDone(processBefore: number): void {
    const n = this.cols.length;
    if (this.schedule.row(this.lens, this.nCells - n, n)) {
      this.render();
      this.uncountedProcess = -1;
    } else {
      this.uncountedProcess = processBefore;
    }
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
    const lastUncounted = this.uncountedProcess >= 0;
    this.uncountedProcess = -1;
    this.render(overlong, lastUncounted);
    this.schedule.reset();
  }

  /** Adds a row of cells, one per column in Col order (those not shown are skipped). */
  pushRow(row: readonly string[], inode: number): void {
    this.beginRow(inode);
    for (const c of this.cols) {
      const start = this.data.pos;
      this.data.write(row[c]);
      this.endCell(c, start);
    }
  }

  /** Starts a row written cell by cell (endCell after each). */
  beginRow(inode: number): void {
    if (this.nCells + COLUMN_COUNT > this.lens.length) {
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

  /** The cell of column c that started at `start` in data ends here. */
  endCell(c: Col, start: number): void {
    const n = this.data.pos - start;
    this.lens[this.nCells++] = n;
    if (n > this.maxLen[c]) this.maxLen[c] = n;
  }

  /** Renders the buffered rows; `overlong`: how far one cell may reach beyond its column's width (room for it, and rows not all of one length). */
  private render(overlong = 0, lastUncounted = false): void {
    const cols = this.cols;
    const n = cols.length;
    if (this.nCells === 0) return;
    const users = this.opts.processes ? this.usersOfRows(lastUncounted) : null;
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
   * -p: writes each buffered row's users:(...) text into `usersSink` (row r at start[r], length
   * len[r], 0 when none) and widens the Process column accordingly. ss writes that text into the
   * Process cell, so the last row's does not widen the column while its cell is uncounted (renderLast).
   */
  private usersOfRows(lastUncounted: boolean): { start: Int32Array; len: Int32Array; buf: Buffer } {
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
        if (total > this.maxLen[Col.Process] && !(lastUncounted && r === this.nRows - 1)) this.maxLen[Col.Process] = total;
      }
    }
    return { start, len, buf: d.buf };
  }
}
