// Loads the WebAssembly writer of plain inet rows (built from wasm/inet-rows.ts, which says what it
// does and why) and gives the text renderer typed views of its memory: the cell buffer, the cell
// lengths and the column widths live there, so rows written by it and rows written by text.ts's
// JavaScript path share one buffer and render together.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gain } from './tcp-info-text';
import { fmtMilli } from './format';

/** Header fields (i32 index), as wasm/inet-rows.ts numbers them. */
export const enum Hdr {
  InLen = 0, Off = 1, Seq = 2, MsgType = 3, DeferFamily = 4, Pos = 5, Cells = 6, Rows = 7, Avail = 8,
  Flags = 9, Count = 10, Uncounted = 11, NetidLen = 12, Interrupted = 13,
}
export const enum RowFlags { Netid = 1, State = 2, Info = 4, Tcp = 8 }

interface Exports {
  memory: WebAssembly.Memory;
  rows(): number;
  layoutOk(): number;
  hdrAddr(): number; maxLenAddr(): number; netidAddr(): number; inAddr(): number; inSize(): number;
  dataAddr(): number; dataSize(): number; lensAddr(): number; lensCells(): number;
}

export class InetRowsWasm {
  readonly hdr: Int32Array;
  /** Column widths (text.ts's Col order). */
  readonly maxLen: Int32Array;
  /** Where messages are copied for rows(). */
  readonly input: Buffer;
  readonly netid: Buffer;
  /** The cell buffer and the cell lengths. */
  readonly data: Buffer;
  readonly lens: Int32Array;
  readonly rows: () => number;

  constructor(ex: Exports) {
    const ab = ex.memory.buffer;
    this.hdr = new Int32Array(ab, ex.hdrAddr(), 16);
    this.maxLen = new Int32Array(ab, ex.maxLenAddr(), 9);
    this.input = Buffer.from(ab, ex.inAddr(), ex.inSize());
    this.netid = Buffer.from(ab, ex.netidAddr(), 16);
    this.data = Buffer.from(ab, ex.dataAddr(), ex.dataSize());
    this.lens = new Int32Array(ab, ex.lensAddr(), ex.lensCells());
    this.rows = ex.rows;
  }
}

/** Compiled modules by file (null: it could not be read or compiled). */
const compiled = new Map<string, WebAssembly.Module | null>();

/** The built module next to this bundle (dist/inet-rows.wasm). */
export const INET_ROWS_WASM = join(__dirname, 'inet-rows.wasm');

/**
 * A fresh instance of the writer, or null when it cannot be had (file missing, no WebAssembly, or
 * SOCKSCOPE_WASM=0): the JavaScript path then writes every row, with the same bytes.
 */
export function loadInetRows(file = INET_ROWS_WASM): InetRowsWasm | null {
  if (process.env.SOCKSCOPE_WASM === '0') return null;
  let mod = compiled.get(file);
  if (mod === undefined) {
    try {
      mod = new WebAssembly.Module(readFileSync(file));
    } catch {
      mod = null;
    }
    compiled.set(file, mod);
  }
  return mod ? instantiate(mod) : null;
}

function instantiate(mod: WebAssembly.Module): InetRowsWasm | null {
  let bytes: Uint8Array | null = null;
  /** ASCII text into the module's memory at p; returns the end. */
  const put = (t: string, p: number): number => {
    for (let k = 0; k < t.length; k++) bytes![p + k] = t.charCodeAt(k);
    return p + t.length;
  };
  const env = {
    // bbr gains print as "%g" of u32 / 256, and n / 1000 from n = 1e6 on, where %g starts to round.
    gainText: (v: number, p: number): number => put(gain(v >>> 0), p),
    milliText: (n: number, p: number): number => put(fmtMilli(n >>> 0), p),
    abort: () => { throw new Error('inet-rows.wasm aborted'); },
  };
  try {
    const inst = new WebAssembly.Instance(mod, { env });
    const ex = inst.exports as unknown as Exports;
    if (!ex.layoutOk()) return null;
    bytes = new Uint8Array(ex.memory.buffer);
    return new InetRowsWasm(ex);
  } catch {
    return null;
  }
}
