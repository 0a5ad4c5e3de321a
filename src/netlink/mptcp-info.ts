// struct mptcp_info, laid out by src/fields/mptcp-info-fields.ts: decoded field by field as far as
// the kernel's struct reaches; 64-bit fields are bigint.
import { MPTCP_INFO_FIELDS, MPTCP_INFO_MIN_SIZE, type MptcpInfo } from '../fields/index';

/** Decode `len` bytes at `off`; undefined if shorter than the 5.9 struct. */
export function decodeMptcpInfo(buf: Buffer, off: number, len: number): MptcpInfo | undefined {
  if (len < MPTCP_INFO_MIN_SIZE) return undefined;
  const out: Record<string, number | bigint> = {};
  for (const f of MPTCP_INFO_FIELDS) {
    if (f.offset + f.size > len) break;
    const o = off + f.offset;
    out[f.name] = f.size === 1 ? buf[o] : f.size === 4 ? buf.readUInt32LE(o) : buf.readBigUInt64LE(o);
  }
  return out as unknown as MptcpInfo;
}
