// IPV6_V6ONLY of an inet6 socket (INET_DIAG_SKV6ONLY), which decides whether ss prints `::` as
// `*` or `[::]`. Uses the engine's `v6only` when it has one; otherwise reads the attribute from the
// sock_diag message the Socket was parsed from, after checking that the bytes really are one.
import type { Socket } from '../netlink/index';

const SOCK_DIAG_BY_FAMILY = 20;
const INET_DIAG_SKV6ONLY = 11;
const INET_DIAG_MSG_LEN = 72;

export function v6onlyOf(s: Socket): number | undefined {
  const own = (s as { v6only?: number | boolean }).v6only;
  if (own !== undefined) return Number(own);
  if (s.family !== 10 || s.srcOff < 24 || s.source !== 'netlink') return undefined;
  const buf = s.buf;
  const msg = s.srcOff - 8;
  const nlh = msg - 16;
  if (buf.readUInt16LE(nlh + 4) !== SOCK_DIAG_BY_FAMILY || buf[msg] !== 10) return undefined;
  const end = Math.min(nlh + buf.readUInt32LE(nlh), buf.length);
  let off = msg + INET_DIAG_MSG_LEN;
  while (off + 4 <= end) {
    const len = buf.readUInt16LE(off);
    if (len < 4 || off + len > end) return undefined;
    if ((buf.readUInt16LE(off + 2) & 0x3fff) === INET_DIAG_SKV6ONLY && len >= 5) return buf[off + 4];
    off += (len + 3) & ~3;
  }
  return undefined;
}
