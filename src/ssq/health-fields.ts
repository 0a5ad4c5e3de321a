// The socket fields a threshold directive can aggregate (spec section 5), each with the unit the
// kernel reports it in. recvQ/sendQ come from the diag message; the rest are struct tcp_info's
// fields by their kernel names without `tcpi_`.
//
// This list is the one place src/ssq knows these names. src/ssq is pure and cannot import the
// engine's tcp_info layout (src/netlink/tcp-info.ts); a unit test (test/unit/ssq/health-fields.test.ts)
// holds the two to the same names, so a field added to the layout fails the test until it is here.

/** How a field's numbers are measured: the unit a bare number is in, and which units fit it. */
export type FieldUnit = 'us' | 'ms' | 'bytes' | 'bytes/s' | 'count';

export interface HealthField {
  readonly name: string;
  readonly unit: FieldUnit;
  /** One line for hover and completion. */
  readonly doc: string;
  /** Where the value comes from: the diag message itself, or tcp_info (tcp sockets dumped with -i). */
  readonly source: 'queue' | 'tcp_info';
}

const Q = (name: string, doc: string): HealthField => ({ name, unit: 'bytes', doc, source: 'queue' });
const T = (name: string, unit: FieldUnit, doc: string): HealthField => ({ name, unit, doc, source: 'tcp_info' });

/** Every field, the two queue sizes first, then tcp_info in the kernel's order. */
export const HEALTH_FIELDS: readonly HealthField[] = [
  Q('recvQ', 'Recv-Q as ss prints it: unread bytes; for a listener, connections waiting in the accept queue'),
  Q('sendQ', 'Send-Q as ss prints it: unacknowledged bytes; for a listener, the accept backlog'),
  T('state', 'count', 'TCP state number'),
  T('ca_state', 'count', 'congestion-avoidance state (0 open, 1 disorder, 2 cwr, 3 recovery, 4 loss)'),
  T('retransmits', 'count', 'consecutive retransmissions of the current segment (RTO backoffs)'),
  T('probes', 'count', 'zero-window / keepalive probes sent without an answer'),
  T('backoff', 'count', 'RTO backoff exponent'),
  T('options', 'count', 'negotiated TCP options (bit mask)'),
  T('snd_wscale', 'count', 'send window scale'),
  T('rcv_wscale', 'count', 'receive window scale'),
  T('delivery_rate_app_limited', 'count', '1 when the delivery rate was limited by the application'),
  T('fastopen_client_fail', 'count', 'TCP Fast Open client failure reason'),
  T('rto', 'us', 'retransmission timeout'),
  T('ato', 'us', 'delayed-ACK timeout'),
  T('snd_mss', 'bytes', 'send maximum segment size'),
  T('rcv_mss', 'bytes', 'receive maximum segment size (estimate)'),
  T('unacked', 'count', 'segments sent and not yet acknowledged'),
  T('sacked', 'count', 'segments selectively acknowledged'),
  T('lost', 'count', 'segments considered lost'),
  T('retrans', 'count', 'segments retransmitted and not yet acknowledged'),
  T('fackets', 'count', 'forward-acknowledged segments (unused since Linux 4.15)'),
  T('last_data_sent', 'ms', 'time since data was last sent'),
  T('last_ack_sent', 'ms', 'time since an ACK was last sent (not kept by Linux)'),
  T('last_data_recv', 'ms', 'time since data was last received'),
  T('last_ack_recv', 'ms', 'time since an ACK was last received'),
  T('pmtu', 'bytes', 'path MTU'),
  T('rcv_ssthresh', 'bytes', 'receive-window clamp (slow-start threshold of the receiver)'),
  T('rtt', 'us', 'smoothed round-trip time'),
  T('rttvar', 'us', 'round-trip time variation'),
  T('snd_ssthresh', 'count', 'slow-start threshold, in segments'),
  T('snd_cwnd', 'count', 'congestion window, in segments'),
  T('advmss', 'bytes', 'advertised maximum segment size'),
  T('reordering', 'count', 'reordering degree the sender tolerates'),
  T('rcv_rtt', 'us', 'round-trip time measured by the receiver'),
  T('rcv_space', 'bytes', 'receive buffer space the auto-tuner aims for'),
  T('total_retrans', 'count', 'segments retransmitted over the connection\'s life'),
  T('pacing_rate', 'bytes/s', 'pacing rate'),
  T('max_pacing_rate', 'bytes/s', 'maximum pacing rate (SO_MAX_PACING_RATE)'),
  T('bytes_acked', 'bytes', 'bytes acknowledged by the peer'),
  T('bytes_received', 'bytes', 'bytes received'),
  T('segs_out', 'count', 'segments sent'),
  T('segs_in', 'count', 'segments received'),
  T('notsent_bytes', 'bytes', 'bytes queued and not yet sent'),
  T('min_rtt', 'us', 'minimum round-trip time seen'),
  T('data_segs_in', 'count', 'data segments received'),
  T('data_segs_out', 'count', 'data segments sent'),
  T('delivery_rate', 'bytes/s', 'delivery rate'),
  T('busy_time', 'us', 'time spent sending data'),
  T('rwnd_limited', 'us', 'time limited by the receive window'),
  T('sndbuf_limited', 'us', 'time limited by the send buffer'),
  T('delivered', 'count', 'segments delivered'),
  T('delivered_ce', 'count', 'segments delivered with a CE mark'),
  T('bytes_sent', 'bytes', 'bytes sent, retransmissions included'),
  T('bytes_retrans', 'bytes', 'bytes retransmitted'),
  T('dsack_dups', 'count', 'duplicate segments reported by D-SACK'),
  T('reord_seen', 'count', 'reordering events seen'),
  T('rcv_ooopack', 'count', 'out-of-order packets received'),
  T('snd_wnd', 'bytes', 'peer\'s advertised receive window'),
  T('rcv_wnd', 'bytes', 'receive window advertised to the peer'),
  T('rehash', 'count', 'PLB or timeout-triggered rehashes'),
  T('total_rto', 'count', 'RTO timeouts over the connection\'s life'),
  T('total_rto_recoveries', 'count', 'RTO recoveries'),
  T('total_rto_time', 'ms', 'time spent in RTO recovery'),
  T('received_ce', 'count', 'packets received with a CE mark'),
  T('delivered_e1_bytes', 'bytes', 'bytes delivered with ECT(1)'),
  T('delivered_e0_bytes', 'bytes', 'bytes delivered with ECT(0)'),
  T('delivered_ce_bytes', 'bytes', 'bytes delivered with CE'),
  T('received_e1_bytes', 'bytes', 'bytes received with ECT(1)'),
  T('received_e0_bytes', 'bytes', 'bytes received with ECT(0)'),
  T('received_ce_bytes', 'bytes', 'bytes received with CE'),
  T('ecn_mode', 'count', 'ECN mode'),
  T('accecn_opt_seen', 'count', 'AccECN option seen'),
  T('accecn_fail_mode', 'count', 'AccECN failure mode'),
  T('options2', 'count', 'more negotiated options (bit mask)'),
];

export const HEALTH_FIELD_BY_NAME: ReadonlyMap<string, HealthField> = new Map(HEALTH_FIELDS.map((f) => [f.name, f]));

/** Units a number may carry, each with its factor to its base (us for times, bytes, 1 for counts). */
export const UNITS: Readonly<Record<string, { kind: 'time' | 'count' | 'bytes'; toBase: number; doc: string }>> = {
  us: { kind: 'time', toBase: 1, doc: 'microseconds' },
  ms: { kind: 'time', toBase: 1000, doc: 'milliseconds' },
  s: { kind: 'time', toBase: 1_000_000, doc: 'seconds' },
  k: { kind: 'count', toBase: 1000, doc: 'thousand' },
  M: { kind: 'count', toBase: 1_000_000, doc: 'million' },
  G: { kind: 'count', toBase: 1_000_000_000, doc: 'billion' },
  KiB: { kind: 'bytes', toBase: 1024, doc: 'kibibytes (1024 bytes)' },
  MiB: { kind: 'bytes', toBase: 1024 * 1024, doc: 'mebibytes (1024 KiB)' },
};

/** Which unit kinds fit a field: counts take k/M/G; bytes and rates also KiB/MiB; times take us/ms/s. */
export function unitFits(field: FieldUnit, unit: string): boolean {
  const u = UNITS[unit];
  if (!u) return false;
  if (field === 'us' || field === 'ms') return u.kind === 'time';
  if (field === 'count') return u.kind === 'count';
  return u.kind === 'count' || u.kind === 'bytes';
}

/** A number in `unit` converted to the field's own unit (ms fields: 1s = 1000). */
export function toFieldUnit(field: FieldUnit, value: number, unit: string | null): number {
  if (unit === null) return value;
  const f = UNITS[unit].toBase;
  return field === 'ms' ? (value * f) / 1000 : value * f;
}

/** The units that fit a field, for messages and completion. */
export function unitsFor(field: FieldUnit): string[] {
  return Object.keys(UNITS).filter((u) => unitFits(field, u));
}

/** A value in a field's unit as short text: `12.5ms`, `3.2MiB`, `850`. */
export function formatFieldValue(field: FieldUnit, v: number): string {
  const round = (x: number): string => String(Math.round(x * 100) / 100);
  if (field === 'us' || field === 'ms') {
    const us = field === 'ms' ? v * 1000 : v;
    if (us >= 1_000_000) return `${round(us / 1_000_000)}s`;
    if (us >= 1000) return `${round(us / 1000)}ms`;
    return `${round(us)}us`;
  }
  if (field === 'bytes' || field === 'bytes/s') {
    const per = field === 'bytes/s' ? '/s' : '';
    if (v >= 1024 * 1024) return `${round(v / (1024 * 1024))}MiB${per}`;
    if (v >= 1024) return `${round(v / 1024)}KiB${per}`;
    return `${round(v)}B${per}`;
  }
  return round(v);
}
