// ss's -i text for an MPTCP socket (mptcp_stats_print in iproute2 6.1's ss.c): in the struct's
// order, each field ss prints (src/fields' MPTCP_INFO_FIELDS) when it is set; flags as their words,
// sequence numbers and the token in hex.
import { MPTCP_INFO_FIELDS, type MptcpInfo } from '../fields/index';

const PRINTED = MPTCP_INFO_FIELDS.filter((f) => f.ss !== undefined || f.flags !== undefined);

export function mptcpInfoText(m: MptcpInfo): string {
  let t = '';
  for (const f of PRINTED) {
    const v = m[f.name];
    if (!v) continue;
    if (f.flags) {
      for (const [bit, word] of Object.entries(f.flags)) if (Number(v) & Number(bit)) t += ` ${word}`;
    } else {
      t += ` ${f.ss}:${f.unit === 'seq' ? v.toString(16) : String(v)}`;
    }
  }
  return t;
}
