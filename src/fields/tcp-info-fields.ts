// struct tcp_info (include/uapi/linux/tcp.h, Linux 6.18), described once: where each field sits,
// which kernel added it, what ss calls it, its unit and what it means. The parser
// (src/netlink/tcp-info.ts), ss's text (src/cli/tcp-info-text.ts), the JSON writer, the records, the
// tree tooltip, the chart and the hover docs all read this table; none writes an offset or a label
// of its own. It lives in src/fields, the bottom layer every other may import (see
// tools/eslint/layers.mjs), so that each fact is written here and nowhere else: the engine needs
// the layout, the extension and the language the names and units, and neither may import the other.
import type { FieldUnit } from './units';

/** A field of struct tcp_info. */
export interface TcpInfoField {
  /** The kernel's name without `tcpi_`: the key in JSON, records and `.ssq` directives. */
  readonly name: TcpInfoFieldName;
  /** Byte offset (x86-64/arm64 ABI: u64 naturally aligned). */
  readonly offset: number;
  /** Bytes that must be present for the field to exist. */
  readonly size: 1 | 2 | 4 | 8;
  /** For bit fields: shift and width inside the unit at `offset`. */
  readonly bits?: readonly [shift: number, width: number];
  /** u64 where all ones means "unlimited" (the pacing rates' ~0ULL). */
  readonly unlimited?: boolean;
  /** A value that means "no sample yet" / "not set" rather than a measurement. */
  readonly none?: number;
  /** The first kernel whose struct holds it (its struct length then reached offset + size). */
  readonly since: string;
  readonly unit: FieldUnit;
  /** What ss 6.x prints before the value with -i (`rtt` in ` rtt:0.05/0.025`); absent when ss never prints it. */
  readonly ss?: string;
  /** For `flags` fields: bit -> its name (the word ss prints when it is set, where ss prints one). */
  readonly flags?: Readonly<Record<number, string>>;
  /** A short human label (tooltips, chart legends). */
  readonly label: string;
  readonly description: string;
}

/** The fields' values as the parser yields them: u64 counters are bigint, the pacing rates may be 'unlimited'. */
export type PacingRate = bigint | 'unlimited';
export interface TcpInfoFields {
  state: number; ca_state: number; retransmits: number; probes: number; backoff: number; options: number;
  snd_wscale: number; rcv_wscale: number; delivery_rate_app_limited: number; fastopen_client_fail: number;
  rto: number; ato: number; snd_mss: number; rcv_mss: number;
  unacked: number; sacked: number; lost: number; retrans: number; fackets: number;
  last_data_sent: number; last_ack_sent: number; last_data_recv: number; last_ack_recv: number;
  pmtu: number; rcv_ssthresh: number; rtt: number; rttvar: number; snd_ssthresh: number; snd_cwnd: number;
  advmss: number; reordering: number; rcv_rtt: number; rcv_space: number; total_retrans: number;
  pacing_rate: PacingRate; max_pacing_rate: PacingRate; bytes_acked: bigint; bytes_received: bigint;
  segs_out: number; segs_in: number; notsent_bytes: number; min_rtt: number;
  data_segs_in: number; data_segs_out: number; delivery_rate: bigint;
  busy_time: bigint; rwnd_limited: bigint; sndbuf_limited: bigint;
  delivered: number; delivered_ce: number; bytes_sent: bigint; bytes_retrans: bigint;
  dsack_dups: number; reord_seen: number; rcv_ooopack: number; snd_wnd: number; rcv_wnd: number; rehash: number;
  total_rto: number; total_rto_recoveries: number; total_rto_time: number;
  received_ce: number; delivered_e1_bytes: number; delivered_e0_bytes: number; delivered_ce_bytes: number;
  received_e1_bytes: number; received_e0_bytes: number; received_ce_bytes: number;
  ecn_mode: number; accecn_opt_seen: number; accecn_fail_mode: number; options2: number;
}
export type TcpInfoFieldName = keyof TcpInfoFields;

type Extra = Partial<Pick<TcpInfoField, 'bits' | 'unlimited' | 'none' | 'ss' | 'flags'>>;
const F = (
  name: TcpInfoFieldName, offset: number, size: 1 | 2 | 4 | 8, since: string, unit: FieldUnit,
  label: string, description: string, extra: Extra = {},
): TcpInfoField => ({ name, offset, size, since, unit, label, description, ...extra });

/** The first kernel in git; tcp_info's fields up to total_retrans are older. */
const BASE = '2.6.12';

/** The layout, in the kernel's order. */
export const TCP_INFO_FIELDS: readonly TcpInfoField[] = [
  F('state', 0, 1, BASE, 'enum', 'state', 'TCP state (TCP_ESTABLISHED = 1 ... ).'),
  F('ca_state', 1, 1, BASE, 'enum', 'congestion state', 'Congestion avoidance state: Open, Disorder, CWR, Recovery, Loss.'),
  F('retransmits', 2, 1, BASE, 'count', 'retransmit timeouts in a row', 'Consecutive retransmission timeouts of the current segment.'),
  F('probes', 3, 1, BASE, 'count', 'unanswered probes', 'Zero-window or keepalive probes sent without an answer.'),
  F('backoff', 4, 1, BASE, 'count', 'backoff', 'Exponential backoff of the retransmission timer.', { ss: 'backoff' }),
  F('options', 5, 1, BASE, 'flags', 'options', 'Negotiated options: timestamps, SACK, window scaling, ECN, data in SYN.',
    { flags: { 1: 'ts', 2: 'sack', 4: 'wscale', 8: 'ecn', 16: 'ecnseen', 32: 'fastopen' } }),
  F('snd_wscale', 6, 1, BASE, 'enum', 'send window scale', 'Window scale shift the peer applies to our advertised window.', { bits: [0, 4], ss: 'wscale' }),
  F('rcv_wscale', 6, 1, BASE, 'enum', 'receive window scale', 'Window scale shift we apply to the peer\'s window.', { bits: [4, 4] }),
  F('delivery_rate_app_limited', 7, 1, '4.9', 'flags', 'app limited', 'The delivery rate sample was limited by the application, not the network.',
    { bits: [0, 1], ss: 'app_limited' }),
  F('fastopen_client_fail', 7, 1, '5.5', 'enum', 'fastopen client failure', 'Why a TCP Fast Open attempt as client failed (0: none).', { bits: [1, 2] }),
  F('rto', 8, 4, BASE, 'us', 'retransmission timeout', 'Retransmission timeout.', { ss: 'rto' }),
  F('ato', 12, 4, BASE, 'us', 'delayed ACK timeout', 'Delayed acknowledgement timeout.', { ss: 'ato' }),
  F('snd_mss', 16, 4, BASE, 'bytes', 'mss', 'Maximum segment size for sending.', { ss: 'mss' }),
  F('rcv_mss', 20, 4, BASE, 'bytes', 'receive mss', 'Estimated maximum segment size of the peer.', { ss: 'rcvmss' }),
  F('unacked', 24, 4, BASE, 'segments', 'unacked', 'Segments sent and not yet acknowledged (in flight).', { ss: 'unacked' }),
  F('sacked', 28, 4, BASE, 'segments', 'sacked', 'Segments selectively acknowledged (on a listener: the accept backlog).', { ss: 'sacked' }),
  F('lost', 32, 4, BASE, 'segments', 'lost', 'Segments presumed lost.', { ss: 'lost' }),
  F('retrans', 36, 4, BASE, 'segments', 'retransmitted (outstanding)', 'Retransmitted segments not yet acknowledged.', { ss: 'retrans' }),
  F('fackets', 40, 4, BASE, 'segments', 'fackets', 'Forward-acknowledged segments (unused since Linux 4.15).', { ss: 'fackets' }),
  F('last_data_sent', 44, 4, BASE, 'ms', 'last data sent', 'Time since data was last sent.', { ss: 'lastsnd' }),
  F('last_ack_sent', 48, 4, BASE, 'ms', 'last ACK sent', 'Time since an ACK was last sent (never filled in by Linux).'),
  F('last_data_recv', 52, 4, BASE, 'ms', 'last data received', 'Time since data was last received.', { ss: 'lastrcv' }),
  F('last_ack_recv', 56, 4, BASE, 'ms', 'last ACK received', 'Time since an ACK was last received.', { ss: 'lastack' }),
  F('pmtu', 60, 4, BASE, 'bytes', 'path MTU', 'Path MTU.', { ss: 'pmtu' }),
  F('rcv_ssthresh', 64, 4, BASE, 'bytes', 'receive ssthresh', 'Current window clamp: the most the receive window may grow to now.', { ss: 'rcv_ssthresh' }),
  F('rtt', 68, 4, BASE, 'us', 'rtt', 'Smoothed round-trip time.', { ss: 'rtt' }),
  F('rttvar', 72, 4, BASE, 'us', 'rttvar', 'Round-trip time variation (mean deviation).'),
  F('snd_ssthresh', 76, 4, BASE, 'segments', 'ssthresh', 'Slow start threshold (TCP_INFINITE_SSTHRESH while still in the first slow start).',
    { ss: 'ssthresh', none: 0x7fffffff }),
  F('snd_cwnd', 80, 4, BASE, 'segments', 'cwnd', 'Congestion window.', { ss: 'cwnd' }),
  F('advmss', 84, 4, BASE, 'bytes', 'advertised mss', 'Maximum segment size we advertised.', { ss: 'advmss' }),
  F('reordering', 88, 4, BASE, 'segments', 'reordering', 'Reordering the connection tolerates before it deems a segment lost.', { ss: 'reordering' }),
  F('rcv_rtt', 92, 4, BASE, 'us', 'receiver rtt', 'Round-trip time estimated by the receiver.', { ss: 'rcv_rtt' }),
  F('rcv_space', 96, 4, BASE, 'bytes', 'receive space', 'Receive buffer space the autotuning aims at.', { ss: 'rcv_space' }),
  F('total_retrans', 100, 4, BASE, 'segments', 'retransmits', 'Segments retransmitted over the connection\'s life.'),
  F('pacing_rate', 104, 8, '3.15', 'bytes/s', 'pacing rate', 'Rate the sender paces its segments at.', { unlimited: true, ss: 'pacing_rate' }),
  F('max_pacing_rate', 112, 8, '3.15', 'bytes/s', 'max pacing rate', 'The pacing rate\'s cap (SO_MAX_PACING_RATE).', { unlimited: true }),
  F('bytes_acked', 120, 8, '4.1', 'bytes', 'bytes acked', 'Bytes the peer acknowledged (RFC 4898 tcpEStatsAppHCThruOctetsAcked).', { ss: 'bytes_acked' }),
  F('bytes_received', 128, 8, '4.1', 'bytes', 'received', 'Bytes received and acknowledged (RFC 4898 tcpEStatsAppHCThruOctetsReceived).', { ss: 'bytes_received' }),
  F('segs_out', 136, 4, '4.2', 'segments', 'segments out', 'Segments sent, retransmissions included.', { ss: 'segs_out' }),
  F('segs_in', 140, 4, '4.2', 'segments', 'segments in', 'Segments received.', { ss: 'segs_in' }),
  F('notsent_bytes', 144, 4, '4.6', 'bytes', 'not sent', 'Bytes written by the application and not yet sent.', { ss: 'notsent' }),
  F('min_rtt', 148, 4, '4.6', 'us', 'min rtt', 'Lowest round-trip time seen recently (the windowed minimum).', { ss: 'minrtt', none: 0xffffffff }),
  F('data_segs_in', 152, 4, '4.6', 'segments', 'data segments in', 'Segments received that carried data.', { ss: 'data_segs_in' }),
  F('data_segs_out', 156, 4, '4.6', 'segments', 'data segments out', 'Segments sent that carried data, retransmissions included.', { ss: 'data_segs_out' }),
  F('delivery_rate', 160, 8, '4.9', 'bytes/s', 'delivery rate', 'Most recent goodput sample: data delivered per time.', { ss: 'delivery_rate' }),
  F('busy_time', 168, 8, '4.10', 'us', 'busy time', 'Time with data in flight.', { ss: 'busy' }),
  F('rwnd_limited', 176, 8, '4.10', 'us', 'receive window limited', 'Time the peer\'s receive window stalled sending.', { ss: 'rwnd_limited' }),
  F('sndbuf_limited', 184, 8, '4.10', 'us', 'send buffer limited', 'Time a full send buffer stalled sending.', { ss: 'sndbuf_limited' }),
  F('delivered', 192, 4, '4.18', 'segments', 'delivered', 'Segments delivered to the peer, retransmissions included.', { ss: 'delivered' }),
  F('delivered_ce', 196, 4, '4.18', 'segments', 'delivered with CE', 'Delivered segments that the peer echoed as ECN congestion-experienced.', { ss: 'delivered_ce' }),
  F('bytes_sent', 200, 8, '4.19', 'bytes', 'sent', 'Bytes sent, retransmissions included (RFC 4898 tcpEStatsPerfHCDataOctetsOut).', { ss: 'bytes_sent' }),
  F('bytes_retrans', 208, 8, '4.19', 'bytes', 'bytes retransmitted', 'Bytes retransmitted (RFC 4898 tcpEStatsPerfOctetsRetrans).', { ss: 'bytes_retrans' }),
  F('dsack_dups', 216, 4, '4.19', 'segments', 'DSACK duplicates', 'Segments the peer reported received twice (DSACK): needless retransmissions.', { ss: 'dsack_dups' }),
  F('reord_seen', 220, 4, '4.19', 'count', 'reordering seen', 'Reordering events seen.', { ss: 'reord_seen' }),
  F('rcv_ooopack', 224, 4, '5.4', 'packets', 'out-of-order packets', 'Packets received out of order.', { ss: 'rcv_ooopack' }),
  F('snd_wnd', 228, 4, '5.4', 'bytes', 'send window', 'The peer\'s advertised receive window.', { ss: 'snd_wnd' }),
  F('rcv_wnd', 232, 4, '6.2', 'bytes', 'receive window', 'Receive window we advertise.'),
  F('rehash', 236, 4, '6.2', 'count', 'rehashes', 'Times the flow label was changed to route around trouble (PLB, timeouts).'),
  F('total_rto', 240, 2, '6.7', 'count', 'retransmission timeouts', 'Retransmission timeouts over the connection\'s life.'),
  F('total_rto_recoveries', 242, 2, '6.7', 'count', 'timeout recoveries', 'Recoveries from retransmission timeouts.'),
  F('total_rto_time', 244, 4, '6.7', 'ms', 'time in timeout recovery', 'Time spent recovering from retransmission timeouts.'),
  F('received_ce', 248, 4, '6.18', 'packets', 'received with CE', 'Packets received marked ECN congestion-experienced (AccECN).'),
  F('delivered_e1_bytes', 252, 4, '6.18', 'bytes', 'delivered ECT(1) bytes', 'Bytes delivered marked ECT(1) (AccECN).'),
  F('delivered_e0_bytes', 256, 4, '6.18', 'bytes', 'delivered ECT(0) bytes', 'Bytes delivered marked ECT(0) (AccECN).'),
  F('delivered_ce_bytes', 260, 4, '6.18', 'bytes', 'delivered CE bytes', 'Bytes delivered marked congestion-experienced (AccECN).'),
  F('received_e1_bytes', 264, 4, '6.18', 'bytes', 'received ECT(1) bytes', 'Bytes received marked ECT(1) (AccECN).'),
  F('received_e0_bytes', 268, 4, '6.18', 'bytes', 'received ECT(0) bytes', 'Bytes received marked ECT(0) (AccECN).'),
  F('received_ce_bytes', 272, 4, '6.18', 'bytes', 'received CE bytes', 'Bytes received marked congestion-experienced (AccECN).'),
  F('ecn_mode', 276, 4, '6.18', 'enum', 'ECN mode', 'ECN mode in use: none, RFC 3168, AccECN, pending.', { bits: [0, 2] }),
  F('accecn_opt_seen', 276, 4, '6.18', 'enum', 'AccECN option seen', 'Whether and how the AccECN option was seen.', { bits: [2, 2] }),
  F('accecn_fail_mode', 276, 4, '6.18', 'flags', 'AccECN failures', 'AccECN negotiation failures seen.', { bits: [4, 4] }),
  F('options2', 276, 4, '6.18', 'flags', 'more options', 'Further negotiated options.', { bits: [8, 24] }),
];

/** sizeof(struct tcp_info) on Linux 6.18: the zeroed full-size struct a shorter one is copied into. */
export const TCP_INFO_SIZE = 280;

/** Each field by name. */
export const TCPI: Readonly<Record<TcpInfoFieldName, TcpInfoField>> =
  Object.fromEntries(TCP_INFO_FIELDS.map((f) => [f.name, f])) as Record<TcpInfoFieldName, TcpInfoField>;

/** Whether a struct of `length` bytes (what the kernel sent) holds field `f`. */
export function hasField(f: TcpInfoField, length: number): boolean {
  return f.offset + f.size <= length;
}

/** What ss writes before a field's value: ` rtt:`, and for the rates ` pacing_rate ` (then `…bps`). */
export function ssPrefix(f: { readonly ss?: string; readonly unit: FieldUnit }): string {
  if (f.ss === undefined) throw new Error('ss never prints this field');
  return f.unit === 'bytes/s' ? ` ${f.ss} ` : ` ${f.ss}:`;
}

/** The bytes of tcp_info ss's text reads (through the last field it prints). */
export const SS_TCP_INFO_LEN = Math.max(...TCP_INFO_FIELDS.filter((f) => f.ss !== undefined).map((f) => f.offset + f.size));

/** The bit of flags field `f` named `name` (`flagBit(TCPI.options, 'wscale')`). */
export function flagBit(f: { readonly name: string; readonly flags?: Readonly<Record<number, string>> }, name: string): number {
  for (const [bit, n] of Object.entries(f.flags ?? {})) if (n === name) return Number(bit);
  throw new Error(`${f.name} has no flag ${name}`);
}
