// ss-shaped text output: each socket's row built by the row builders (text-rows.ts) into columns
// laid out as ss lays them out (text-columns.ts). With -n and at most plain -i, the WebAssembly
// writer (inet-rows.ts) takes the plain inet rows straight from the dump's datagrams into the same
// cells; every other row goes through the builders, and both render together.
import { AF_INET, parseMessage, type DatagramReader, type DumpState, type Socket } from '../netlink/index';
import type { ProcessRef } from '../protocol/socket-record';
import type { NameResolver } from '../host/name-resolver';
import type { Output } from './output';
import { Hdr, RowFlags, type InetRowsWasm } from './inet-rows';
import { TextColumns } from './text-columns';
import { RowBuilder, type RowOptions } from './text-rows';

export interface TextOptions extends RowOptions {
  /** -p */
  processes: boolean;
  /** false with -H */
  header: boolean;
}

export class TextRenderer {
  private readonly columns: TextColumns;
  private readonly rows: RowBuilder;
  /** The WebAssembly writer of plain inet rows (see takeInetRows), when the options allow it. */
  private readonly fast: InetRowsWasm | null;
  /** Which bytes of the datagram being read are in the writer's input: [inBase, inBase + inLen). */
  private inBase = 0;
  private inLen = 0;

  constructor(
    out: Output,
    private readonly opts: TextOptions,
    names: NameResolver,
    procs?: Map<number, ProcessRef[]> | (() => Map<number, ProcessRef[]>),
    fast: InetRowsWasm | null = null,
  ) {
    this.fast = fast && TextRenderer.writesInetRows(opts) ? fast : null;
    // With it, the cells live in its memory, where both paths write them.
    this.columns = new TextColumns(out, opts, procs, this.fast ?? undefined);
    this.rows = new RowBuilder(this.columns, opts, names);
  }

  /** Adds one socket's row. */
  add(s: Socket): void {
    const before = this.columns.processWidth;
    this.rows.add(s);
    this.columns.rowDone(before);
  }

  /** Renders the rows buffered so far (for -E, where each event is shown at once). */
  flushRows(): void {
    this.columns.flushRows();
  }

  /** Renders whatever is buffered. */
  finish(): void {
    this.columns.finish();
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
    return opts.numeric && !opts.resolveHosts && !opts.processes && !opts.extended && !opts.timers && !opts.mem && !opts.cgroup;
  }

  /**
   * Rows for the inet messages of the datagram from `off` on that the WebAssembly writer takes
   * (see wasm/inet-rows.ts), counted into st; returns the offset of the first message it left, or
   * `len`.
   */
  private takeInetRows(buf: Buffer, off: number, len: number, st: DumpState): number {
    const f = this.fast;
    const c = this.columns;
    // Not while the cells have outgrown the writer's memory, and not for what it never takes.
    if (!f || c.data.buf !== f.data || c.lens !== f.lens || len - off < 17 || buf[off + 16] !== AF_INET) return off;
    if (st.kind !== 'tcp' && st.kind !== 'udp') return off;
    if (off < this.inBase || off + 16 > this.inBase + this.inLen) this.loadInput(buf, off, len);
    const h = f.hdr;
    h[Hdr.InLen] = this.inLen;
    h[Hdr.Off] = off - this.inBase;
    h[Hdr.Seq] = st.seq | 0;
    h[Hdr.MsgType] = st.msgType;
    h[Hdr.DeferFamily] = st.deferFamily;
    h[Hdr.Pos] = c.data.pos;
    h[Hdr.Cells] = c.nCells;
    h[Hdr.Rows] = c.nRows;
    h[Hdr.Avail] = c.schedule.fastRoom();
    const o = this.opts;
    const info = o.info && st.kind !== 'udp';
    h[Hdr.Flags] = (o.showNetid ? RowFlags.Netid : 0) | (o.showState ? RowFlags.State : 0) | (info ? RowFlags.Info : 0) | (st.kind === 'tcp' ? RowFlags.Tcp : 0);
    if (o.showNetid) h[Hdr.NetidLen] = f.netid.write(st.kind, 0, 'latin1');
    const count = f.rows();
    if (count > 0) {
      c.data.pos = h[Hdr.Pos];
      c.nCells = h[Hdr.Cells];
      c.nRows = h[Hdr.Rows];
      c.schedule.tookFast(h[Hdr.Avail]);
      c.uncountedProcess = h[Hdr.Uncounted];
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

}
