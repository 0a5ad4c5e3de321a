// struct tcp_info (include/uapi/linux/tcp.h) as of Linux 6.18: a lazy view over the kernel's bytes.
//
// Every field is read at its fixed offset only when asked, and only if the kernel's struct is long
// enough to hold it: an older kernel's shorter tcp_info yields `undefined` for the fields it lacks.
// 64-bit fields are bigint; the pacing rates' "unlimited" (~0ULL) is the string 'unlimited'.

/** A field of struct tcp_info: name without the tcpi_ prefix, byte offset, and how to read it. */
export interface TcpInfoField {
  readonly name: TcpInfoFieldName;
  readonly offset: number;
  /** Bytes that must be present for the field to exist. */
  readonly size: 1 | 2 | 4 | 8;
  /** For bit fields: shift and width inside the unit at `offset`. */
  readonly bits?: readonly [shift: number, width: number];
  /** u64 where all ones means "unlimited". */
  readonly unlimited?: boolean;
}

export type PacingRate = bigint | 'unlimited';

/** The fields of struct tcp_info, with the kernel's names minus `tcpi_`, in the kernel's units. */
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

const F = (name: TcpInfoFieldName, offset: number, size: 1 | 2 | 4 | 8, extra?: Partial<TcpInfoField>): TcpInfoField =>
  ({ name, offset, size, ...extra });

/** The layout, in the kernel's order. Offsets are for the x86-64/arm64 ABI (u64 naturally aligned). */
export const TCP_INFO_FIELDS: readonly TcpInfoField[] = [
  F('state', 0, 1), F('ca_state', 1, 1), F('retransmits', 2, 1), F('probes', 3, 1), F('backoff', 4, 1), F('options', 5, 1),
  F('snd_wscale', 6, 1, { bits: [0, 4] }), F('rcv_wscale', 6, 1, { bits: [4, 4] }),
  F('delivery_rate_app_limited', 7, 1, { bits: [0, 1] }), F('fastopen_client_fail', 7, 1, { bits: [1, 2] }),
  F('rto', 8, 4), F('ato', 12, 4), F('snd_mss', 16, 4), F('rcv_mss', 20, 4),
  F('unacked', 24, 4), F('sacked', 28, 4), F('lost', 32, 4), F('retrans', 36, 4), F('fackets', 40, 4),
  F('last_data_sent', 44, 4), F('last_ack_sent', 48, 4), F('last_data_recv', 52, 4), F('last_ack_recv', 56, 4),
  F('pmtu', 60, 4), F('rcv_ssthresh', 64, 4), F('rtt', 68, 4), F('rttvar', 72, 4), F('snd_ssthresh', 76, 4),
  F('snd_cwnd', 80, 4), F('advmss', 84, 4), F('reordering', 88, 4), F('rcv_rtt', 92, 4), F('rcv_space', 96, 4),
  F('total_retrans', 100, 4),
  F('pacing_rate', 104, 8, { unlimited: true }), F('max_pacing_rate', 112, 8, { unlimited: true }),
  F('bytes_acked', 120, 8), F('bytes_received', 128, 8), F('segs_out', 136, 4), F('segs_in', 140, 4),
  F('notsent_bytes', 144, 4), F('min_rtt', 148, 4), F('data_segs_in', 152, 4), F('data_segs_out', 156, 4),
  F('delivery_rate', 160, 8), F('busy_time', 168, 8), F('rwnd_limited', 176, 8), F('sndbuf_limited', 184, 8),
  F('delivered', 192, 4), F('delivered_ce', 196, 4), F('bytes_sent', 200, 8), F('bytes_retrans', 208, 8),
  F('dsack_dups', 216, 4), F('reord_seen', 220, 4), F('rcv_ooopack', 224, 4), F('snd_wnd', 228, 4),
  F('rcv_wnd', 232, 4), F('rehash', 236, 4), F('total_rto', 240, 2), F('total_rto_recoveries', 242, 2),
  F('total_rto_time', 244, 4), F('received_ce', 248, 4), F('delivered_e1_bytes', 252, 4),
  F('delivered_e0_bytes', 256, 4), F('delivered_ce_bytes', 260, 4), F('received_e1_bytes', 264, 4),
  F('received_e0_bytes', 268, 4), F('received_ce_bytes', 272, 4),
  F('ecn_mode', 276, 4, { bits: [0, 2] }), F('accecn_opt_seen', 276, 4, { bits: [2, 2] }),
  F('accecn_fail_mode', 276, 4, { bits: [4, 4] }), F('options2', 276, 4, { bits: [8, 24] }),
];

/** sizeof(struct tcp_info) on Linux 6.18. */
export const TCP_INFO_SIZE_6_18 = 280;

const ALL_ONES = 0xffffffffffffffffn;

function readField(buf: Buffer, base: number, len: number, f: TcpInfoField): number | bigint | 'unlimited' | undefined {
  if (f.offset + f.size > len) return undefined;
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
    const f = FIELD_BY_NAME.get(name);
    return f !== undefined && f.offset + f.size <= this.length;
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

const FIELD_BY_NAME = new Map<TcpInfoFieldName, TcpInfoField>(TCP_INFO_FIELDS.map((f) => [f.name, f]));
for (const f of TCP_INFO_FIELDS) {
  Object.defineProperty(TcpInfoView.prototype, f.name, {
    get(this: TcpInfoView) { return readField(this.buf, this.base, this.length, f); },
    enumerable: false,
    configurable: false,
  });
}
