// Fast reads of struct tcp_info straight from a Socket's bytes (no view object, no bigint): the
// text and JSON writers touch ~60 fields per socket, 100,000 times. Offsets come from the engine's
// TCP_INFO_FIELDS table; a field the kernel's struct is too short for reads as absent.
import type { Socket } from '../netlink/index';
import { TCP_INFO_FIELDS, type TcpInfoFieldName } from '../fields/index';

export const TCPI: Readonly<Record<TcpInfoFieldName, number>> = Object.fromEntries(TCP_INFO_FIELDS.map((f) => [f.name, f.offset])) as Record<TcpInfoFieldName, number>;

/** One socket's tcp_info bytes, or null. Reused: call reset() per socket. */
export class RawTcpInfo {
  buf: Buffer = Buffer.alloc(0);
  base = 0;
  len = 0;

  /** Points at `s`'s tcp_info; false when the socket has none. */
  reset(s: Socket): boolean {
    const a = s.attrs;
    if (a.info < 0) return false;
    this.buf = s.buf;
    this.base = a.info;
    this.len = a.infoLen;
    return true;
  }

  has(off: number, size: number): boolean {
    return off + size <= this.len;
  }
  u8(off: number): number {
    return off + 1 <= this.len ? this.buf[this.base + off] : 0;
  }
  u16(off: number): number {
    return off + 2 <= this.len ? this.buf.readUInt16LE(this.base + off) : 0;
  }
  u32(off: number): number {
    return off + 4 <= this.len ? this.buf.readUInt32LE(this.base + off) : 0;
  }
  /** A u64 as a double (exact below 2^53). */
  u64(off: number): number {
    if (off + 8 > this.len) return 0;
    const b = this.buf;
    const o = this.base + off;
    return b.readUInt32LE(o + 4) * 4294967296 + b.readUInt32LE(o);
  }
  /** True when the u64 at off is all ones (the pacing rates' "unlimited"). */
  allOnes64(off: number): boolean {
    if (off + 8 > this.len) return false;
    const b = this.buf;
    const o = this.base + off;
    return b.readUInt32LE(o) === 0xffffffff && b.readUInt32LE(o + 4) === 0xffffffff;
  }
  /** A u64 as exact decimal text (for values above 2^53). */
  u64Text(off: number): string {
    const b = this.buf;
    const o = this.base + off;
    return ((BigInt(b.readUInt32LE(o + 4)) << 32n) | BigInt(b.readUInt32LE(o))).toString();
  }
}
