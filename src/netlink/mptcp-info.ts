// struct mptcp_info (include/uapi/linux/mptcp.h): what INET_DIAG_INFO carries for an MPTCP socket.
// Decoded field by field as far as the kernel's struct reaches; 64-bit fields are bigint.

export interface MptcpInfo {
  subflows: number; add_addr_signal: number; add_addr_accepted: number; subflows_max: number;
  add_addr_signal_max: number; add_addr_accepted_max: number; flags: number; token: number;
  write_seq: bigint; snd_una: bigint; rcv_nxt: bigint;
  local_addr_used?: number; local_addr_max?: number; csum_enabled?: number;
  retransmits?: number; bytes_retrans?: bigint; bytes_sent?: bigint; bytes_received?: bigint; bytes_acked?: bigint;
  subflows_total?: number; endp_laminar_max?: number; endp_fullmesh_max?: number;
  last_data_sent?: number; last_data_recv?: number; last_ack_recv?: number;
}

type Kind = 'u8' | 'u32' | 'u64';
const FIELDS: readonly [keyof MptcpInfo, number, Kind][] = [
  ['subflows', 0, 'u8'], ['add_addr_signal', 1, 'u8'], ['add_addr_accepted', 2, 'u8'], ['subflows_max', 3, 'u8'],
  ['add_addr_signal_max', 4, 'u8'], ['add_addr_accepted_max', 5, 'u8'], ['flags', 8, 'u32'], ['token', 12, 'u32'],
  ['write_seq', 16, 'u64'], ['snd_una', 24, 'u64'], ['rcv_nxt', 32, 'u64'],
  ['local_addr_used', 40, 'u8'], ['local_addr_max', 41, 'u8'], ['csum_enabled', 42, 'u8'],
  ['retransmits', 44, 'u32'], ['bytes_retrans', 48, 'u64'], ['bytes_sent', 56, 'u64'], ['bytes_received', 64, 'u64'],
  ['bytes_acked', 72, 'u64'], ['subflows_total', 80, 'u8'], ['endp_laminar_max', 81, 'u8'], ['endp_fullmesh_max', 82, 'u8'],
  ['last_data_sent', 84, 'u32'], ['last_data_recv', 88, 'u32'], ['last_ack_recv', 92, 'u32'],
];
const SIZE: Record<Kind, number> = { u8: 1, u32: 4, u64: 8 };

/** sizeof(struct mptcp_info) since Linux 6.10. */
export const MPTCP_INFO_SIZE = 96;
/** The fields every kernel with mptcp_diag sends (Linux 5.9). */
const MIN_LEN = 40;

/** Decode `len` bytes at `off`; undefined if shorter than the 5.9 struct. */
export function decodeMptcpInfo(buf: Buffer, off: number, len: number): MptcpInfo | undefined {
  if (len < MIN_LEN) return undefined;
  const out: Record<string, number | bigint> = {};
  for (const [name, o, k] of FIELDS) {
    if (o + SIZE[k] > len) break;
    out[name] = k === 'u8' ? buf[off + o] : k === 'u32' ? buf.readUInt32LE(off + o) : buf.readBigUInt64LE(off + o);
  }
  return out as unknown as MptcpInfo;
}
