// struct tcp_info: a lazy view over the kernel's bytes, laid out by src/fields/tcp-info-fields.ts.
//
// Every field is read at its offset only when asked, and only if the kernel's struct is long enough
// to hold it: an older kernel's shorter tcp_info yields `undefined` for the fields it lacks (what
// the JSON and the records report). ss's text instead reads a shorter struct as if copied into a
// zeroed full-size one, as ss does: fullTcpInfo gives those bytes. 64-bit fields are bigint; the
// pacing rates' "unlimited" (~0ULL) is the string 'unlimited'.
import { TCP_INFO_FIELDS, TCP_INFO_SIZE, TCPI, hasField, type TcpInfoField, type TcpInfoFieldName, type TcpInfoFields } from '../fields/index';

const ALL_ONES = 0xffffffffffffffffn;

function readField(buf: Buffer, base: number, len: number, f: TcpInfoField): number | bigint | 'unlimited' | undefined {
  if (!hasField(f, len)) return undefined;
  const o = base + f.offset;
  if (f.size === 8) {
    const v = buf.readBigUInt64LE(o);
    return f.unlimited && v === ALL_ONES ? 'unlimited' : v;
  }
  const raw = f.size === 1 ? buf[o] : f.size === 2 ? buf.readUInt16LE(o) : buf.readUInt32LE(o);
  if (!f.bits) return raw;
  return Math.floor(raw / 2 ** f.bits[0]) % 2 ** f.bits[1];
}

/**
 * A lazy view of one socket's tcp_info: each property reads its bytes on access and is undefined
 * when the kernel's struct is too short to contain it. `length` is the kernel's struct length.
 */
export class TcpInfoView {
  /** The bytes stay owned by the dump's datagram copy; the view never copies. */
  constructor(readonly buf: Buffer, readonly base: number, readonly length: number) {}

  /** Whether the kernel's struct contains `name`. */
  has(name: TcpInfoFieldName): boolean {
    const f = TCPI[name];
    return f !== undefined && hasField(f, this.length);
  }

  /** Every field present, as a plain object in the kernel's order (for JSON output and tests). */
  toObject(): Partial<TcpInfoFields> {
    const out: Record<string, number | bigint | string> = {};
    for (const f of TCP_INFO_FIELDS) {
      const v = readField(this.buf, this.base, this.length, f);
      if (v !== undefined) out[f.name] = v;
    }
    return out as Partial<TcpInfoFields>;
  }
}

/** A TcpInfoView with one getter per tcp_info field (undefined when the kernel's struct is shorter). */
export type TcpInfo = TcpInfoView & Readonly<Partial<TcpInfoFields>>;

/** The view over `length` bytes of struct tcp_info at `base` in `buf`. */
export function tcpInfoView(buf: Buffer, base: number, length: number): TcpInfo {
  return new TcpInfoView(buf, base, length) as TcpInfo;
}

for (const f of TCP_INFO_FIELDS) {
  Object.defineProperty(TcpInfoView.prototype, f.name, {
    get(this: TcpInfoView) { return readField(this.buf, this.base, this.length, f); },
    enumerable: false,
    configurable: false,
  });
}

const zeroed = Buffer.alloc(TCP_INFO_SIZE);

/**
 * The tcp_info at `base` as a full-size struct: in place when the kernel's struct is long enough,
 * else copied into a zeroed TCP_INFO_SIZE-byte buffer (reused: valid until the next call), so that
 * a reader of any field at its offset sees 0 for what an older kernel did not send, as ss does.
 */
export function fullTcpInfo(buf: Buffer, base: number, length: number): { buf: Buffer; base: number } {
  if (length >= TCP_INFO_SIZE) return { buf, base };
  zeroed.fill(0);
  buf.copy(zeroed, 0, base, base + length);
  return { buf: zeroed, base: 0 };
}
