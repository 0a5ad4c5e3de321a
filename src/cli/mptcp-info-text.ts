// ss's -i text for an MPTCP socket (mptcp_stats_print in iproute2 6.1's ss.c): the counters that
// are set, sequence numbers in hex.
import type { MptcpInfo } from '../fields/index';

const FLAG_FALLBACK = 1;
const FLAG_REMOTE_KEY_RECEIVED = 2;

export function mptcpInfoText(m: MptcpInfo): string {
  let t = '';
  if (m.subflows) t += ` subflows:${m.subflows}`;
  if (m.add_addr_signal) t += ` add_addr_signal:${m.add_addr_signal}`;
  if (m.add_addr_accepted) t += ` add_addr_accepted:${m.add_addr_accepted}`;
  if (m.subflows_max) t += ` subflows_max:${m.subflows_max}`;
  if (m.add_addr_signal_max) t += ` add_addr_signal_max:${m.add_addr_signal_max}`;
  if (m.add_addr_accepted_max) t += ` add_addr_accepted_max:${m.add_addr_accepted_max}`;
  if (m.flags & FLAG_FALLBACK) t += ' fallback';
  if (m.flags & FLAG_REMOTE_KEY_RECEIVED) t += ' remote_key';
  if (m.token) t += ` token:${m.token.toString(16)}`;
  if (m.write_seq) t += ` write_seq:${m.write_seq.toString(16)}`;
  if (m.snd_una) t += ` snd_una:${m.snd_una.toString(16)}`;
  if (m.rcv_nxt) t += ` rcv_nxt:${m.rcv_nxt.toString(16)}`;
  return t;
}
