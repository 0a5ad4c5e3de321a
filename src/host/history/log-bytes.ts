// The byte-writing primitives of the connection log's writers (log-json.ts, log-text.ts): text made
// once and copied in words, numbers digit by digit, ISO times made once per second.
const encoder = new TextEncoder();

/**
 * Bytes copied eight at a time through DataViews. The words travel as float64, exact only while no 8
 * bytes form a NaN (V8 may rewrite a NaN's bits): ASCII never does (every byte < 0x80), so only an
 * ASCII fragment, padded with spaces to whole words, is copied that way; others byte by byte.
 */
export class Fragment {
  readonly len: number;
  /** The text's length in UTF-16 units (what String#length and so padding count). */
  readonly chars: number;
  readonly ascii: boolean;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(text: string) {
    const b = encoder.encode(text);
    this.len = b.length;
    this.chars = text.length;
    this.ascii = b.every((c) => c < 0x80);
    this.bytes = new Uint8Array(Math.ceil(b.length / 8) * 8 + 8).fill(0x20);
    this.bytes.set(b);
    this.view = new DataView(this.bytes.buffer);
  }
}

/** Decimal digits of an integer v >= 0 below 2^53. */
export function width(v: number): number {
  if (v < 100000) return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : 5;
  let n = 6;
  for (let t = Math.floor(v / 1e6); t >= 1; t = Math.floor(t / 10)) n++;
  return n;
}

/** The width a value takes in the line, negative for what the fast path does not rewrite in place. */
export function slot(v: number | null): number {
  return v === null ? -1 : v < 0 ? -2 : width(v);
}

/** Writes v >= 0 as `w` digits ending before `end`. */
export function digits(buf: Uint8Array, end: number, w: number, v: number): void {
  let p = end;
  if (v < 0x80000000) { let x = v | 0; for (let k = 0; k < w; k++) { const d = (x / 10) | 0; buf[--p] = 48 + x - d * 10; x = d; } }
  else { for (let k = 0; k < w; k++) { const d = Math.floor(v / 10); buf[--p] = 48 + (v - d * 10); v = d; } } // (48 + v may pass 2^53)
}

/** ISO 8601 text of epoch ms (as Date#toISOString) up to and with the '.', quoted; made once per second. */
export class IsoSecond {
  sec = NaN;
  frag = new Fragment('');
  /** `quote`: the text before the time (JSON's opening quote, or none). */
  constructor(private readonly quote = '"') {}
  set(ms: number): number {
    const sec = Math.floor(ms / 1000);
    if (sec !== this.sec) {
      const iso = new Date(sec * 1000).toISOString();
      this.sec = sec;
      this.frag = new Fragment(`${this.quote}${iso.slice(0, iso.length - 4)}`);
    }
    return ms - sec * 1000;
  }
}


/**
 * A writer's output: bytes written at `pos` into `buf`, handed out in `chunks` of about `chunkBytes`
 * (each its own buffer, never written again: the caller takes them).
 */
export class ChunkedBytes {
  protected buf!: Buffer;
  protected view!: DataView;
  protected pos = 0;
  readonly chunks: Uint8Array[] = [];

  constructor(private readonly chunkBytes: number) {
    // Not through fresh(): a subclass's reset() would run before its fields are defined, and defining
    // them again afterwards gives the object a slow shape.
    this.alloc(chunkBytes);
  }

  /** Chunk buffers handed back (recycle) for reuse: fresh memory costs page faults and zeroing by the kernel. */
  private readonly pool: Buffer[] = [];

  private alloc(bytes: number): void {
    this.buf = (bytes === this.chunkBytes ? this.pool.pop() : undefined) ?? Buffer.allocUnsafe(bytes);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = 0;
  }

  private fresh(bytes: number): void {
    this.alloc(bytes);
    this.reset();
  }

  /** A new buffer holds nothing written before (for writers that refer back into it). */
  protected reset(): void { /* nothing here */ }

  /** Makes room for n bytes (with word-copy slack): the chunk so far is handed out when full. */
  protected room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flushChunk();
    if (n > this.buf.length) this.fresh(2 * n);
  }

  protected put(f: Fragment): void {
    const n = f.len, p = this.pos;
    if (f.ascii) {
      const dst = this.view, src = f.view;
      for (let k = 0; k < n; k += 8) dst.setFloat64(p + k, src.getFloat64(k, true), true);
    } else {
      const buf = this.buf, b = f.bytes;
      for (let k = 0; k < n; k++) buf[p + k] = b[k];
    }
    this.pos = p + n;
  }

  /** Writes an integer; returns its width without the sign, negative (-2) for a negative one. */
  protected int(v: number): number {
    const negative = v < 0;
    if (negative) { this.buf[this.pos++] = 45; v = -v; }
    const w = width(v);
    digits(this.buf, this.pos + w, w, v);
    this.pos += w;
    return negative ? -2 : w;
  }

  /** Three digits (milliseconds). */
  protected ms(v: number): void {
    const b = this.buf, p = this.pos;
    const h = (v / 100) | 0, d = ((v - h * 100) / 10) | 0;
    b[p] = 48 + h; b[p + 1] = 48 + d; b[p + 2] = 48 + v - h * 100 - d * 10;
    this.pos = p + 3;
  }

  protected spaces(n: number): void {
    const b = this.buf;
    for (let k = 0; k < n; k++) b[this.pos++] = 32;
  }

  private flushChunk(): void {
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    this.fresh(this.chunkBytes);
  }

  /** A chunk the caller is done with: its buffer may hold later chunks. */
  recycle(chunk: Uint8Array): void {
    if (chunk.byteOffset === 0 && chunk.buffer.byteLength === this.chunkBytes && this.pool.length < 4) this.pool.push(Buffer.from(chunk.buffer, 0, this.chunkBytes));
  }

  /** Ends the output: the last chunk joins `chunks`. */
  end(): void {
    if (this.pos > 0) this.flushChunk();
  }
}
