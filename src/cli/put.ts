// Writing into a byte buffer at a position, returning the next position: the primitives of the
// hot output paths (numbers digit by digit, ASCII text, pre-encoded byte strings copied eight bytes
// at a time through DataViews). Callers reserve room first; word copies may write up to 7 bytes
// past the end of what they copy (overwritten by what follows), so reserve that slack too.

/** A non-negative integer below 2^53 in decimal. */
export function putUint(ob: Uint8Array, p: number, v: number): number {
  if (v < 10) { ob[p] = 48 + v; return p + 1; }
  if (v < 2147483648) {
    const digits = v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6
      : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
    const end = p + digits;
    let q = end;
    let x = v | 0;
    while (x >= 10) {
      const d = (x / 10) | 0;
      ob[--q] = 48 + x - d * 10;
      x = d;
    }
    ob[--q] = 48 + x;
    return end;
  }
  // Above 2^31: the digits above the last nine, then those nine zero-padded (int32 math for both).
  const hi = Math.floor(v / 1e9);
  let lo = v - hi * 1e9;
  p = putUint(ob, p, hi);
  for (let q = p + 8; q >= p; q--) {
    const d = (lo / 10) | 0;
    ob[q] = 48 + lo - d * 10;
    lo = d;
  }
  return p + 9;
}

/** ASCII text. */
export function putStr(ob: Uint8Array, p: number, s: string): number {
  const n = s.length;
  for (let k = 0; k < n; k++) ob[p + k] = s.charCodeAt(k);
  return p + n;
}

let lastBuf: Uint8Array | null = null;
let lastView: DataView | null = null;
/** A DataView over `b` (cached for the last buffer asked about: dumps and outputs reuse their buffers). */
export function viewOf(b: Uint8Array): DataView {
  if (b !== lastBuf || lastView === null) {
    lastView = new DataView(b.buffer, b.byteOffset, b.byteLength);
    lastBuf = b;
  }
  return lastView;
}

/**
 * ASCII byte strings packed into one buffer with 8 bytes of slack, so each can be copied in 64-bit
 * words. String i starts at start[i] and is len[i] bytes long.
 *
 * The words travel as float64 (the one 8-byte DataView type without a bigint). That is exact only
 * because no 8 bytes of printable ASCII (all below 0x7f) form a NaN, whose high byte would be 0x7f
 * or 0xff: the constructor refuses anything else.
 */
export class PackedStrings {
  readonly view: DataView;
  readonly start: Int32Array;
  readonly len: Int32Array;

  constructor(texts: readonly string[]) {
    const all = texts.join('');
    if (!/^[\x20-\x7e]*$/.test(all)) throw new Error('PackedStrings holds printable ASCII only');
    const bytes = Buffer.from(all + ' '.repeat(8), 'latin1');
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.start = new Int32Array(texts.length);
    this.len = new Int32Array(texts.length);
    let at = 0;
    texts.forEach((t, i) => { this.start[i] = at; this.len[i] = t.length; at += t.length; });
  }
}

/** Copies n bytes at `s` of packed `src` to `p` in `dst`, eight at a time (may write 7 bytes past p + n). */
export function putWords(dst: DataView, p: number, src: DataView, s: number, n: number): number {
  for (let k = 0; k < n; k += 8) dst.setFloat64(p + k, src.getFloat64(s + k, true), true);
  return p + n;
}
