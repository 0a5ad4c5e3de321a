// Byte-level output. ByteSink encodes ASCII text and integers straight into a Buffer (JIT-compiled
// loops beat a native call per short string); Output is a ByteSink over one reused 1 MiB buffer
// that is written to a file descriptor with fs.writeSync loops when full, retrying on EAGAIN (a
// full non-blocking pipe), so memory stays bounded however many sockets are printed.
import { writeSync } from 'node:fs';
import { putUint, putWords, type PackedStrings } from './put';

const CHUNK = 1 << 20;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Thrown when the reader went away (EPIPE): the CLI stops quietly. */
export class OutputClosed extends Error {
  constructor() { super('output closed'); }
}

export class ByteSink {
  buf: Buffer;
  pos = 0;
  /** A DataView over `buf` (for word copies), remade when `buf` is replaced. */
  private dv: DataView | null = null;
  private dvOf: Buffer | null = null;

  /** A DataView over the current `buf` (valid until the next call that makes room). */
  get view(): DataView {
    if (this.dvOf !== this.buf || this.dv === null) {
      this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
      this.dvOf = this.buf;
    }
    return this.dv;
  }

  /** A sink over `buf` when given (until it needs more room), else over a new buffer of `size` bytes. */
  constructor(size: number, buf?: Buffer) {
    this.buf = buf ?? Buffer.allocUnsafe(size);
  }

  /** Makes room for n more bytes (flush or grow); subclasses decide. */
  protected room(n: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /** Ensures n bytes of room at `pos` (callers then write into `buf` directly). */
  reserve(n: number): void {
    if (n > this.buf.length - this.pos) this.room(n);
  }

  /** Appends text as UTF-8 (ASCII fast path). Returns the bytes written. */
  write(text: string): number {
    const n = text.length;
    if (n * 3 > this.buf.length - this.pos) this.room(n * 3);
    const buf = this.buf;
    let p = this.pos;
    if (n < 64) {
      let i = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c > 127) break;
        buf[p + i] = c;
      }
      if (i === n) { this.pos = p + n; return n; }
    }
    p += buf.write(text, p);
    const written = p - this.pos;
    this.pos = p;
    return written;
  }

  /** Appends a non-negative integer below 2^53 in decimal. */
  uint(v: number): void {
    if (this.buf.length - this.pos < 20) this.room(20);
    this.pos = putUint(this.buf, this.pos, v);
  }

  /** Appends string `id` of packed strings `ps`. */
  packed(ps: PackedStrings, id: number): void {
    const n = ps.len[id];
    if (n + 8 > this.buf.length - this.pos) this.room(n + 8);
    this.pos = putWords(this.view, this.pos, ps.view, ps.start[id], n);
  }

  /** Appends a u32 in lowercase hex. */
  hex32(v: number): void {
    if (this.buf.length - this.pos < 8) this.room(8);
    let digits = 1;
    for (let t = v >>> 4; t; t >>>= 4) digits++;
    const buf = this.buf;
    let p = this.pos + digits;
    this.pos = p;
    for (let k = 0; k < digits; k++) {
      const d = v & 15;
      buf[--p] = d < 10 ? 48 + d : 87 + d;
      v >>>= 4;
    }
  }

  /** Appends the dotted quad of the 4 address bytes at src[off] (what inet_ntop prints). */
  ipv4(src: Uint8Array, off: number): void {
    if (this.buf.length - this.pos < 16) this.room(16);
    const buf = this.buf;
    let p = this.pos;
    for (let k = 0; k < 4; k++) {
      if (k) buf[p++] = 46;
      const v = src[off + k];
      if (v >= 100) { const h = (v / 100) | 0; buf[p++] = 48 + h; const t = ((v - h * 100) / 10) | 0; buf[p++] = 48 + t; buf[p++] = 48 + v - h * 100 - t * 10; }
      else if (v >= 10) { const t = (v / 10) | 0; buf[p++] = 48 + t; buf[p++] = 48 + v - t * 10; }
      else buf[p++] = 48 + v;
    }
    this.pos = p;
  }

  /** Appends one byte. */
  byte(b: number): void {
    if (this.pos >= this.buf.length) this.room(1);
    this.buf[this.pos++] = b;
  }

  /** Appends n copies of byte b. */
  fill(b: number, n: number): void {
    if (n <= 0) return;
    if (n > this.buf.length - this.pos) this.room(n);
    const buf = this.buf;
    const end = this.pos + n;
    if (n < 32) for (let p = this.pos; p < end; p++) buf[p] = b;
    else buf.fill(b, this.pos, end);
    this.pos = end;
  }

  /** Appends src[start, end). */
  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n > this.buf.length - this.pos) this.room(n);
    const buf = this.buf;
    const p = this.pos;
    if (n < 48) for (let k = 0; k < n; k++) buf[p + k] = src[start + k];
    else buf.set(src.subarray(start, end), p);
    this.pos = p + n;
  }
}

export class Output extends ByteSink {
  constructor(private readonly fd: number = 1, size: number = CHUNK) {
    super(size);
  }

  protected override room(n: number): void {
    this.flush();
    if (n > this.buf.length) super.room(n);
  }

  /** Appends n spaces. */
  spaces(n: number): void {
    this.fill(32, n);
  }

  /** Writes everything buffered. */
  flush(): void {
    if (this.pos === 0) return;
    const n = this.pos;
    this.pos = 0;
    writeAll(this.fd, this.buf.subarray(0, n));
  }
}

/** Writes all of `data` to `fd`, waiting out EAGAIN; throws OutputClosed on EPIPE. */
export function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += writeSync(fd, data, off, data.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') { Atomics.wait(sleeper, 0, 0, 2); continue; }
      if (code === 'EPIPE') throw new OutputClosed();
      throw e;
    }
  }
}
